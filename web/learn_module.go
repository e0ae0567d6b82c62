package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
)

// moduleView is what a module's page shows: its presentation and, for an
// enrolled person, the progress, the pages and what can be done next.
type moduleView struct {
	Doc       *courses.ModuleDoc
	Module    *courses.Module
	Enrolment *courses.Enrolment
	Progress  courses.Progress
	// Newer is the latest version when the enrolment is on an older one.
	Newer  int
	Notice string
}

func (a *App) learnModule(c *fiber.Ctx) error {
	return a.renderModule(c, fiber.StatusOK, c.Query("fait"), nil)
}

func (a *App) renderModule(c *fiber.Ctx, status int, notice string, errs map[string]string) error {
	ctx := c.UserContext()
	doc, err := a.Courses.PublishedModule(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	v := moduleView{Doc: doc}
	if notice != "" {
		v.Notice = "learn.notice." + notice
	}
	if u := currentUser(c); u != nil {
		e, m, err := a.Courses.Enrolment(ctx, u.ID, doc.Slug)
		switch {
		case errors.Is(err, courses.ErrNotEnrolled):
		case err != nil:
			return err
		default:
			v.Enrolment, v.Module, v.Progress = e, m, m.ProgressOf(e)
			if doc.Latest > e.Version && !e.Done() {
				v.Newer = doc.Latest
			}
		}
	}
	if v.Module == nil {
		if v.Module, err = a.Courses.Published(ctx, doc.Slug, doc.Latest); err != nil {
			return err
		}
	}
	return a.render(c, status, "learn_module", page{Title: v.Module.Title, Data: v, Errors: errs})
}

// learnEnrol enrols the signed-in person and opens the first page.
func (a *App) learnEnrol(c *fiber.Ctx) error {
	e, err := a.Courses.Enrol(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	if err != nil {
		return err
	}
	m, err := a.Courses.Published(c.UserContext(), e.Slug, e.Version)
	if err != nil {
		return err
	}
	return c.Redirect(pageURL(e.Slug, m.Pages[0].ID), fiber.StatusSeeOther)
}

// learnMove moves the enrolment to the latest version.
func (a *App) learnMove(c *fiber.Ctx) error {
	if _, err := a.Courses.MoveToLatest(c.UserContext(), currentUser(c).ID, c.Params("slug")); err != nil {
		return err
	}
	return c.Redirect("/modules/"+c.Params("slug")+"?fait=version", fiber.StatusSeeOther)
}

// learnFinish completes on request: credited, or to review when time is short.
func (a *App) learnFinish(c *fiber.Ctx) error {
	_, err := a.Courses.Finish(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	if v, ok := asValidation(err); ok {
		return a.renderModule(c, fiber.StatusUnprocessableEntity, "", a.formErrors(c, v))
	}
	if err != nil {
		return err
	}
	return c.Redirect("/modules/"+c.Params("slug")+"?fait=termine", fiber.StatusSeeOther)
}

func pageURL(slug, pageID string) string { return "/modules/" + slug + "/pages/" + pageID }
