package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/campaigns"
)

// campaignJSON is a campaign as its organiser reads it: targets as an
// object competence → level, the contract's shape.
type campaignJSON struct {
	ID            string         `json:"id"`
	Code          string         `json:"code"`
	Title         string         `json:"title"`
	Framework     string         `json:"framework"`
	Targets       map[string]int `json:"targets"`
	OpensAt       string         `json:"opensAt"`
	ClosesAt      string         `json:"closesAt"`
	Module        string         `json:"module,omitempty"`
	Session       string         `json:"session,omitempty"`
	OpenToParents bool           `json:"openToParents"`
	Before        string         `json:"before,omitempty"`
	OrganiserRole string         `json:"organiserRole"`
}

func toCampaignJSON(c *campaigns.Campaign) campaignJSON {
	out := campaignJSON{ID: c.ID, Code: c.Code, Title: c.Title, Framework: c.Framework, Targets: map[string]int{},
		OpensAt: c.OpensAt.Format(time.RFC3339), ClosesAt: c.ClosesAt.Format(time.RFC3339), Module: c.Module,
		Session: c.Session, OpenToParents: c.OpenToParents, Before: c.Before, OrganiserRole: c.OrganiserRole}
	for _, t := range c.Targets {
		out.Targets[t.Competence] = t.Level
	}
	return out
}

// apiCampaignCreate is POST /api/v1/campaigns.
func (a *App) apiCampaignCreate(c *fiber.Ctx) error {
	var in struct {
		Title         string         `json:"title"`
		Framework     string         `json:"framework"`
		Targets       map[string]int `json:"targets"`
		OpensAt       *time.Time     `json:"opensAt"`
		ClosesAt      *time.Time     `json:"closesAt"`
		Module        string         `json:"module"`
		Session       string         `json:"session"`
		OpenToParents bool           `json:"openToParents"`
		Before        string         `json:"before"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	nc := campaigns.NewCampaign{Title: in.Title, Framework: in.Framework, Targets: in.Targets, Module: in.Module,
		Session: in.Session, OpenToParents: in.OpenToParents, Before: in.Before}
	if in.OpensAt != nil {
		nc.OpensAt = *in.OpensAt
	}
	if in.ClosesAt != nil {
		nc.ClosesAt = *in.ClosesAt
	}
	camp, err := a.Campaigns.Create(c.UserContext(), currentUser(c), nc)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": camp.ID, "code": camp.Code})
}

// apiCampaigns is GET /api/v1/campaigns: the organiser's campaigns.
func (a *App) apiCampaigns(c *fiber.Ctx) error {
	list, err := a.Campaigns.List(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	out := make([]campaignJSON, 0, len(list))
	for i := range list {
		out = append(out, toCampaignJSON(&list[i]))
	}
	return c.JSON(out)
}

// apiCampaign is GET /api/v1/campaigns/{id}, for its organiser.
func (a *App) apiCampaign(c *fiber.Ctx) error {
	camp, err := a.Campaigns.Get(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toCampaignJSON(camp))
}

// apiCampaignJoin is POST /api/v1/campaigns/join {"code"}: it starts (or
// resumes) the campaign's test, answered at /api/v1/assessments/{id}.
func (a *App) apiCampaignJoin(c *fiber.Ctx) error {
	if err := a.limitJoin(c, currentUser(c)); err != nil {
		return err
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, t, err := a.Campaigns.Join(c.UserContext(), currentUser(c), in.Code)
	if err != nil {
		return err
	}
	test, err := a.testJSON(c, t)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if t.Answered > 0 {
		status = fiber.StatusOK // the participation in progress is resumed
	}
	return c.Status(status).JSON(fiber.Map{"participation": fiber.Map{"id": p.ID}, "test": test})
}

// apiParticipationShare is POST /api/v1/participations/{id}/share: the
// person sends a finished participation's results to the organiser.
func (a *App) apiParticipationShare(c *fiber.Ctx) error {
	p, err := a.Campaigns.Share(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": p.ID, "sharedAt": p.SharedAt.Format(time.RFC3339)})
}

// resultsJSON is a campaign's aggregates and one page of its shared
// participations, as GET /api/v1/campaigns/{id}/results returns them.
type resultsJSON struct {
	Campaign     campaignJSON             `json:"campaign"`
	Joined       int                      `json:"joined"`
	Finished     int                      `json:"finished"`
	Shared       int                      `json:"shared"`
	Competences  []campaignCompetenceJSON `json:"competences"`
	Participants []participantJSON        `json:"participants"`
	Next         string                   `json:"next"`
}

type campaignCompetenceJSON struct {
	ID       string    `json:"id"`
	Target   int       `json:"target,omitempty"`
	ByLevel  []int     `json:"byLevel"`
	AtTarget int       `json:"atTarget"`
	Gain     *gainJSON `json:"gain,omitempty"`
}

type gainJSON struct {
	N      int      `json:"n"`
	Mean   *float64 `json:"mean"`
	Low    *float64 `json:"low"`
	High   *float64 `json:"high"`
	Reason string   `json:"reason,omitempty"`
}

type participantJSON struct {
	Name     string         `json:"name"`
	SharedAt string         `json:"sharedAt"`
	Levels   map[string]int `json:"levels"`
}

// apiCampaignResults is GET /api/v1/campaigns/{id}/results?after=.
func (a *App) apiCampaignResults(c *fiber.Ctx) error {
	r, err := a.Campaigns.Results(c.UserContext(), currentUser(c), c.Params("id"), c.Query("after"))
	if err != nil {
		return err
	}
	k := r.Counters
	out := resultsJSON{Campaign: toCampaignJSON(r.Campaign), Joined: k.Joined, Finished: k.Finished, Shared: k.Shared,
		Competences: []campaignCompetenceJSON{}, Participants: []participantJSON{}, Next: r.Next}
	for _, cc := range k.Competences {
		cj := campaignCompetenceJSON{ID: cc.Competence, Target: cc.Target, ByLevel: cc.ByLevel, AtTarget: cc.AtTarget}
		if r.Campaign.Before != "" {
			g := k.GainOf(cc.Competence).InLevels()
			cj.Gain = &gainJSON{N: g.N}
			if g.Enough {
				cj.Gain.Mean, cj.Gain.Low, cj.Gain.High = &g.Mean, &g.Low, &g.High
			} else {
				cj.Gain.Reason = a.catalog.T(lang(c), campaigns.TooFewPairsKey)
			}
		}
		out.Competences = append(out.Competences, cj)
	}
	for _, e := range r.Participants {
		pj := participantJSON{Name: a.participantName(c, e), SharedAt: e.SharedAt.Format(time.RFC3339), Levels: map[string]int{}}
		for _, l := range e.Levels {
			pj.Levels[l.Competence] = l.Level
		}
		out.Participants = append(out.Participants, pj)
	}
	return c.JSON(out)
}

// participantName is the name a shared participation shows its organiser:
// the person's, or « Compte supprimé » once they erased their account.
func (a *App) participantName(c *fiber.Ctx, e campaigns.SharedEntry) string {
	if e.Erased {
		return a.catalog.T(lang(c), "campaign.erased_account")
	}
	return e.Name
}
