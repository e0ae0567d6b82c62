package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/campaigns"
	"ardoise/courses"
	"ardoise/internal/clock"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// requireOrganiser lets through the people who may organise campaigns:
// trainers and inspectors. An inspector without a scope (and not a
// trainer) learns why they cannot.
func requireOrganiser(c *fiber.Ctx) error {
	u := currentUser(c)
	switch {
	case u == nil:
		return requireUser(c)
	case u.Has(profile.RoleTrainer):
	case !u.Has(profile.RoleInspector):
		return fmt.Errorf("web: organiser role required: %w", errkind.ErrForbidden)
	case u.InspectionScope().IsZero():
		return &errkind.DeniedError{Code: "no_scope"}
	}
	return c.Next()
}

// campaignsView is an organiser's list of campaigns and the form to
// create one.
type campaignsView struct {
	Campaigns  []campaignRow
	Frameworks []frameworkChoice
	Modules    []courses.ModuleDoc
	Levels     []int
	Trainer    bool
}

// campaignRow is one campaign of the list, with what it shows.
type campaignRow struct {
	Campaign campaigns.Campaign
	// State is the catalog key of open, closed or not yet open.
	State    string
	JoinLink string
	// Opens and Closes are the first and last days of joining (Paris).
	Opens, Closes time.Time
}

// frameworkChoice is a framework of the form with a level select per
// competence.
type frameworkChoice struct {
	ID, Title   string
	Competences []targetChoice
}

type targetChoice struct {
	ID, Title, Name string
	Value           int
}

// campaignRowOf describes c at now.
func campaignRowOf(c campaigns.Campaign, now time.Time) campaignRow {
	r := campaignRow{Campaign: c, JoinLink: "/campagne?code=" + c.Code, Opens: c.OpensAt.In(clock.Paris()),
		Closes: c.ClosesAt.Add(-time.Nanosecond).In(clock.Paris())}
	switch {
	case now.Before(c.OpensAt):
		r.State = "organise.state.soon"
	case c.Open(now):
		r.State = "organise.state.open"
	default:
		r.State = "organise.state.closed"
	}
	return r
}

func (a *App) organiseCampaigns(c *fiber.Ctx) error {
	today := time.Now().In(clock.Paris())
	form := map[string]string{"opensAt": today.Format(time.DateOnly), "closesAt": today.Add(campaigns.DefaultDuration).Format(time.DateOnly)}
	if fs := a.Assessments.Bank().Frameworks; len(fs) > 0 {
		form["framework"] = fs[0].ID
	}
	return a.renderCampaigns(c, fiber.StatusOK, form, nil)
}

func (a *App) renderCampaigns(c *fiber.Ctx, status int, form map[string]string, errs map[string]string) error {
	ctx := c.UserContext()
	u := currentUser(c)
	list, err := a.Campaigns.List(ctx, u)
	if err != nil {
		return err
	}
	mods, err := a.Courses.PublishedModules(ctx)
	if err != nil {
		return err
	}
	v := campaignsView{Modules: mods, Levels: []int{1, 2, 3, 4, 5, 6, 7, 8}, Trainer: u.Has(profile.RoleTrainer)}
	now := time.Now()
	for _, camp := range list {
		v.Campaigns = append(v.Campaigns, campaignRowOf(camp, now))
	}
	for _, f := range a.Assessments.Bank().Frameworks {
		fc := frameworkChoice{ID: f.ID, Title: f.Title}
		for _, comp := range f.Competences {
			name := targetField(f.ID, comp.ID)
			level, _ := strconv.Atoi(form[name])
			fc.Competences = append(fc.Competences, targetChoice{ID: comp.ID, Title: comp.Title, Name: name, Value: level})
		}
		v.Frameworks = append(v.Frameworks, fc)
	}
	return a.render(c, status, "organise_campaigns", page{Title: "organise.title", Data: v, Form: form, Errors: errs})
}

// targetField names the level select of a competence in the form.
func targetField(framework, competence string) string { return "cible:" + framework + ":" + competence }

// organiseCreate is POST /suivi/campagnes: the form's campaign, created
// as the service decides (role and scope first), then its dashboard.
func (a *App) organiseCreate(c *fiber.Ctx) error {
	form := formValues(c, "title", "framework", "tout", "opensAt", "closesAt", "module", "before", "openToParents")
	in := campaigns.NewCampaign{Title: form["title"], Framework: form["framework"], Targets: map[string]int{},
		Module: form["module"], Before: form["before"], OpenToParents: form["openToParents"] == "1"}
	var v errkind.ValidationError
	for _, f := range a.Assessments.Bank().Frameworks {
		for _, comp := range f.Competences {
			name := targetField(f.ID, comp.ID)
			raw := c.FormValue(name)
			form[name] = raw
			level, err := strconv.Atoi(raw)
			if raw != "" && err != nil {
				v.Add("targets", "target_level")
			}
			if f.ID == in.Framework && level != 0 {
				in.Targets[comp.ID] = level
			}
		}
	}
	if form["tout"] == "1" {
		in.Targets = map[string]int{}
	} else if len(in.Targets) == 0 {
		v.Add("targets", "no_target")
	}
	var err error
	if in.OpensAt, err = parseDay(form["opensAt"], 0); err != nil {
		v.Add("opensAt", "bad_date")
	}
	if in.ClosesAt, err = parseDay(form["closesAt"], 1); err != nil {
		v.Add("closesAt", "bad_date")
	}
	err = v.Err()
	if err == nil {
		var camp *campaigns.Campaign
		if camp, err = a.Campaigns.Create(c.UserContext(), currentUser(c), in); err == nil {
			return c.Redirect("/suivi/campagnes/"+camp.ID, fiber.StatusSeeOther)
		}
	}
	if ve, ok := asValidation(err); ok {
		return a.renderCampaigns(c, fiber.StatusUnprocessableEntity, form, a.formErrors(c, ve))
	}
	return err
}

// parseDay reads a date input (YYYY-MM-DD, Paris) as the start of that
// day plus days; empty is the zero time (the service's default).
func parseDay(s string, days int) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, clock.Paris())
	if err != nil {
		return time.Time{}, err
	}
	return d.AddDate(0, 0, days), nil
}
