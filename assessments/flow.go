package assessments

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ardoise/assessments/irt"
	"ardoise/internal/errkind"
)

// claimTTL is how long an answer's claim holds: longer than any answer
// takes, short enough that a crash mid-answer blocks nobody for long.
const claimTTL = 30 * time.Second

// StaleError is an answer that does not match the question the test
// serves (a double submit, an old tab, a forged id) or comes after the end.
// It wraps ErrConflict and carries the test as it is.
type StaleError struct {
	Test *Test
}

func (e *StaleError) Error() string { return "assessments: answer does not match the question served" }

// Unwrap makes errors.Is(err, errkind.ErrConflict) true.
func (e *StaleError) Unwrap() error { return errkind.ErrConflict }

// RetryTooSoonError refuses a new test before the cool-down ends.
type RetryTooSoonError struct {
	Until time.Time
}

func (e *RetryTooSoonError) Error() string {
	return "assessments: retry allowed from " + e.Until.Format(time.RFC3339)
}

// Unwrap makes errors.Is(err, errkind.ErrConflict) true.
func (e *RetryTooSoonError) Unwrap() error { return errkind.ErrConflict }

// Start starts a test of scope for o, or returns the test o already has in
// progress in that scope (so a second click resumes rather than restarts).
func (s *Service) Start(ctx context.Context, o Owner, scope Scope, accessible bool) (*Test, error) {
	bank := s.current
	f, err := bank.Resolve(scope)
	if err != nil {
		return nil, err
	}
	if o.UserID == "" && o.AnonKey == "" {
		return nil, fmt.Errorf("assessments: start: %w", errkind.ErrUnauthenticated)
	}
	last, err := s.store.latest(ctx, o, scope)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if last != nil && last.State == StateStarted {
		return last, nil
	}
	if last != nil && now.Before(last.FinishedAt.Add(s.cooldown)) {
		return nil, &RetryTooSoonError{Until: last.FinishedAt.Add(s.cooldown)}
	}
	params := s.currentParams(ctx)
	be, err := s.engines.get(bank, params, scope)
	if err != nil {
		return nil, err
	}
	t := &Test{ID: newTestID(), UserID: o.UserID, Scope: scope, ContentVersion: bank.Version,
		ParamsVersion: params.Version, Config: recordConfig(be.config), Seed: s.seed(), Accessible: accessible,
		State: StateStarted, Answers: []Recorded{}, CreatedAt: now, UpdatedAt: now}
	if o.UserID == "" {
		t.AnonKey = o.AnonKey
	}
	if last != nil {
		t.Seen = seenAfter(last)
	}
	t.Pretests = planPretests(be.pretest, t.Seed, be.config.MinLength)
	run, err := be.engine.NewTest(s.testOptions(f, t))
	if err != nil {
		return nil, err
	}
	first, ok := run.Next()
	if !ok {
		return nil, fmt.Errorf("assessments: no question can be served for %s/%s: %w", scope.Framework, scope.Competence, errkind.ErrUnavailable)
	}
	t.Current = &Served{ChallengeID: be.engine.Item(first).ID, ServedAt: now}
	if err := s.store.insertTest(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Service) testOptions(f *Framework, t *Test) irt.TestOptions {
	return irt.TestOptions{Seed: uint64(t.Seed), Locale: f.Locale, Accessible: t.Accessible, Seen: t.Seen}
}

// maxSeen bounds the challenges a test remembers from earlier ones: more
// than a framework's bank, so a retake never forgets what it could avoid.
const maxSeen = 600

// seenAfter is what a new test in last's scope has seen: last's questions
// first, then what last had seen, without repeats.
func seenAfter(last *Test) []string {
	out := make([]string, 0, len(last.Answers)+len(last.Seen))
	in := map[string]bool{}
	add := func(id string) {
		if !in[id] && len(out) < maxSeen {
			in[id] = true
			out = append(out, id)
		}
	}
	for _, a := range last.Answers {
		add(a.ChallengeID)
	}
	for _, id := range last.Seen {
		add(id)
	}
	return out
}

func recordConfig(c irt.Config) TestConfig {
	return TestConfig{Name: c.Name, MinLength: c.MinLength, MaxLength: c.MaxLength, SETarget: c.SETarget,
		ContentBalancing: c.ContentBalancing, OnePerTube: c.OnePerTube, TopK: c.TopK, ExposureCap: c.ExposureCap,
		Rho: c.Rho, ScoringVersion: c.Scoring.Version}
}

// Test returns a test its owner may see.
func (s *Service) Test(ctx context.Context, id string, o Owner) (*Test, error) {
	t, err := s.store.test(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.ownedBy(o) || t.Scope.Certification {
		// A certification's result is the jury's to publish
		// (certification/): positioning's pages never show it.
		return nil, fmt.Errorf("assessments: test %s: %w", id, errkind.ErrNotFound)
	}
	return t, nil
}

// ByPrivateLink returns the finished test of a private result link.
func (s *Service) ByPrivateLink(ctx context.Context, token string) (*Test, error) {
	id, mac, ok := strings.Cut(token, ".")
	if !ok || len(id) != 24 || !s.keys.Verify(mac, "result-link", id) {
		return nil, fmt.Errorf("assessments: private link: %w", errkind.ErrNotFound)
	}
	t, err := s.store.test(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.State != StateFinished || t.Scope.Certification {
		return nil, fmt.Errorf("assessments: private link to an unfinished test: %w", errkind.ErrNotFound)
	}
	return t, nil
}

// Challenge returns a challenge of the content version a test runs on.
func (s *Service) Challenge(ctx context.Context, t *Test, id string) (*Challenge, error) {
	b, err := s.bank(ctx, t.ContentVersion)
	if err != nil {
		return nil, err
	}
	c, ok := b.Challenge(id)
	if !ok {
		return nil, fmt.Errorf("assessments: challenge %s: %w", id, errkind.ErrNotFound)
	}
	return c, nil
}

// BankOf returns the content version a test runs on.
func (s *Service) BankOf(ctx context.Context, t *Test) (*Bank, error) {
	return s.bank(ctx, t.ContentVersion)
}

// Answer records the answer to the question the test serves and moves to
// the next question or the result. It costs two store commands: one read,
// one update guarded by the number of answers and the question served, so a
// stale, replayed or concurrent answer changes nothing (StaleError).
func (s *Service) Answer(ctx context.Context, id string, o Owner, challengeID string, a Answer) (*Test, error) {
	return s.AnswerWith(ctx, id, o, challengeID, func(*Challenge) (Answer, error) { return a, nil })
}

// AnswerReader reads a submitted answer in the shape the challenge's type
// expects (a web form, an API body); its errors are the client's.
type AnswerReader func(*Challenge) (Answer, error)

// AnswerWith is Answer for an answer that can only be read once the
// challenge is known: the same two store commands, no read beforehand.
func (s *Service) AnswerWith(ctx context.Context, id string, o Owner, challengeID string, read AnswerReader) (*Test, error) {
	t, err := s.store.running(ctx, id)
	if errkind.IsNotFound(err) {
		// Archived: finished. Answer as a stale answer with its state.
		if done, err := s.Test(ctx, id, o); err == nil {
			return nil, &StaleError{Test: done}
		}
	}
	if err != nil {
		return nil, err
	}
	if !t.ownedBy(o) {
		if t.Scope.Certification && o.UserID != "" && o.UserID == t.UserID {
			return nil, fmt.Errorf("assessments: test %s: %w", id, ErrOtherDevice)
		}
		return nil, fmt.Errorf("assessments: test %s: %w", id, errkind.ErrNotFound)
	}
	if t.Scope.Certification && t.State == StateStarted && s.now().After(t.Deadline.Add(timerGrace)) {
		// Time is up: the answer comes too late to count.
		return s.endCertification(ctx, t, EndTime)
	}
	if t.State != StateStarted || t.Current == nil || t.Current.ChallengeID != challengeID {
		return nil, &StaleError{Test: t}
	}
	bank, err := s.bank(ctx, t.ContentVersion)
	if err != nil {
		return nil, err
	}
	ch, ok := bank.Challenge(challengeID)
	if !ok {
		return nil, &StaleError{Test: t}
	}
	a, err := read(ch)
	if err != nil {
		return nil, err
	}
	correct, err := ch.Check(a)
	if err != nil {
		return nil, err
	}
	now := s.now()
	late := ch.Timer > 0 && now.After(t.Current.ServedAt.Add(time.Duration(ch.Timer)*time.Second+timerGrace))
	if late {
		correct = false
	}
	// A certification question whose page was left counts wrong, except
	// for a candidate with an adjustment (docs/certification.md).
	focusLost := t.Scope.Certification && t.FocusLost == challengeID && !t.Accessible
	if focusLost {
		correct = false
	}
	params, err := s.paramsFor(ctx, t.ParamsVersion)
	if err != nil {
		return nil, err
	}
	be, err := s.engines.get(bank, params, t.Scope)
	if err != nil {
		return nil, err
	}
	run, err := s.replay(bank, be.engine, t)
	if err != nil {
		return nil, err
	}
	pretest := t.isPretest(challengeID)
	if !pretest {
		idx, _ := be.engine.Index(challengeID)
		if err := run.Answer(idx, correct); err != nil {
			return nil, fmt.Errorf("assessments: engine: %w", err)
		}
	}
	rec := Recorded{ChallengeID: challengeID, Answer: a, Correct: correct, Late: late, At: now,
		Millis: now.Sub(t.Current.ServedAt).Milliseconds(), Pretest: pretest, FocusLost: focusLost}
	next, more := run.Next()
	due, hasDue := t.duePretest(rec)
	switch {
	case more && hasDue:
		// A pretest challenge, unscored: the engine's choice waits, and
		// the replay after its answer chooses the same.
		t.Current = &Served{ChallengeID: due, ServedAt: now}
	case more:
		t.Current = &Served{ChallengeID: be.engine.Item(next).ID, ServedAt: now}
	default:
		t.Current = nil
		t.State, t.FinishedAt, t.Result = StateFinished, now, resultOf(run.Estimates())
		t.Pending, t.PendingAt = []string{markerResponses}, now
	}
	return s.commit(ctx, t, challengeID, rec, now)
}

// commit writes what follows an answer (or a certification's void or
// early end) in one guarded update: rec, when it names a challenge, is
// appended, and t carries the next question or the finished state. The
// update is atomic on MongoDB but not on FerretDB (see internal/claim):
// the claim on (test, answer number) lets one of two concurrent writers
// through on every store; the other gets a StaleError with the test as
// stored.
func (s *Service) commit(ctx context.Context, t *Test, served string, rec Recorded, now time.Time) (*Test, error) {
	claimKey := "answer:" + t.ID + ":" + strconv.Itoa(t.Answered)
	if won, err := s.claims.Take(ctx, claimKey, claimTTL); err != nil {
		return nil, fmt.Errorf("assessments: %w: %w", errkind.ErrUnavailable, err)
	} else if !won {
		return nil, s.stale(ctx, t.ID)
	}
	matched, err := s.store.recordAnswer(ctx, t, served, rec, now)
	if err != nil {
		// The write the claim guarded failed: release it, so that a retry
		// goes through at once instead of being refused for claimTTL. The
		// release outlives a cancelled request.
		if rerr := s.claims.Release(context.WithoutCancel(ctx), claimKey); rerr != nil {
			s.logger.Warn("answer claim not released; it expires by itself", "test", t.ID, "err", rerr)
		}
		return nil, err
	}
	if !matched {
		return nil, s.stale(ctx, t.ID)
	}
	if rec.ChallengeID != "" {
		t.Answered++
		t.Answers = append(t.Answers, rec)
	}
	t.UpdatedAt = now
	if t.State == StateFinished {
		s.enqueueResponses(ctx, t.ID)
	}
	return t, nil
}

// stale is the StaleError of a write another writer won: with the test as
// stored now.
func (s *Service) stale(ctx context.Context, id string) error {
	fresh, err := s.store.test(ctx, id)
	if err != nil {
		return err
	}
	return &StaleError{Test: fresh}
}

// replay rebuilds the engine's state of a test from its stored answers.
func (s *Service) replay(bank *Bank, eng *irt.Engine, t *Test) (*irt.Test, error) {
	f, _ := bank.Framework(t.Scope.Framework)
	resp := make([]irt.Response, 0, len(t.Answers))
	for _, r := range t.Answers {
		if r.Pretest {
			continue
		}
		idx, ok := eng.Index(r.ChallengeID)
		if !ok {
			return nil, fmt.Errorf("assessments: test %s answered %s, unknown to its engine", t.ID, r.ChallengeID)
		}
		resp = append(resp, irt.Response{Item: idx, Correct: r.Correct, Skipped: r.Voided})
	}
	run, err := eng.Replay(s.testOptions(f, t), resp)
	if err != nil {
		return nil, fmt.Errorf("assessments: replay test %s: %w", t.ID, err)
	}
	return run, nil
}

func resultOf(e irt.Estimates) *Result {
	r := &Result{Score: e.Score, Level: e.Level, Theta: e.Theta, SE: e.SE, ScoringVersion: e.ScoringVersion}
	for _, c := range e.Competences {
		r.Competences = append(r.Competences, CompetenceResult{ID: c.Competence, Level: c.Level, Theta: c.Theta, SE: c.SE})
	}
	return r
}

// RecordFocusLoss counts that the test page lost focus (it will matter for
// certification). One update, no read.
func (s *Service) RecordFocusLoss(ctx context.Context, id string, o Owner) error {
	matched, err := s.store.countFocusLoss(ctx, id, o)
	if err != nil {
		return err
	}
	if !matched {
		return fmt.Errorf("assessments: test %s: %w", id, errkind.ErrNotFound)
	}
	return nil
}

// Claim gives a signed-in person the anonymous tests of their browser, so
// a parent who creates an account at the end keeps the result.
func (s *Service) Claim(ctx context.Context, anonKey, userID string) (int64, error) {
	if anonKey == "" || userID == "" {
		return 0, nil
	}
	return s.store.claimAnonymous(ctx, anonKey, userID)
}

// History lists a person's finished tests, newest first.
func (s *Service) History(ctx context.Context, userID string) ([]Test, error) {
	return s.store.finishedOf(ctx, userID, 50)
}
