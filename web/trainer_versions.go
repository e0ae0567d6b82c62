package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
)

// versionsView is what a module's versions page shows.
type versionsView struct {
	Module   *courses.ModuleDoc
	Versions []courses.Version
	From, To int
	Diff     []courses.FileDiff
}

// trainerVersions lists a module's versions and, with ?de=N&a=M, the text
// diff between two of them (0 is the draft).
func (a *App) trainerVersions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	m, err := a.Courses.Editable(ctx, authorOf(currentUser(c)), c.Params("slug"))
	if err != nil {
		return err
	}
	vs, err := a.Courses.Versions(ctx, m.Slug)
	if err != nil {
		return err
	}
	v := versionsView{Module: m, Versions: vs}
	if from, err1 := strconv.Atoi(c.Query("de")); err1 == nil {
		to, err2 := strconv.Atoi(c.Query("a"))
		if err2 == nil && from >= 0 && to >= 0 && from <= m.Latest && to <= m.Latest {
			fs, err := a.Courses.Export(ctx, m.Slug, from)
			if err != nil {
				return err
			}
			ts, err := a.Courses.Export(ctx, m.Slug, to)
			if err != nil {
				return err
			}
			v.From, v.To, v.Diff = from, to, courses.Diff(fs, ts)
		}
	}
	return a.render(c, fiber.StatusOK, "trainer_versions", page{Title: "trainer.versions.title", Data: v})
}

// trainerRollback republishes an old version as a new one. A number that
// is not one is version 0, which never exists: the service checks who may
// act before looking for the version, whatever was asked.
func (a *App) trainerRollback(c *fiber.Ctx) error {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil {
		n = 0
	}
	if _, err := a.Courses.Rollback(c.UserContext(), authorOf(currentUser(c)), c.Params("slug"), n); err != nil {
		return err
	}
	return c.Redirect("/formation/modules/"+c.Params("slug")+"/versions", fiber.StatusSeeOther)
}
