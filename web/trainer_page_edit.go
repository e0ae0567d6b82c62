package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/errkind"
)

// Previews render Markdown on the server: each account gets at most
// previewLimit a minute (counted in Redis, so across processes, under the
// same key as the forum's previews: one budget per account), and only with
// a verified address.
const (
	previewLimit  = community.MaxPreviewsPerMinute
	previewWindow = time.Minute
)

// limitPreview refuses a preview (or a save, which renders one) to an
// unverified account or beyond the account's rate.
func (a *App) limitPreview(c *fiber.Ctx) error {
	u := currentUser(c)
	if !u.EmailVerified {
		return errkind.EmailUnverified()
	}
	return a.allowOrRefuse(c, "preview:"+u.ID, previewLimit, previewWindow)
}

// pageEditView is what the page editor shows.
type pageEditView struct {
	Slug, File, Source string
	Files              []string
	Preview            []courses.Block
	Problems           []courses.Problem
	Notice             string
}

// trainerPageEdit edits one file of a module's draft in a textarea: Preview
// renders it on the server (with the same checks as publication), Save
// stores the draft. Both render Markdown, so both count as previews.
func (a *App) trainerPageEdit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if c.Method() == fiber.MethodPost {
		if err := a.limitPreview(c); err != nil {
			return err
		}
	}
	author := authorOf(currentUser(c))
	m, err := a.Courses.Editable(ctx, author, c.Params("slug"))
	if err != nil {
		return err
	}
	src, err := a.Courses.Export(ctx, m.Slug, 0)
	if err != nil {
		return err
	}
	file := c.Params("file")
	if _, ok := src.Files[file]; !ok || !strings.HasSuffix(file, ".md") {
		return fiber.ErrNotFound
	}
	v := pageEditView{Slug: m.Slug, File: file, Source: string(src.Files[file])}
	for name := range src.Files {
		if strings.HasSuffix(name, ".md") {
			v.Files = append(v.Files, name)
		}
	}
	sortStrings(v.Files)
	status := fiber.StatusOK
	if c.Method() == fiber.MethodPost {
		v.Source = strings.ReplaceAll(c.FormValue("source"), "\r\n", "\n")
		src.Files[file] = []byte(v.Source)
		mod, problems := courses.Parse(m.Slug, src, a.Assessments.Bank().HasCompetence)
		for _, p := range problems {
			if p.File == file {
				v.Problems = append(v.Problems, p)
			}
		}
		for _, p := range mod.Pages {
			if p.ID+".md" == file {
				v.Preview = p.Blocks
			}
		}
		if c.FormValue("action") == "save" {
			if _, _, err := a.Courses.SaveDraft(ctx, author, m.Slug, src); err != nil {
				return err
			}
			v.Notice = "trainer.edit.saved"
		}
		if len(v.Problems) > 0 {
			status = fiber.StatusUnprocessableEntity
		}
	}
	return a.render(c, status, "trainer_page_edit", page{Title: "trainer.edit.title", Data: v})
}
