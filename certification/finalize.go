package certification

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ardoise/assessments"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Report categories of a finalization.
const (
	ReportFraud       = "fraud"
	ReportTechnical   = "technical"
	ReportNonBlocking = "non_blocking"
	ReportLateStart   = "late_start"
)

var reportCategories = []string{ReportFraud, ReportTechnical, ReportNonBlocking, ReportLateStart}

// Refusal codes after the session; each has its message in the catalog.
const (
	// CodeNotReferent refuses an account that is not a référent of the
	// session's centre.
	CodeNotReferent = "certification_not_referent"
	// CodeNotFinalizable refuses to finalize a session that is not open.
	CodeNotFinalizable = "certification_not_finalizable"
)

// Limits of a finalization's texts, in characters.
const (
	maxFinalComment = 2000
	maxReportText   = 1000
	maxReason       = 500
	maxReports      = 500
)

// Report is an incident the référent reports on a candidate.
type Report struct {
	CandidateID string `bson:"candidate" json:"candidate"`
	Category    string `bson:"category" json:"category"`
	Text        string `bson:"text" json:"text"`
}

// FinalizeInput is what the référent writes after the session.
type FinalizeInput struct {
	Comment   string   `json:"comment"`
	Incidents bool     `json:"incidents"`
	Reports   []Report `json:"reports"`
	// Reasons gives, per candidate id, why a test is not finished: required
	// for every candidate whose state is not finished.
	Reasons map[string]string `json:"reasons"`
}

// Finalization is the référent's report, kept on the session.
type Finalization struct {
	Comment   string            `bson:"comment"`
	Incidents bool              `bson:"incidents"`
	Reports   []Report          `bson:"reports"`
	Reasons   map[string]string `bson:"reasons"`
	By        string            `bson:"by"`
	At        time.Time         `bson:"at"`
}

// referentOf checks that actor is a référent of session x's centre: one
// read of the centre by _id.
func (s *Service) referentOf(ctx context.Context, actor *profile.User, x *Session) (*Centre, error) {
	c, err := s.store.centre(ctx, x.CentreID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(c.Referents, actor.ID) {
		return nil, &errkind.DeniedError{Code: CodeNotReferent}
	}
	return c, nil
}

// Finalize closes an open session with the référent's report: running
// tests are ended, the session becomes finalized, and the automatic first
// pass marks every started test for the jury; the session is then
// in_review. Only a référent of the session's centre finalizes. A session
// left finalized (the first pass did not run to its end) is finalized
// again by the same call, which runs only the first pass.
func (s *Service) Finalize(ctx context.Context, actor *profile.User, sessionID string, in FinalizeInput) (*Session, error) {
	if actor == nil {
		return nil, errkind.ErrUnauthenticated
	}
	x, err := s.store.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if _, err := s.referentOf(ctx, actor, x); err != nil {
		return nil, err
	}
	switch x.Status {
	case StatusOpen:
	case StatusFinalized:
		return s.firstPass(ctx, x.ID)
	default:
		return nil, refused(CodeNotFinalizable)
	}
	f, err := finalization(x, in)
	if err != nil {
		return nil, err
	}
	for _, c := range x.Candidates {
		if c.TestID == "" || c.State == StateFinished || c.State == StateEnded {
			continue
		}
		if _, err := s.assessments.EndCertification(ctx, c.TestID, assessments.EndInvigilator); err != nil {
			var stale *assessments.StaleError
			if !errors.As(err, &stale) {
				return nil, err
			}
		}
	}
	now := s.now()
	f.By, f.At = actor.ID, now
	if _, err := s.store.update(ctx, x.ID, func(x *Session) error {
		if x.Status != StatusOpen {
			return refused(CodeNotFinalizable)
		}
		for i := range x.Candidates {
			c := &x.Candidates[i]
			if c.TestID != "" && c.State != StateFinished && c.State != StateEnded {
				c.State, c.EndReason = StateEnded, f.Reasons[c.ID]
				x.event(now, "end", c.ID, c.EndReason)
			}
		}
		x.Finalization, x.Status = f, StatusFinalized
		x.event(now, "finalize", "", "")
		return nil
	}); err != nil {
		return nil, err
	}
	return s.firstPass(ctx, x.ID)
}

// finalization checks a référent's input against session x: every field
// in error at once, the candidates without the reason their unfinished
// test needs listed as reasons.<candidate id>.
func finalization(x *Session, in FinalizeInput) (*Finalization, error) {
	var v errkind.ValidationError
	f := &Finalization{Comment: strings.TrimSpace(in.Comment), Incidents: in.Incidents, Reports: []Report{}, Reasons: map[string]string{}}
	if utf8.RuneCountInString(f.Comment) > maxFinalComment {
		v.Add("comment", "too_long")
	}
	if len(in.Reports) > maxReports {
		v.Add("reports", "too_long")
	}
	for i, r := range in.Reports {
		field := fmt.Sprintf("reports.%d", i)
		r.Text = strings.TrimSpace(r.Text)
		switch {
		case x.candidate(r.CandidateID) == nil:
			v.Add(field+".candidate", "invalid_choice")
		case !slices.Contains(reportCategories, r.Category):
			v.Add(field+".category", "invalid_choice")
		case r.Text == "":
			v.Add(field+".text", "required")
		case utf8.RuneCountInString(r.Text) > maxReportText:
			v.Add(field+".text", "too_long")
		default:
			f.Reports = append(f.Reports, r)
		}
	}
	for _, c := range x.Candidates {
		if c.State == StateFinished {
			continue
		}
		reason := strings.TrimSpace(in.Reasons[c.ID])
		switch {
		case reason == "":
			v.Add("reasons."+c.ID, "required")
		case utf8.RuneCountInString(reason) > maxReason:
			v.Add("reasons."+c.ID, "too_long")
		default:
			f.Reasons[c.ID] = reason
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return f, nil
}
