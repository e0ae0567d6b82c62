package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
	"ardoise/profile"
)

// competenceOption is one choice of the catalogue's competence filter.
type competenceOption struct {
	ID, Title string
}

// catalogueView is what the catalogue shows.
type catalogueView struct {
	Entries     []courses.CatalogueEntry
	Audience    string
	Competence  string
	Competences []competenceOption
}

// learnCatalogue lists the published modules, filtered by audience
// (teachers or parents; modules for all suit both) and competence.
func (a *App) learnCatalogue(c *fiber.Ctx) error {
	v := catalogueView{Audience: c.Query("public"), Competence: c.Query("competence")}
	if v.Audience != courses.AudienceTeachers && v.Audience != courses.AudienceParents {
		v.Audience = ""
		if u := currentUser(c); u != nil && c.Query("public", "-") == "-" {
			v.Audience = audienceOf(u)
		}
	}
	entries, err := a.Courses.Catalogue(c.UserContext(), v.Audience, v.Competence)
	if err != nil {
		return err
	}
	v.Entries = entries
	for _, f := range a.Assessments.Bank().Frameworks {
		for _, comp := range f.Competences {
			v.Competences = append(v.Competences, competenceOption{ID: comp.ID, Title: comp.ID + " " + comp.Title})
		}
	}
	return a.render(c, fiber.StatusOK, "learn_catalogue", page{Title: "learn.catalogue.title", Data: v})
}

// audienceOf is the audience a person belongs to.
func audienceOf(u *profile.User) string {
	if u.Kind == profile.KindParent {
		return courses.AudienceParents
	}
	return courses.AudienceTeachers
}
