package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
)

// enrolmentJSON is an enrolment with its progress against the rule.
type enrolmentJSON struct {
	*courses.Enrolment
	Progress progressJSON `json:"progress"`
}

// progressJSON is where an enrolment stands.
type progressJSON struct {
	PagesSeen     int     `json:"pagesSeen"`
	Pages         int     `json:"pages"`
	ActiveSeconds int     `json:"activeSeconds"`
	NeededSeconds int     `json:"neededSeconds"`
	QuizScore     float64 `json:"quizScore"`
	NeededScore   float64 `json:"neededScore"`
	Met           bool    `json:"met"`
}

func progressOf(p courses.Progress) progressJSON {
	return progressJSON{PagesSeen: p.PagesSeen, Pages: p.Pages, ActiveSeconds: p.ActiveSeconds, NeededSeconds: p.NeededSeconds,
		QuizScore: p.QuizScore, NeededScore: p.NeededScore, Met: p.Met()}
}

// enrolmentOut reads the module of an enrolment's version (kept in memory) for its progress.
func (a *App) enrolmentOut(c *fiber.Ctx, e *courses.Enrolment) (enrolmentJSON, error) {
	m, err := a.Courses.Published(c.UserContext(), e.Slug, e.Version)
	if err != nil {
		return enrolmentJSON{}, err
	}
	return enrolmentJSON{Enrolment: e, Progress: progressOf(m.ProgressOf(e))}, nil
}

func (a *App) apiEnrolments(c *fiber.Ctx) error {
	es, err := a.Courses.Enrolments(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]enrolmentJSON, 0, len(es))
	for i := range es {
		e, err := a.enrolmentOut(c, &es[i])
		if err != nil {
			return err
		}
		out = append(out, e)
	}
	return c.JSON(out)
}

func (a *App) apiEnrol(c *fiber.Ctx) error {
	e, err := a.Courses.Enrol(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	if err != nil {
		return err
	}
	out, err := a.enrolmentOut(c, e)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// apiView records a page view; API clients count like pages without a
// script unless they say they beat (js: true).
func (a *App) apiView(c *fiber.Ctx) error {
	var in struct {
		Page string `json:"page"`
		JS   bool   `json:"js"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, _, _, err := a.Courses.View(c.UserContext(), currentUser(c).ID, c.Params("slug"), in.Page, in.JS)
	return a.sendEnrolment(c, e, err)
}

func (a *App) apiBeat(c *fiber.Ctx) error {
	var in struct {
		Page string `json:"page"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, _, err := a.Courses.Beat(c.UserContext(), currentUser(c).ID, c.Params("slug"), in.Page)
	return a.sendEnrolment(c, e, err)
}

func (a *App) apiAnswerQuiz(c *fiber.Ctx) error {
	var in struct {
		Quiz   string   `json:"quiz"`
		Choice []string `json:"choice"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, fb, err := a.Courses.Answer(c.UserContext(), currentUser(c).ID, c.Params("slug"), in.Quiz, in.Choice)
	if err != nil {
		return err
	}
	out, err := a.enrolmentOut(c, e)
	if err != nil {
		return err
	}
	feedback := []string{}
	for _, p := range fb.Chosen {
		feedback = append(feedback, p.FeedbackHTML)
	}
	res := fiber.Map{"correct": fb.Correct, "feedbackHtml": feedback, "enrolment": out}
	if fb.Correct {
		res["explanationHtml"] = fb.Quiz.ExplanationHTML
	}
	return c.JSON(res)
}

func (a *App) apiFinish(c *fiber.Ctx) error {
	e, err := a.Courses.Finish(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	return a.sendEnrolment(c, e, err)
}

func (a *App) apiMove(c *fiber.Ctx) error {
	e, err := a.Courses.MoveToLatest(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	return a.sendEnrolment(c, e, err)
}

func (a *App) sendEnrolment(c *fiber.Ctx, e *courses.Enrolment, err error) error {
	if err != nil {
		return err
	}
	out, err := a.enrolmentOut(c, e)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
