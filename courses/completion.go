package courses

import (
	"math"
	"time"
)

// markerCredit is the pending follow-up a completion writes into the
// enrolment: crediting the hours (which in turn issues the attestation).
const markerCredit = "credit-hours"

// Progress is where an enrolment stands against its module's rule.
type Progress struct {
	PagesSeen, Pages int
	ActiveSeconds    int
	NeededSeconds    int
	QuizScore        float64
	NeededScore      float64
	Answered         int
	Quizzes          int
}

// Percent is the share of pages seen, for the progress bar.
func (p Progress) Percent() int {
	if p.Pages == 0 {
		return 0
	}
	return p.PagesSeen * 100 / p.Pages
}

// AllPages reports whether every page was seen.
func (p Progress) AllPages() bool { return p.PagesSeen == p.Pages }

// TimeMet reports whether the active time reached the rule's share.
func (p Progress) TimeMet() bool { return p.ActiveSeconds >= p.NeededSeconds }

// QuizMet reports whether the quiz score reached the rule's minimum.
func (p Progress) QuizMet() bool { return p.QuizScore+1e-9 >= p.NeededScore }

// Met reports whether the whole rule is met.
func (p Progress) Met() bool { return p.AllPages() && p.TimeMet() && p.QuizMet() }

// PartlyMet reports whether only the time is short: the learner may then
// finish, and the hours go to an inspector's review.
func (p Progress) PartlyMet() bool { return p.AllPages() && p.QuizMet() && !p.TimeMet() }

// ActiveMinutes is the observed active time, rounded down.
func (p Progress) ActiveMinutes() int { return p.ActiveSeconds / 60 }

// NeededMinutes is the active time the rule needs, rounded up.
func (p Progress) NeededMinutes() int { return int(math.Ceil(float64(p.NeededSeconds) / 60)) }

// ProgressOf measures an enrolment against the module of its version.
func (m *Module) ProgressOf(e *Enrolment) Progress {
	p := Progress{Pages: len(m.Pages), ActiveSeconds: e.ActiveSeconds, NeededScore: m.Completion.MinQuizScore}
	p.NeededSeconds = int(math.Ceil(m.Completion.MinActiveShare * float64(m.DurationMinutes) * 60))
	for _, pg := range m.Pages {
		if e.Page(pg.ID) != nil {
			p.PagesSeen++
		}
	}
	answers := map[string][]string{}
	for _, q := range e.Quizzes {
		answers[q.ID] = q.Choice
	}
	p.Quizzes = len(m.Quizzes())
	for _, q := range m.Quizzes() {
		if e.Quiz(q.ID) != nil {
			p.Answered++
		}
	}
	p.QuizScore = m.Score(answers)
	return p
}

// complete writes the completion into the enrolment when state is due:
// StateCredited when the rule is met, StateToReview on the learner's
// request when only time is short. It reports whether it completed.
func (e *Enrolment) complete(m *Module, p Progress, state string, now time.Time) bool {
	if e.Completion != nil {
		return false
	}
	switch {
	case state == StateCredited && p.Met():
	case state == StateToReview && p.PartlyMet():
	default:
		return false
	}
	e.Completion = &CompletionRecord{
		At: now, Version: e.Version, State: state, ActiveSeconds: e.ActiveSeconds,
		QuizScore: p.QuizScore, DeclaredMinutes: m.DurationMinutes,
	}
	if state == StateToReview {
		e.Completion.Reason = "time-short"
	}
	e.Pending = append(e.Pending, markerCredit)
	e.PendingAt = now
	return true
}
