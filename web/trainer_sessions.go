package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
)

// sessionsView is a trainer's list of sessions and the form to open one.
type sessionsView struct {
	Sessions []courses.Session
	Modules  []courses.ModuleDoc
}

func (a *App) trainerSessions(c *fiber.Ctx) error {
	return a.renderSessions(c, fiber.StatusOK, nil)
}

func (a *App) renderSessions(c *fiber.Ctx, status int, errs map[string]string) error {
	ctx := c.UserContext()
	ss, err := a.Courses.SessionsOf(ctx, currentUser(c).ID)
	if err != nil {
		return err
	}
	mods, err := a.Courses.PublishedModules(ctx)
	if err != nil {
		return err
	}
	form := map[string]string{"module": c.FormValue("module"), "place": c.FormValue("place"), "halfDays": c.FormValue("halfDays")}
	return a.render(c, status, "trainer_sessions", page{Title: "sessions.title", Data: sessionsView{Sessions: ss, Modules: mods},
		Form: form, Errors: errs})
}

func (a *App) trainerSessionCreate(c *fiber.Ctx) error {
	halfDays, err := courses.ParseHalfDays(c.FormValue("halfDays"))
	if err == nil {
		var ss *courses.Session
		ss, err = a.Courses.CreateSession(c.UserContext(), currentUser(c), c.FormValue("module"), c.FormValue("place"), halfDays)
		if err == nil {
			return c.Redirect("/formation/sessions/"+ss.ID, fiber.StatusSeeOther)
		}
	}
	if v, ok := asValidation(err); ok {
		return a.renderSessions(c, fiber.StatusUnprocessableEntity, a.formErrors(c, v))
	}
	return err
}

// sessionView is one session: its cohort and attendance grid.
type sessionView struct {
	Session *courses.Session
	Notice  string
}

func (a *App) trainerSession(c *fiber.Ctx) error {
	return a.renderSession(c, fiber.StatusOK, c.Query("fait"), nil)
}

func (a *App) renderSession(c *fiber.Ctx, status int, notice string, errs map[string]string) error {
	ss, err := a.Courses.Session(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	v := sessionView{Session: ss}
	if notice != "" {
		v.Notice = "sessions.notice." + notice
	}
	return a.render(c, status, "trainer_session", page{Title: ss.Title, Data: v, Errors: errs,
		Form: map[string]string{"email": c.FormValue("email")}})
}

// afterSession answers a session action: back to its page, or the form with errors.
func (a *App) afterSession(c *fiber.Ctx, err error, notice string) error {
	if v, ok := asValidation(err); ok {
		return a.renderSession(c, fiber.StatusUnprocessableEntity, "", a.formErrors(c, v))
	}
	if err != nil {
		return err
	}
	return c.Redirect("/formation/sessions/"+c.Params("id")+"?fait="+notice, fiber.StatusSeeOther)
}

func (a *App) trainerSessionAdd(c *fiber.Ctx) error {
	_, err := a.Courses.AddParticipant(c.UserContext(), currentUser(c), c.Params("id"), c.FormValue("email"))
	return a.afterSession(c, err, "ajoute")
}

// trainerSessionAttendance records the whole grid: one checkbox per
// participant and half-day, valued "userID|halfDayID".
func (a *App) trainerSessionAttendance(c *fiber.Ctx) error {
	ss, err := a.Courses.Session(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	grid := map[string][]string{}
	for _, p := range ss.Participants {
		grid[p.UserID] = []string{}
	}
	for _, raw := range c.Request().PostArgs().PeekMulti("presence") {
		uid, half, _ := strings.Cut(string(raw), "|")
		grid[uid] = append(grid[uid], half)
	}
	_, err = a.Courses.SetAttendance(c.UserContext(), currentUser(c), ss.ID, grid)
	return a.afterSession(c, err, "presences")
}

func (a *App) trainerSessionClose(c *fiber.Ctx) error {
	_, err := a.Courses.CloseSession(c.UserContext(), currentUser(c), c.Params("id"))
	return a.afterSession(c, err, "cloturee")
}
