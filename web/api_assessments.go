package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/internal/errkind"
)

// questionJSON is a question as the API serves it: never the solution.
type questionJSON struct {
	ID          string                 `json:"id"`
	Type        string                 `json:"type"`
	Competence  string                 `json:"competence"`
	Prompt      string                 `json:"prompt"`
	Proposals   []assessments.Proposal `json:"proposals,omitempty"`
	Fields      []assessments.Field    `json:"fields,omitempty"`
	Timer       int                    `json:"timer,omitempty"`
	Accessible  bool                   `json:"accessible"`
	ServedAt    string                 `json:"servedAt"`
	Placeholder string                 `json:"placeholder,omitempty"`
}

type resultJSON struct {
	Framework      string             `json:"framework"`
	Competence     string             `json:"competence,omitempty"`
	Score          int                `json:"score"`
	Level          int                `json:"level"`
	Levels         map[string]int     `json:"levels"`
	StandardErrors map[string]float64 `json:"standardErrors"`
	ContentVersion string             `json:"contentVersion"`
	ScoringVersion string             `json:"scoringVersion"`
	FinishedAt     string             `json:"finishedAt"`
}

type testJSON struct {
	ID       string        `json:"id"`
	State    string        `json:"state"`
	Answered int           `json:"answered"`
	Question *questionJSON `json:"question,omitempty"`
	Result   *resultJSON   `json:"result,omitempty"`
	LastLate bool          `json:"lastAnswerLate,omitempty"`
}

func (a *App) testJSON(c *fiber.Ctx, t *assessments.Test) (testJSON, error) {
	out := testJSON{ID: t.ID, State: t.State, Answered: t.Answered}
	if n := len(t.Answers); n > 0 {
		out.LastLate = t.Answers[n-1].Late
	}
	q, err := a.questionJSON(c, t)
	if err != nil {
		return out, err
	}
	out.Question = q
	if r := t.Result; r != nil {
		out.Result = &resultJSON{Framework: t.Scope.Framework, Competence: t.Scope.Competence, Score: r.Score, Level: r.Level,
			Levels: r.Levels(), StandardErrors: r.StandardErrors(), ContentVersion: t.ContentVersion,
			ScoringVersion: r.ScoringVersion, FinishedAt: t.FinishedAt.Format(time.RFC3339)}
	}
	return out, nil
}

// questionJSON is the question a test serves, or nil.
func (a *App) questionJSON(c *fiber.Ctx, t *assessments.Test) (*questionJSON, error) {
	if t.Current == nil {
		return nil, nil
	}
	ch, err := a.Assessments.Challenge(c.UserContext(), t, t.Current.ChallengeID)
	if err != nil {
		return nil, err
	}
	return &questionJSON{ID: ch.ID, Type: ch.Type, Competence: ch.Competence, Prompt: ch.PromptHTML,
		Proposals: t.ProposalsOf(ch), Fields: ch.Fields, Timer: ch.Timer, Accessible: ch.Accessible,
		ServedAt: t.Current.ServedAt.Format(time.RFC3339), Placeholder: ch.Placeholder}, nil
}

type frameworkJSON struct {
	ID          string           `json:"id"`
	Title       string           `json:"title"`
	Competences []competenceJSON `json:"competences"`
}

type competenceJSON struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Challenges int    `json:"challenges"`
}

func (a *App) apiFrameworks(c *fiber.Ctx) error {
	var out []frameworkJSON
	for _, f := range a.Assessments.Bank().Frameworks {
		fj := frameworkJSON{ID: f.ID, Title: f.Title}
		for _, comp := range f.Competences {
			fj.Competences = append(fj.Competences, competenceJSON{ID: comp.ID, Title: comp.Title, Challenges: f.CountIn(comp.ID)})
		}
		out = append(out, fj)
	}
	return c.JSON(out)
}

func (a *App) apiAssessStart(c *fiber.Ctx) error {
	var in struct {
		Framework  string `json:"framework"`
		Competence string `json:"competence"`
		Accessible bool   `json:"accessible"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := a.Assessments.Start(c.UserContext(), a.owner(c, false), assessments.Scope{Framework: in.Framework, Competence: in.Competence}, in.Accessible)
	if err != nil {
		return err
	}
	out, err := a.testJSON(c, t)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if t.Answered > 0 {
		status = fiber.StatusOK // an unfinished test of that scope is resumed
	}
	return c.Status(status).JSON(out)
}

func (a *App) apiAssessGet(c *fiber.Ctx) error {
	t, err := a.Assessments.Test(c.UserContext(), c.Params("id"), a.owner(c, false))
	if err != nil {
		return err
	}
	out, err := a.testJSON(c, t)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// apiAnswer is an answer as the API takes it: answer is a string (QCU
// proposal id, QROC text), an array (QCM proposal ids) or an object (QROCM
// field → text).
type apiAnswer struct {
	ChallengeID string          `json:"challengeId"`
	Answer      json.RawMessage `json:"answer"`
	Skipped     bool            `json:"skipped"`
}

func (a *App) apiAssessAnswer(c *fiber.Ctx) error {
	var in apiAnswer
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.ChallengeID == "" {
		return errkind.Invalid("challengeId", "required")
	}
	nt, err := a.Assessments.AnswerWith(c.UserContext(), c.Params("id"), a.owner(c, false), in.ChallengeID, in.reader())
	return a.answered(c, nt, err, func(t *assessments.Test) (any, error) { return a.testJSON(c, t) })
}

// reader reads the answer in the shape the challenge's type expects.
func (in apiAnswer) reader() assessments.AnswerReader {
	return func(ch *assessments.Challenge) (assessments.Answer, error) {
		if in.Skipped {
			return assessments.Answer{Skipped: true}, nil
		}
		return parseAPIAnswer(ch, in.Answer)
	}
}

// answered writes the outcome of an answer as the API returns it: the test
// in the caller's JSON view, or for a stale answer 409 with the error and
// the test as it is, so the client can show the question actually served.
func (a *App) answered(c *fiber.Ctx, t *assessments.Test, err error, view func(*assessments.Test) (any, error)) error {
	var stale *assessments.StaleError
	if errors.As(err, &stale) && stale.Test != nil {
		cur, jerr := view(stale.Test)
		if jerr != nil {
			return jerr
		}
		code := "stale_answer"
		if stale.Test.State == assessments.StateFinished {
			code = "test_finished"
		}
		return c.Status(fiber.StatusConflict).JSON(fiber.Map{
			"error": apiErrorBody{Code: code, Message: a.catalog.T(lang(c), "assess.error."+code)},
			"test":  cur,
		})
	}
	if err != nil {
		return err
	}
	out, err := view(t)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// parseAPIAnswer reads the answer in the shape the challenge's type expects.
func parseAPIAnswer(ch *assessments.Challenge, raw json.RawMessage) (assessments.Answer, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return assessments.Answer{}, errkind.Invalid("answer", "required")
	}
	bad := errkind.Invalid("answer", "bad_type")
	switch ch.Type {
	case assessments.TypeQCU, assessments.TypeQROC:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return assessments.Answer{}, bad
		}
		if ch.Type == assessments.TypeQCU {
			return assessments.Answer{Choice: s}, nil
		}
		return assessments.Answer{Text: s}, nil
	case assessments.TypeQCM:
		var ids []string
		if json.Unmarshal(raw, &ids) != nil {
			return assessments.Answer{}, bad
		}
		if len(ids) == 0 || len(ids) > 20 {
			return assessments.Answer{}, errkind.Invalid("answer", "answer_shape")
		}
		return assessments.Answer{Choices: ids}, nil
	default:
		var m map[string]string
		if json.Unmarshal(raw, &m) != nil {
			return assessments.Answer{}, bad
		}
		if len(m) == 0 {
			return assessments.Answer{}, errkind.Invalid("answer", "answer_shape")
		}
		return assessments.Answer{Fields: m}, nil
	}
}

// contentImage serves the images shipped with the content.
func (a *App) contentImage(c *fiber.Ctx) error {
	name := c.Params("file")
	body, ct, ok := contentImageFile(name)
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, ct)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	return c.Send(body)
}
