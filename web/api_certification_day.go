package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/certification"
	"ardoise/internal/errkind"
)

// supervisionPath is the path of the invigilator's API routes, which take
// a supervision token (not an account's) as their Bearer token.
const supervisionPath = "/api/v1/certification/supervision"

// isSupervision reports whether path is one of the invigilator's routes.
func isSupervision(path string) bool {
	return path == supervisionPath || strings.HasPrefix(path, supervisionPath+"/")
}

// deviceHeader carries a certification test's device token.
const deviceHeader = "X-Certification-Device"

// supervisionToken returns the caller's supervision token.
func supervisionToken(c *fiber.Ctx) string {
	t, _ := c.Locals(localSupervision).(string)
	return t
}

// apiSupervise is POST /api/v1/certification/supervision
// {"session", "password"} → {"token"}.
func (a *App) apiSupervise(c *fiber.Ctx) error {
	var in struct {
		Session  int    `json:"session"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	token, err := a.Certification.Supervise(c.UserContext(), in.Session, in.Password)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"token": token})
}

// apiSupervisionOpen is POST /api/v1/certification/supervision/open.
func (a *App) apiSupervisionOpen(c *fiber.Ctx) error {
	x, err := a.Certification.Open(c.UserContext(), supervisionToken(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": x.Status})
}

// apiSupervisionBoard is GET /api/v1/certification/supervision.
func (a *App) apiSupervisionBoard(c *fiber.Ctx) error {
	b, err := a.Certification.Board(c.UserContext(), supervisionToken(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": b.Session.Status, "candidates": b.Candidates})
}

// apiSupervisionConfirm is POST …/supervision/candidates/{id}/confirm.
func (a *App) apiSupervisionConfirm(c *fiber.Ctx) error {
	if _, err := a.Certification.Confirm(c.UserContext(), supervisionToken(c), c.Params("id")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"state": certification.StateAuthorised})
}

// apiSupervisionAlert is POST …/supervision/alerts/{id} {"decision"}.
func (a *App) apiSupervisionAlert(c *fiber.Ctx) error {
	var in struct {
		Decision string `json:"decision"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := a.Certification.Decide(c.UserContext(), supervisionToken(c), c.Params("id"), in.Decision); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"decision": in.Decision})
}

// apiSupervisionEnd is POST …/supervision/candidates/{id}/end {"reason"}.
func (a *App) apiSupervisionEnd(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := a.Certification.End(c.UserContext(), supervisionToken(c), c.Params("id"), in.Reason); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"state": certification.StateEnded})
}

// apiCheckIn is POST /api/v1/certification/checkin
// {"session", "lastName", "firstName", "birthDate"} → {"candidate", "state"}.
func (a *App) apiCheckIn(c *fiber.Ctx) error {
	var in struct {
		Session   int    `json:"session"`
		LastName  string `json:"lastName"`
		FirstName string `json:"firstName"`
		BirthDate string `json:"birthDate"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	handle, cand, err := a.Certification.CheckIn(c.UserContext(), currentUser(c), certification.CheckInInput{
		Session: in.Session, LastName: in.LastName, FirstName: in.FirstName, BirthDate: in.BirthDate})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"candidate": handle, "state": cand.State})
}

// apiCandidate is GET /api/v1/certification/candidates/{handle}: the
// candidate's state, which the waiting page polls.
func (a *App) apiCandidate(c *fiber.Ctx) error {
	cand, err := a.Certification.Candidate(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"candidate": c.Params("id"), "state": cand.State})
}

// certificationJSON is a certification test as its candidate sees it:
// never a result (the jury publishes it).
type certificationJSON struct {
	ID       string        `json:"id"`
	State    string        `json:"state"`
	Answered int           `json:"answered"`
	Total    int           `json:"total"`
	Deadline string        `json:"deadline"`
	Question *questionJSON `json:"question,omitempty"`
	// Device is the device token, given once when the test starts or
	// resumes: send it as X-Certification-Device with every call.
	Device string `json:"device,omitempty"`
}

func (a *App) certificationJSON(c *fiber.Ctx, t *assessments.Test) (certificationJSON, error) {
	out := certificationJSON{ID: t.ID, State: t.State, Answered: t.Counted(), Total: t.Config.MaxLength,
		Deadline: t.Deadline.Format(time.RFC3339)}
	q, err := a.questionJSON(c, t)
	out.Question = q
	return out, err
}

// apiCertificationStart is POST /api/v1/certification/start
// {"candidate", "accessCode"} → 201 {"id", "question", "device", …}.
func (a *App) apiCertificationStart(c *fiber.Ctx) error {
	var in struct {
		Candidate  string `json:"candidate"`
		AccessCode string `json:"accessCode"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := a.Certification.Start(c.UserContext(), currentUser(c), in.Candidate, in.AccessCode)
	if err != nil {
		return err
	}
	out, err := a.certificationJSON(c, st.Test)
	if err != nil {
		return err
	}
	out.Device = st.Device
	return c.Status(fiber.StatusCreated).JSON(out)
}

// apiCertificationGet is GET /api/v1/certifications/{id} (the device's).
func (a *App) apiCertificationGet(c *fiber.Ctx) error {
	t, err := a.Certification.Test(c.UserContext(), currentUser(c), c.Params("id"), c.Get(deviceHeader))
	if err != nil {
		return err
	}
	out, err := a.certificationJSON(c, t)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// apiCertificationAnswer is POST /api/v1/certifications/{id}/answers, the
// same shape as positioning's.
func (a *App) apiCertificationAnswer(c *fiber.Ctx) error {
	var in apiAnswer
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.ChallengeID == "" {
		return errkind.Invalid("challengeId", "required")
	}
	t, err := a.Certification.Answer(c.UserContext(), currentUser(c), c.Params("id"), c.Get(deviceHeader), in.ChallengeID, in.reader())
	return a.answered(c, t, err, func(t *assessments.Test) (any, error) { return a.certificationJSON(c, t) })
}

// apiCertificationAlert is POST /api/v1/certifications/{id}/alerts {"reason"}.
func (a *App) apiCertificationAlert(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	al, err := a.Certification.Alert(c.UserContext(), currentUser(c), c.Params("id"), c.Get(deviceHeader), in.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": al.ID, "decision": al.Decision})
}

// apiCertificationFocus is POST /api/v1/certifications/{id}/focus
// {"challengeId"}: the page reports that it left the question.
func (a *App) apiCertificationFocus(c *fiber.Ctx) error {
	var in struct {
		ChallengeID string `json:"challengeId"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	err := a.Certification.FocusLost(c.UserContext(), currentUser(c), c.Params("id"), c.Get(deviceHeader), in.ChallengeID)
	var stale *assessments.StaleError
	if errors.As(err, &stale) {
		return c.SendStatus(fiber.StatusNoContent) // about a question no longer served: nothing to do
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
