package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/community"
)

// requestsView is an académie space's pending requests to join it.
type requestsView struct {
	Space    *community.Space
	Requests []community.AcademieRequest
	Notice   string
}

// communityRequests lists the people who moved to the space's académie and
// wait to join it (its moderators and admins).
func (a *App) communityRequests(c *fiber.Ctx) error {
	sp, reqs, err := a.Community.AcademieRequests(c.UserContext(), currentUser(c), c.Params("space"))
	if err != nil {
		return err
	}
	v := requestsView{Space: sp, Requests: reqs}
	if n := c.Query("fait"); n == community.DecisionApprove || n == community.DecisionRefuse {
		v.Notice = "community.requests.done_" + n
	}
	return a.render(c, fiber.StatusOK, "community_requests", page{Title: "community.requests.title", Data: v})
}

// webDecisions maps the form's French decisions to the community's.
var webDecisions = map[string]string{"accepter": community.DecisionApprove, "refuser": community.DecisionRefuse}

// communityResolveRequest approves or refuses one request (decision=accepter|refuser).
func (a *App) communityResolveRequest(c *fiber.Ctx) error {
	decision := webDecisions[c.FormValue("decision")]
	err := a.Community.ResolveAcademieRequest(c.UserContext(), currentUser(c), c.Params("space"), c.Params("user"), decision)
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "message", page{Title: "community.requests.title", Data: firstMessage(a.formErrors(c, v))})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/"+c.Params("space")+"/demandes?fait="+decision, fiber.StatusSeeOther)
}

func (a *App) apiAcademieRequests(c *fiber.Ctx) error {
	_, reqs, err := a.Community.AcademieRequests(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"requests": reqs})
}

func (a *App) apiResolveAcademieRequest(c *fiber.Ctx) error {
	var in struct {
		Decision string `json:"decision"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := a.Community.ResolveAcademieRequest(c.UserContext(), currentUser(c), c.Params("id"), c.Params("user"), in.Decision); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// communitySetModerator appoints or removes a moderator of an académie or
// département space (admins; action=ajouter|retirer).
func (a *App) communitySetModerator(c *fiber.Ctx) error {
	sp := c.Params("space")
	err := a.Community.SetModerator(c.UserContext(), currentUser(c), sp, c.FormValue("email"), c.FormValue("action") != "retirer")
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "message", page{Title: "community.moderators.title", Data: firstMessage(a.formErrors(c, v))})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/"+sp+"/signalements?fait=moderateur", fiber.StatusSeeOther)
}
