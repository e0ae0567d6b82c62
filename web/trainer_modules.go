package web

import (
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
	"ardoise/internal/errkind"
)

// trainerModulesView is what a trainer's module page shows.
type trainerModulesView struct {
	Modules  []courses.ModuleDoc
	Problems []courses.Problem
	Notice   string
	Slug     string
}

func (a *App) trainerModules(c *fiber.Ctx) error {
	return a.renderTrainerModules(c, fiber.StatusOK, trainerModulesView{Notice: c.Query("fait")})
}

func (a *App) renderTrainerModules(c *fiber.Ctx, status int, v trainerModulesView) error {
	mods, err := a.Courses.ModulesOf(c.UserContext(), authorOf(currentUser(c)))
	if err != nil {
		return err
	}
	v.Modules = mods
	if v.Notice != "" {
		v.Notice = "trainer.modules.notice." + v.Notice
	}
	return a.render(c, status, "trainer_modules", page{Title: "trainer.modules.title", Data: v})
}

// trainerModuleImport takes a zipped module from the upload form as a draft.
func (a *App) trainerModuleImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("zip")
	if err != nil {
		return a.renderTrainerModules(c, fiber.StatusUnprocessableEntity, trainerModulesView{
			Problems: []courses.Problem{{File: "zip", Msg: a.catalog.T(lang(c), "field.zip_required")}}})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, UploadBodyLimit+1))
	if err != nil {
		return err
	}
	slug := strings.TrimSpace(c.FormValue("slug"))
	if slug == "" {
		slug = courses.ZipSlug(raw)
	}
	src, err := courses.SourceFromZip(raw)
	if err != nil || slug == "" {
		return a.renderTrainerModules(c, fiber.StatusUnprocessableEntity, trainerModulesView{
			Problems: []courses.Problem{{File: fh.Filename, Msg: a.catalog.T(lang(c), "field.bad_zip")}}})
	}
	_, problems, err := a.Courses.SaveDraft(c.UserContext(), authorOf(currentUser(c)), slug, src)
	if v, ok := asValidation(err); ok {
		return a.renderTrainerModules(c, fiber.StatusUnprocessableEntity, trainerModulesView{
			Problems: []courses.Problem{{File: "slug", Msg: a.formErrors(c, v)["slug"]}}})
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return a.renderTrainerModules(c, fiber.StatusOK, trainerModulesView{Problems: problems, Slug: slug, Notice: "draft_problems"})
	}
	return c.Redirect("/formation/modules?fait=draft", fiber.StatusSeeOther)
}

func (a *App) trainerModulePublish(c *fiber.Ctx) error {
	_, err := a.Courses.Publish(c.UserContext(), authorOf(currentUser(c)), c.Params("slug"), c.FormValue("note"))
	var pe *courses.ProblemsError
	switch {
	case errors.As(err, &pe):
		return a.renderTrainerModules(c, fiber.StatusUnprocessableEntity, trainerModulesView{Problems: pe.Problems, Slug: c.Params("slug")})
	case errors.Is(err, errkind.ErrInvalid):
		if v, ok := asValidation(err); ok {
			return a.renderTrainerModules(c, fiber.StatusUnprocessableEntity, trainerModulesView{
				Problems: []courses.Problem{{File: "note", Msg: a.formErrors(c, v)["note"]}}})
		}
	}
	if err != nil {
		return err
	}
	return c.Redirect("/formation/modules?fait=published", fiber.StatusSeeOther)
}

// trainerCoOwner adds a co-owner, found by email, who must be a trainer.
// The service checks that the user may edit the module before the address.
func (a *App) trainerCoOwner(c *fiber.Ctx) error {
	err := a.Courses.AddCoOwner(c.UserContext(), authorOf(currentUser(c)), c.Params("slug"), c.FormValue("email"))
	if v, ok := asValidation(err); ok {
		return a.renderTrainerModules(c, fiber.StatusUnprocessableEntity, trainerModulesView{
			Problems: []courses.Problem{{File: "email", Msg: a.formErrors(c, v)["email"]}}, Slug: c.Params("slug")})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/formation/modules?fait=coowner", fiber.StatusSeeOther)
}
