package web

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
)

// apiCertificationCentreCreate is POST /api/v1/certification/centres
// (admins): {"name","territory":{"academie","departement"?},"referents":[emails]}.
func (a *App) apiCertificationCentreCreate(c *fiber.Ctx) error {
	var in certification.CentreInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	centre, err := a.Certification.CreateCentre(c.UserContext(), currentUser(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": centre.ID})
}

// apiCertificationSessionCreate is POST /api/v1/certification/sessions (a
// référent of the centre): {"centre","kind","date","time","place","room","invigilator"}.
func (a *App) apiCertificationSessionCreate(c *fiber.Ctx) error {
	var in certification.SessionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	x, err := a.Certification.CreateSession(c.UserContext(), currentUser(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": x.ID, "number": x.Number,
		"accessCode": x.AccessCode, "invigilatorPassword": x.InvigilatorPassword})
}

// certSessionJSON is a session as its référents (and admins) read it: the
// fields it was created with, its number, codes, status and candidates.
type certSessionJSON struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	certification.SessionInput
	AccessCode          string              `json:"accessCode"`
	InvigilatorPassword string              `json:"invigilatorPassword"`
	Status              string              `json:"status"`
	CreatedAt           string              `json:"createdAt"`
	Candidates          []certCandidateJSON `json:"candidates"`
}

// certCandidateJSON is a candidate as the référent imported it, with its
// id and state.
type certCandidateJSON struct {
	ID string `json:"id"`
	certification.CandidateInput
	State string `json:"state"`
}

func toCertCandidateJSON(k *certification.Candidate) certCandidateJSON {
	return certCandidateJSON{ID: k.ID, State: k.State, CandidateInput: certification.CandidateInput{LastName: k.LastName,
		FirstName: k.FirstName, BirthDate: k.BirthDate, Email: k.Email, ExtraTime: k.ExtraTime, Adjustment: k.Adjustment}}
}

// apiCertificationSession is GET /api/v1/certification/sessions/{id}.
func (a *App) apiCertificationSession(c *fiber.Ctx) error {
	x, err := a.Certification.SessionFor(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	out := certSessionJSON{ID: x.ID, Number: x.Number, SessionInput: certification.SessionInput{Centre: x.CentreID,
		Kind: x.Kind, Date: x.Date, Time: x.Time, Place: x.Place, Room: x.Room, Invigilator: x.Invigilator},
		AccessCode: x.AccessCode, InvigilatorPassword: x.InvigilatorPassword, Status: x.Status,
		CreatedAt: x.CreatedAt.Format(time.RFC3339), Candidates: make([]certCandidateJSON, 0, len(x.Candidates))}
	for i := range x.Candidates {
		out.Candidates = append(out.Candidates, toCertCandidateJSON(&x.Candidates[i]))
	}
	return c.JSON(out)
}

// apiCertificationCandidates is POST /api/v1/certification/sessions/{id}/candidates:
// a text/csv body replaces the list (200 {"imported"}, or 400 with every
// line to fix); a JSON body adds one candidate (201).
func (a *App) apiCertificationCandidates(c *fiber.Ctx) error {
	ctype := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ctype, fiber.MIMEApplicationJSON):
		return a.apiCertificationAddCandidate(c)
	case strings.HasPrefix(ctype, "text/csv"), strings.HasPrefix(ctype, fiber.MIMETextPlain):
	default:
		return fiber.ErrUnsupportedMediaType
	}
	n, _, err := a.Certification.ImportCandidates(c.UserContext(), currentUser(c), c.Params("id"), bytes.NewReader(c.Body()))
	var ie *certification.ImportError
	if errors.As(err, &ie) {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{
			"error": apiErrorBody{Code: "candidates_file", Message: a.catalog.T(lang(c), "error.candidates_file")},
			"lines": ie.Lines})
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"imported": n})
}

// apiCertificationAddCandidate adds the one candidate of a JSON body.
func (a *App) apiCertificationAddCandidate(c *fiber.Ctx) error {
	var in certification.CandidateInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	k, err := a.Certification.AddCandidate(c.UserContext(), currentUser(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCertCandidateJSON(k))
}
