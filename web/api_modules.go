package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func problemsJSON(ps []courses.Problem) []problemJSON {
	out := make([]problemJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemJSON{File: p.File, Line: p.Line, Message: p.Msg})
	}
	return out
}

func authorOf(u *profile.User) courses.Author {
	return courses.Author{ID: u.ID, Admin: u.Has(profile.RoleAdmin)}
}

// apiModuleImport takes a zipped module (up to 20 MB) as the draft of the
// module named by ?slug= or by the zip's top folder.
func (a *App) apiModuleImport(c *fiber.Ctx) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), "application/zip") {
		return errkind.Invalid("body", "zip_required")
	}
	raw := c.Body()
	slug := c.Query("slug")
	if slug == "" {
		slug = courses.ZipSlug(raw)
	}
	if slug == "" {
		return errkind.Invalid("slug", "required")
	}
	src, err := courses.SourceFromZip(raw)
	if err != nil {
		return errkind.Invalid("body", "bad_zip")
	}
	_, problems, err := a.Courses.SaveDraft(c.UserContext(), authorOf(currentUser(c)), slug, src)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"slug": slug, "draft": fiber.Map{
		"files": len(src.Files), "hash": src.Hash(), "problems": problemsJSON(problems)}})
}

func (a *App) apiModulePublish(c *fiber.Ctx) error {
	var in struct {
		Note string `json:"note"`
	}
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	v, err := a.Courses.Publish(c.UserContext(), authorOf(currentUser(c)), c.Params("slug"), in.Note)
	var pe *courses.ProblemsError
	if errors.As(err, &pe) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"error":    apiErrorBody{Code: "module_problems", Message: a.catalog.T(lang(c), "error.module_problems")},
			"problems": problemsJSON(pe.Problems)})
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": v.Number, "hash": v.Hash, "publishedAt": v.PublishedAt})
}

func (a *App) apiModules(c *fiber.Ctx) error {
	mods, err := a.Courses.PublishedModules(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]fiber.Map, 0, len(mods))
	for _, m := range mods {
		out = append(out, fiber.Map{"slug": m.Slug, "title": m.Title, "version": m.Latest, "audience": m.Audience, "competences": m.Competences})
	}
	return c.JSON(out)
}

func (a *App) apiModule(c *fiber.Ctx) error {
	doc, err := a.Courses.PublishedModule(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	m, err := a.Courses.Published(c.UserContext(), doc.Slug, doc.Latest)
	if err != nil {
		return err
	}
	pages := make([]fiber.Map, 0, len(m.Pages))
	for _, p := range m.Pages {
		pages = append(pages, fiber.Map{"id": p.ID, "title": p.Title})
	}
	quizzes := make([]fiber.Map, 0)
	for _, q := range m.Quizzes() {
		quizzes = append(quizzes, fiber.Map{"id": q.ID, "page": q.Page})
	}
	return c.JSON(fiber.Map{"slug": m.Slug, "title": m.Title, "version": doc.Latest, "audience": m.Audience,
		"competences": m.Competences, "durationMinutes": m.DurationMinutes, "pages": pages, "quizzes": quizzes})
}
