package certification

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ardoise/assessments"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Marks of the automatic first pass.
const (
	MarkValidated = "validated"
	MarkToReview  = "to_review"
	MarkError     = "error"
)

// The jury's decisions.
const (
	DecisionValidate = "validate"
	DecisionCancel   = "cancel"
	DecisionReject   = "reject"
)

// Why the first pass did not validate a test.
const (
	WhyFewAnswers = "few_answers" // fewer than MinCounted counted answers
	WhyFraud      = "fraud"       // a fraud report
	WhyAlerts     = "alerts"      // MaxValidatedAlerts or more validated alerts
	WhyNoResult   = "no_result"   // the test has no result
	WhyReplay     = "replay"      // the replay does not give the stored result
)

// Thresholds of the first pass.
const (
	// MinCounted is the fewest counted answers a validated test has.
	MinCounted = 20
	// MaxValidatedAlerts is how many validated alerts send a test to review.
	MaxValidatedAlerts = 3
)

// Refusal codes of the jury.
const (
	// CodeNotJury refuses an account that may not judge this session: not
	// an admin, a référent of its centre, or the one who finalized it.
	CodeNotJury = "certification_not_jury"
	// CodeNotInReview refuses a jury action on a session not in review.
	CodeNotInReview = "certification_not_in_review"
	// CodeJuryPending refuses a publication while a test is in error or
	// awaits the jury's decision.
	CodeJuryPending = "certification_jury_pending"
	// CodeErrorNotValidated refuses to validate a test in error.
	CodeErrorNotValidated = "certification_error_not_validated"
)

// LevelLine is one competence's level in a result.
type LevelLine struct {
	Competence string `bson:"competence" json:"competence"`
	Title      string `bson:"title" json:"title"`
	Level      int    `bson:"level" json:"level"`
}

// JuryLine is one started test as the jury judges it.
type JuryLine struct {
	CandidateID string      `bson:"candidate" json:"candidate"`
	TestID      string      `bson:"testId" json:"testId"`
	Mark        string      `bson:"mark" json:"mark"`
	Why         []string    `bson:"why,omitempty" json:"why"`
	Counted     int         `bson:"counted" json:"counted"`
	Score       int         `bson:"score" json:"score"`
	Levels      []LevelLine `bson:"levels" json:"levels"`
	FinishedAt  time.Time   `bson:"finishedAt" json:"finishedAt"`
	// Problems are the replay's, for an error.
	Problems []string `bson:"problems,omitempty" json:"problems,omitempty"`
	// Decision is the jury's ("" until it decides), with its comment.
	Decision string    `bson:"decision,omitempty" json:"decision,omitempty"`
	Comment  string    `bson:"comment,omitempty" json:"comment,omitempty"`
	By       string    `bson:"by,omitempty" json:"-"`
	At       time.Time `bson:"at,omitempty" json:"at,omitzero"`
	// CertificateID and Code (as displayed, C-XXXXXXXX) are set once the
	// certificate is issued.
	CertificateID string `bson:"certificateId,omitempty" json:"certificateId,omitempty"`
	Code          string `bson:"code,omitempty" json:"code,omitempty"`
}

// Validated reports whether the line's certification is to be issued: the
// first pass validated it and the jury did not overturn it, or the jury
// validated it.
func (l *JuryLine) Validated() bool {
	switch l.Decision {
	case DecisionValidate:
		return l.Mark != MarkError
	case "":
		return l.Mark == MarkValidated
	}
	return false
}

// settled reports whether the line lets the session be published.
func (l *JuryLine) settled() bool {
	switch l.Mark {
	case MarkError:
		return l.Decision == DecisionCancel || l.Decision == DecisionReject
	case MarkToReview:
		return l.Decision != ""
	}
	return true
}

// firstPass marks every started test of a finalized session and moves it
// to in_review. It reads the tests and replays each, then writes once.
func (s *Service) firstPass(ctx context.Context, sessionID string) (*Session, error) {
	x, err := s.store.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if x.Status != StatusFinalized {
		return x, nil
	}
	lines := make([]JuryLine, 0, len(x.Candidates))
	for _, c := range x.Candidates {
		if c.TestID == "" {
			continue
		}
		l, err := s.mark(ctx, x, c)
		if err != nil {
			return nil, err
		}
		lines = append(lines, l)
	}
	if err := s.store.addToDesk(ctx, juryDesk, "sessions", x.ID); err != nil {
		return nil, err
	}
	now := s.now()
	return s.store.update(ctx, x.ID, func(x *Session) error {
		if x.Status != StatusFinalized {
			return nil
		}
		x.Jury, x.Status = lines, StatusInReview
		x.event(now, "first-pass", "", "")
		return nil
	})
}

// mark is the first pass on one candidate's test.
func (s *Service) mark(ctx context.Context, x *Session, c Candidate) (JuryLine, error) {
	l := JuryLine{CandidateID: c.ID, TestID: c.TestID, Mark: MarkValidated, Why: []string{}, Levels: []LevelLine{}}
	t, err := s.assessments.CertificationTest(ctx, c.TestID)
	if err != nil {
		return l, err
	}
	l.Counted, l.FinishedAt = t.Counted(), t.FinishedAt
	if t.State != assessments.StateFinished || t.Result == nil {
		l.Mark, l.Why = MarkError, append(l.Why, WhyNoResult)
		return l, nil
	}
	l.Score, l.Levels = t.Result.Score, s.levels(t.Result)
	rep, err := s.assessments.Replay(ctx, t.ID)
	switch {
	case err != nil:
		l.Mark, l.Why, l.Problems = MarkError, append(l.Why, WhyReplay), []string{err.Error()}
		return l, nil
	case !rep.Match:
		l.Mark, l.Why, l.Problems = MarkError, append(l.Why, WhyReplay), rep.Problems
		return l, nil
	}
	if l.Counted < MinCounted {
		l.Why = append(l.Why, WhyFewAnswers)
	}
	if x.Finalization != nil && slices.ContainsFunc(x.Finalization.Reports, func(r Report) bool {
		return r.CandidateID == c.ID && r.Category == ReportFraud
	}) {
		l.Why = append(l.Why, WhyFraud)
	}
	validated := 0
	for _, a := range x.Alerts {
		if a.CandidateID == c.ID && a.Decision == "validate" {
			validated++
		}
	}
	if validated >= MaxValidatedAlerts {
		l.Why = append(l.Why, WhyAlerts)
	}
	if len(l.Why) > 0 {
		l.Mark = MarkToReview
	}
	return l, nil
}

// levels lists a result's competences with their titles, in the result's order.
func (s *Service) levels(r *assessments.Result) []LevelLine {
	out := make([]LevelLine, 0, len(r.Competences))
	for _, c := range r.Competences {
		out = append(out, LevelLine{Competence: c.ID, Title: s.competenceTitle(c.ID), Level: c.Level})
	}
	return out
}

// competenceTitle is a competence's title in the current bank, or its id.
func (s *Service) competenceTitle(id string) string {
	for _, f := range s.assessments.Bank().Frameworks {
		if c, ok := f.Competence(id); ok {
			return c.Title
		}
	}
	return id
}

// juryOf checks that actor may judge session x: an admin who is neither a
// référent of its centre nor the account that finalized it (the
// invigilator is a name on the session, not an account).
func (s *Service) juryOf(ctx context.Context, actor *profile.User, x *Session) error {
	if actor == nil {
		return errkind.ErrUnauthenticated
	}
	if !actor.Has(profile.RoleAdmin) {
		return fmt.Errorf("certification: jury: %w", errkind.ErrForbidden)
	}
	c, err := s.store.centre(ctx, x.CentreID)
	if err != nil {
		return err
	}
	if slices.Contains(c.Referents, actor.ID) || (x.Finalization != nil && x.Finalization.By == actor.ID) {
		return &errkind.DeniedError{Code: CodeNotJury}
	}
	return nil
}

// juryOfSession reads a session, once actor is checked to be its jury.
func (s *Service) juryOfSession(ctx context.Context, actor *profile.User, sessionID string) (*Session, error) {
	if actor == nil {
		return nil, errkind.ErrUnauthenticated
	}
	x, err := s.store.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if err := s.juryOf(ctx, actor, x); err != nil {
		return nil, err
	}
	return x, nil
}

// juryOfTest returns the session of a certification test, once actor is
// checked to be its jury (juryOf).
func (s *Service) juryOfTest(ctx context.Context, actor *profile.User, testID string) (*Session, error) {
	if actor == nil {
		return nil, errkind.ErrUnauthenticated
	}
	t, err := s.assessments.CertificationTest(ctx, testID)
	if err != nil {
		return nil, err
	}
	return s.juryOfSession(ctx, actor, t.Session)
}

// JuryViewLine is a jury line with what the jury reads beside it.
type JuryViewLine struct {
	JuryLine
	LastName  string   `json:"lastName"`
	FirstName string   `json:"firstName"`
	State     string   `json:"state"`
	Reports   []Report `json:"reports"`
	Reason    string   `json:"reason,omitempty"`
	Alerts    int      `json:"alerts"`
	Validated int      `json:"validatedAlerts"`
	// Events is the candidate's lines of the session's log.
	Events []Event `json:"events"`
}

// JuryView is what the jury reads of a session.
type JuryView struct {
	Session   *Session       `json:"-"`
	Status    string         `json:"status"`
	Comment   string         `json:"comment"`
	Incidents bool           `json:"incidents"`
	Lines     []JuryViewLine `json:"lines"`
	// Log is the session's whole log (certification_logs).
	Log []Event `json:"log"`
}

// JuryView returns a session's jury lines, for the jury: one read of the
// session, one of its centre and one of its log.
func (s *Service) JuryView(ctx context.Context, actor *profile.User, sessionID string) (*JuryView, error) {
	x, err := s.juryOfSession(ctx, actor, sessionID)
	if err != nil {
		return nil, err
	}
	log, err := s.store.Log(ctx, x.ID)
	if err != nil {
		return nil, err
	}
	v := &JuryView{Session: x, Status: x.Status, Lines: make([]JuryViewLine, 0, len(x.Jury)), Log: log}
	if f := x.Finalization; f != nil {
		v.Comment, v.Incidents = f.Comment, f.Incidents
	}
	for _, l := range x.Jury {
		vl := JuryViewLine{JuryLine: l, Reports: []Report{}, Events: []Event{}}
		if c := x.candidate(l.CandidateID); c != nil {
			vl.LastName, vl.FirstName, vl.State = c.LastName, c.FirstName, c.State
		}
		if f := x.Finalization; f != nil {
			vl.Reason = f.Reasons[l.CandidateID]
			for _, r := range f.Reports {
				if r.CandidateID == l.CandidateID {
					vl.Reports = append(vl.Reports, r)
				}
			}
		}
		for _, a := range x.Alerts {
			if a.CandidateID == l.CandidateID {
				vl.Alerts++
				if a.Decision == "validate" {
					vl.Validated++
				}
			}
		}
		for _, e := range log {
			if e.CandidateID == l.CandidateID {
				vl.Events = append(vl.Events, e)
			}
		}
		v.Lines = append(v.Lines, vl)
	}
	return v, nil
}

// maxJuryComment bounds a jury's comment, in characters.
const maxJuryComment = 2000

// JuryDecide records the jury's decision on a certification test:
// validate, cancel or reject (the last two with a comment). A test in
// error cannot be validated. The decision can change until publication.
func (s *Service) JuryDecide(ctx context.Context, actor *profile.User, testID, decision, comment string) (*JuryLine, error) {
	x, err := s.juryOfTest(ctx, actor, testID)
	if err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	var v errkind.ValidationError
	if !slices.Contains([]string{DecisionValidate, DecisionCancel, DecisionReject}, decision) {
		v.Add("decision", "invalid_choice")
	}
	if comment == "" && (decision == DecisionCancel || decision == DecisionReject) {
		v.Add("comment", "required")
	}
	if utf8.RuneCountInString(comment) > maxJuryComment {
		v.Add("comment", "too_long")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var out JuryLine
	_, err = s.store.update(ctx, x.ID, func(x *Session) error {
		if x.Status != StatusInReview {
			return refused(CodeNotInReview)
		}
		for i := range x.Jury {
			l := &x.Jury[i]
			if l.TestID != testID {
				continue
			}
			if l.Mark == MarkError && decision == DecisionValidate {
				return refused(CodeErrorNotValidated)
			}
			l.Decision, l.Comment, l.By, l.At = decision, comment, actor.ID, now
			x.event(now, "jury-"+decision, l.CandidateID, testID)
			out = *l
			return nil
		}
		return fmt.Errorf("certification: jury line of test %s: %w", testID, errkind.ErrNotFound)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
