package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
)

// apiFinalize is POST /api/v1/certification/sessions/{id}/finalize
// {"comment", "incidents", "reports": [{"candidate", "category", "text"}],
// "reasons": {candidateId: reason}} → {"status", "jury"}: a référent of
// the session's centre.
func (a *App) apiFinalize(c *fiber.Ctx) error {
	var in certification.FinalizeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	x, err := a.Certification.Finalize(c.UserContext(), currentUser(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": x.Status, "jury": x.Jury})
}

// apiJury is GET /api/v1/certification/sessions/{id}/jury: the jury's
// lines (an admin who is neither a référent of the centre nor the one who
// finalized).
func (a *App) apiJury(c *fiber.Ctx) error {
	v, err := a.Certification.JuryView(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// apiJuryDecide is POST /api/v1/certifications/{id}/jury
// {"decision": "validate"|"cancel"|"reject", "comment"}.
func (a *App) apiJuryDecide(c *fiber.Ctx) error {
	var in struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := a.Certification.JuryDecide(c.UserContext(), currentUser(c), c.Params("id"), in.Decision, in.Comment)
	if err != nil {
		return err
	}
	return c.JSON(l)
}

// apiPublish is POST /api/v1/certification/sessions/{id}/publish: the
// worker then issues the validated certificates.
func (a *App) apiPublish(c *fiber.Ctx) error {
	x, err := a.Certification.Publish(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": x.Status, "publishedAt": x.PublishedAt})
}

// apiCertificationResults is GET /api/v1/certifications: the signed-in
// candidate's own published results.
func (a *App) apiCertificationResults(c *fiber.Ctx) error {
	list, err := a.Certification.Results(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"results": list})
}

// apiCertificationRevoke is POST /api/v1/certifications/{id}/revoke
// {"reason"}: the jury revokes a certificate; its history keeps why.
func (a *App) apiCertificationRevoke(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cert, err := a.Certification.Revoke(c.UserContext(), currentUser(c), c.Params("id"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"revoked": cert.Revoked, "revokedAt": cert.RevokedAt, "history": cert.History})
}
