package courses

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// ErrNotEnrolled means the person has no enrolment in the module.
var ErrNotEnrolled = fmt.Errorf("courses: not enrolled: %w", errkind.ErrNotFound)

// Enrol enrols a person in the latest published version of a module. One
// enrolment per person and module: enrolling again returns the one there.
// Only an open account with a verified address enrols (hours and
// attestations follow from enrolments): errkind.EmailUnverified otherwise.
// The account is read from the store, not from a session's copy.
func (s *Service) Enrol(ctx context.Context, userID, slug string) (*Enrolment, error) {
	u, err := s.profile.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Deleted || u.Suspended {
		return nil, fmt.Errorf("courses: enrol a closed account: %w", errkind.ErrForbidden)
	}
	if !u.EmailVerified {
		return nil, errkind.EmailUnverified()
	}
	doc, err := s.PublishedModule(ctx, slug)
	if err != nil {
		return nil, err
	}
	e := &Enrolment{ID: EnrolmentID(userID, slug), UserID: userID, Slug: slug, Title: doc.Title, Version: doc.Latest,
		EnrolledAt: s.now(), Pages: []PageProgress{}, Quizzes: []QuizResult{}}
	if err := s.store.insertEnrolment(ctx, e); err != nil {
		if database.IsDuplicate(err) {
			return s.store.enrolment(ctx, e.ID)
		}
		return nil, database.Wrap(err, "courses: enrol")
	}
	return e, nil
}

// Enrolment returns a person's enrolment in a module and its version's module.
func (s *Service) Enrolment(ctx context.Context, userID, slug string) (*Enrolment, *Module, error) {
	e, err := s.store.enrolment(ctx, EnrolmentID(userID, slug))
	if errkind.IsNotFound(err) {
		return nil, nil, ErrNotEnrolled
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := s.Published(ctx, e.Slug, e.Version)
	return e, m, err
}

// change is a learning event applied to an enrolment read from the store;
// it reports whether anything changed.
type change func(e *Enrolment, m *Module, now time.Time) (bool, error)

// learn applies a learning event: two store commands (read, write
// conditioned on the sequence number), retried when another event of the
// same person wrote in between. A completion is enqueued right after the
// write that recorded it.
func (s *Service) learn(ctx context.Context, userID, slug string, fn change) (*Enrolment, *Module, error) {
	for range 3 {
		e, m, err := s.Enrolment(ctx, userID, slug)
		if err != nil {
			return nil, nil, err
		}
		wasDone := e.Done()
		changed, err := fn(e, m, s.now())
		if err != nil || !changed {
			return e, m, err
		}
		ok, err := s.store.saveProgress(ctx, e)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			if !wasDone && e.Done() {
				s.enqueueCredit(ctx, e.ID)
			}
			return e, m, nil
		}
	}
	return nil, nil, errBusy
}

// View records a page view: the page is seen, and the time since the last
// counted event is credited (bounded as activity.go says). js tells whether
// the page's script runs (it then beats, and views count little).
func (s *Service) View(ctx context.Context, userID, slug, pageID string, js bool) (*Enrolment, *Module, *Page, error) {
	var page *Page
	e, m, err := s.learn(ctx, userID, slug, func(e *Enrolment, m *Module, now time.Time) (bool, error) {
		pg, _, ok := m.Page(pageID)
		if !ok {
			return false, fmt.Errorf("courses: page %s: %w", pageID, errkind.ErrNotFound)
		}
		page = pg
		if e.Done() {
			return false, nil // a completed module can be read again; nothing more is measured
		}
		kind := actViewNoJS
		if js {
			kind = actViewJS
		}
		e.countTime(m, kind, pageID, now)
		e.markSeen(pg, now)
		e.complete(m, m.ProgressOf(e), StateCredited, now)
		return true, nil
	})
	return e, m, page, err
}

// Beat records a heartbeat from a visible, active page and returns the
// progress; a beat too close to the last counted event changes nothing
// and costs one store command.
func (s *Service) Beat(ctx context.Context, userID, slug, pageID string) (*Enrolment, Progress, error) {
	e, m, err := s.learn(ctx, userID, slug, func(e *Enrolment, m *Module, now time.Time) (bool, error) {
		if _, _, ok := m.Page(pageID); !ok {
			return false, fmt.Errorf("courses: page %s: %w", pageID, errkind.ErrNotFound)
		}
		if e.Done() || e.Page(pageID) == nil {
			return false, nil
		}
		clock, clockPage := e.Clock, e.ClockPage
		e.countTime(m, actBeat, pageID, now)
		if e.Clock.Equal(clock) && e.ClockPage == clockPage {
			return false, nil
		}
		e.complete(m, m.ProgressOf(e), StateCredited, now)
		return true, nil
	})
	if err != nil {
		return nil, Progress{}, err
	}
	return e, m.ProgressOf(e), nil
}

// QuizFeedback is what a learner sees after answering a quiz.
type QuizFeedback struct {
	Quiz    *Quiz
	Result  QuizResult
	Chosen  []QuizProposal
	Correct bool
}

// Answer records the answer to a quiz and returns its feedback. Answering
// again replaces the answer: quizzes are for learning.
func (s *Service) Answer(ctx context.Context, userID, slug, quizID string, choice []string) (*Enrolment, *QuizFeedback, error) {
	var fb *QuizFeedback
	e, _, err := s.learn(ctx, userID, slug, func(e *Enrolment, m *Module, now time.Time) (bool, error) {
		q, ok := m.Quiz(quizID)
		if !ok {
			return false, fmt.Errorf("courses: quiz %s: %w", quizID, errkind.ErrNotFound)
		}
		var err error
		if fb, err = q.check(choice); err != nil {
			return false, err
		}
		if e.Done() || e.Page(q.Page) == nil {
			return false, nil // feedback only: practice after completion, or a page not opened
		}
		r := e.Quiz(quizID)
		if r == nil {
			e.Quizzes = append(e.Quizzes, QuizResult{ID: quizID})
			r = &e.Quizzes[len(e.Quizzes)-1]
		}
		r.Choice, r.Correct, r.At = fb.Result.Choice, fb.Correct, now
		r.Attempts++
		fb.Result = *r
		e.complete(m, m.ProgressOf(e), StateCredited, now)
		return true, nil
	})
	return e, fb, err
}

// check validates a choice against the quiz and says whether it is right.
func (q *Quiz) check(choice []string) (*QuizFeedback, error) {
	choice = slices.Compact(slices.Sorted(slices.Values(choice)))
	if len(choice) == 0 || (q.Type == "qcu" && len(choice) != 1) {
		return nil, errkind.Invalid("choice", "required")
	}
	fb := &QuizFeedback{Quiz: q}
	for _, c := range choice {
		i := slices.IndexFunc(q.Proposals, func(p QuizProposal) bool { return p.ID == c })
		if i < 0 {
			return nil, errkind.Invalid("choice", "unknown")
		}
		fb.Chosen = append(fb.Chosen, q.Proposals[i])
	}
	fb.Correct = slices.Equal(choice, q.Solution)
	fb.Result = QuizResult{ID: q.ID, Choice: choice, Correct: fb.Correct}
	return fb, nil
}

// Finish completes an enrolment on the learner's request: credited when
// the rule is met, to review when only the active time is short (an
// inspector then decides); refused otherwise.
func (s *Service) Finish(ctx context.Context, userID, slug string) (*Enrolment, error) {
	e, _, err := s.learn(ctx, userID, slug, func(e *Enrolment, m *Module, now time.Time) (bool, error) {
		if e.Done() {
			return false, nil
		}
		p := m.ProgressOf(e)
		if e.complete(m, p, StateCredited, now) || e.complete(m, p, StateToReview, now) {
			return true, nil
		}
		return false, errkind.Invalid("completion", "not_met")
	})
	return e, err
}

// MoveToLatest moves an unfinished enrolment to the latest published
// version, keeping what carries over: pages whose source did not change
// stay seen (with their time), answers to quizzes that did not change stay
// answered, and the active time observed stays observed.
func (s *Service) MoveToLatest(ctx context.Context, userID, slug string) (*Enrolment, error) {
	doc, err := s.store.Module(ctx, slug)
	if err != nil {
		return nil, err
	}
	next, err := s.Published(ctx, slug, doc.Latest)
	if err != nil {
		return nil, err
	}
	e, _, err := s.learn(ctx, userID, slug, func(e *Enrolment, m *Module, now time.Time) (bool, error) {
		if e.Done() {
			return false, fmt.Errorf("courses: completed enrolments stay on their version: %w", errkind.ErrConflict)
		}
		if doc.Latest <= e.Version {
			return false, nil
		}
		e.Pages = slices.DeleteFunc(e.Pages, func(p PageProgress) bool {
			pg, _, ok := next.Page(p.ID)
			return !ok || pg.Hash != p.Hash
		})
		e.Quizzes = slices.DeleteFunc(e.Quizzes, func(r QuizResult) bool {
			old, _ := m.Quiz(r.ID)
			q, ok := next.Quiz(r.ID)
			return !ok || old == nil || !sameQuiz(old, q)
		})
		e.Moves = append(e.Moves, VersionMove{From: e.Version, To: doc.Latest, At: now})
		e.Version, e.Title = doc.Latest, next.Title
		e.ClockPage = ""
		e.complete(next, next.ProgressOf(e), StateCredited, now)
		return true, nil
	})
	return e, err
}

// sameQuiz reports whether a quiz asks the same thing with the same answer.
func sameQuiz(a, b *Quiz) bool {
	if a.QuestionHTML != b.QuestionHTML || !slices.Equal(a.Solution, b.Solution) || len(a.Proposals) != len(b.Proposals) {
		return false
	}
	for i := range a.Proposals {
		if a.Proposals[i].ID != b.Proposals[i].ID || a.Proposals[i].HTML != b.Proposals[i].HTML {
			return false
		}
	}
	return true
}

// Enrolments lists a person's enrolments, unfinished first.
func (s *Service) Enrolments(ctx context.Context, userID string) ([]Enrolment, error) {
	out, err := s.store.EnrolmentsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return !out[i].Done() && out[j].Done() })
	return out, nil
}
