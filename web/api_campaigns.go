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
	OrganiserRole string         `json:"organiserRole"`
}

func toCampaignJSON(c *campaigns.Campaign) campaignJSON {
	out := campaignJSON{ID: c.ID, Code: c.Code, Title: c.Title, Framework: c.Framework, Targets: map[string]int{},
		OpensAt: c.OpensAt.Format(time.RFC3339), ClosesAt: c.ClosesAt.Format(time.RFC3339), Module: c.Module,
		Session: c.Session, OpenToParents: c.OpenToParents, OrganiserRole: c.OrganiserRole}
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
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	nc := campaigns.NewCampaign{Title: in.Title, Framework: in.Framework, Targets: in.Targets, Module: in.Module,
		Session: in.Session, OpenToParents: in.OpenToParents}
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
