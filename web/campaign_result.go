package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/internal/errkind"
)

// campaignResult is the part of a campaign test's result page about the
// campaign: where the person stands against each target level, and the
// sharing of the results with the organiser.
type campaignResult struct {
	ID    string // the participation's (the test's) id
	Title string
	Rows  []targetRow
	// Recorded is false until the worker has stored the participation's
	// end: it cannot be shared before.
	Recorded   bool
	SharedAt   string // the date of sending, in the page's language; "" when not sent
	Unverified bool
	Error      string // why the last sending was refused
}

// targetRow is one competence of the target profile.
type targetRow struct {
	ID, Title string
	Level     int
	Target    int // 0 for a campaign on the whole framework: no target level
	Reached   bool
	Missing   int // levels still to gain to reach the target
}

// campaignResultOf builds the campaign part of the result of t, a finished
// test of the signed-in person run for a campaign.
func (a *App) campaignResultOf(c *fiber.Ctx, t *assessments.Test, f *assessments.Framework) (*campaignResult, error) {
	u := currentUser(c)
	p, camp, err := a.Campaigns.Participation(c.UserContext(), u, t.ID)
	if err != nil {
		return nil, err
	}
	l := lang(c)
	v := &campaignResult{ID: p.ID, Title: camp.Title, Recorded: p.Finished(), Unverified: !u.EmailVerified}
	if p.Shared() {
		v.SharedAt = dateIn(l, p.SharedAt)
	}
	levels := map[string]int{}
	if p.Finished() {
		for _, lv := range p.Levels {
			levels[lv.Competence] = lv.Level
		}
	} else if t.Result != nil {
		for _, cr := range t.Result.Competences {
			levels[cr.ID] = cr.Level
		}
	}
	targets := camp.Targets
	if len(targets) == 0 && f != nil {
		for _, comp := range f.Competences {
			targets = append(targets, campaigns.Target{Competence: comp.ID})
		}
	}
	for _, tg := range targets {
		row := targetRow{ID: tg.Competence, Level: levels[tg.Competence], Target: tg.Level}
		if f != nil {
			if comp, ok := f.Competence(tg.Competence); ok {
				row.Title = comp.Title
			}
		}
		row.Reached = row.Target > 0 && row.Level >= row.Target
		if row.Target > row.Level {
			row.Missing = row.Target - row.Level
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// campaignShare is POST /campagne/participations/:id/envoi: the person
// sends a finished participation's results to the campaign's organiser,
// then sees the result page again, with the date of sending. A refusal
// (unverified address, result not recorded yet, already sent) shows the
// result page with the reason in the sharing block.
func (a *App) campaignShare(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := c.Params("id")
	_, err := a.Campaigns.Share(ctx, currentUser(c), id)
	if err == nil {
		return c.Redirect("/positionnement/"+id+"/resultat#partage", fiber.StatusSeeOther)
	}
	var ref *errkind.RefusedError
	var den *errkind.DeniedError
	if !errors.As(err, &ref) && !errors.As(err, &den) {
		return err
	}
	if ref != nil && ref.Code == campaigns.CodeAlreadyShared {
		return c.Redirect("/positionnement/"+id+"/resultat#partage", fiber.StatusSeeOther)
	}
	t, terr := a.Assessments.Test(ctx, id, a.owner(c, false))
	if terr != nil {
		return terr
	}
	if t.State != assessments.StateFinished {
		return err
	}
	status, code := classify(err)
	key := "error." + code
	if code == campaigns.CodeNotFinished {
		key = "campaign.share.pending"
	}
	return a.renderResultWith(c, t, status, a.catalog.T(lang(c), key))
}
