package irt

import (
	"fmt"
	"math/rand/v2"
)

// TestOptions are what differ between two people taking tests on the same
// engine.
type TestOptions struct {
	// Seed drives every random choice of the test (randomesque draw,
	// tie-breaks, exposure control): store it with the test to replay it.
	Seed uint64
	// Locale keeps items of this locale and items without one; empty keeps
	// every item.
	Locale string
	// Accessible keeps only items marked accessible.
	Accessible bool
	// Seen are the IDs of items the person answered in earlier tests: a
	// retake prefers the others, and gives a seen item only when the
	// selection rules leave no unseen one.
	Seen []string
}

// Response is one recorded answer: the item's index in the engine's bank
// and whether it was correct.
type Response struct {
	Item    int
	Correct bool
	// Skipped marks an item withdrawn unanswered (Skip): it counts for
	// nothing, and Replay withdraws it at the same point.
	Skipped bool
}

// StopReason says why a test ended.
type StopReason int

const (
	// Running: the test goes on.
	Running StopReason = iota
	// StopPrecision: the SE fell below the target after the minimum length.
	StopPrecision
	// StopMaxLength: the maximum (or fixed) length was reached.
	StopMaxLength
	// StopExhausted: no allowed item was left.
	StopExhausted
)

// String names the reason for logs and JSON.
func (r StopReason) String() string {
	switch r {
	case Running:
		return "running"
	case StopPrecision:
		return "precision"
	case StopMaxLength:
		return "max-length"
	case StopExhausted:
		return "exhausted"
	}
	return fmt.Sprintf("StopReason(%d)", int(r))
}

// Item states within one test.
const (
	itemFree     uint8 = iota
	itemAnswered       // asked and answered
	itemFiltered       // locale, accessibility or retired
	itemExcluded       // turned down by Sympson–Hetter for this test
)

// Test is one person's test: the answers so far, the posterior on the
// grid, and a random source seeded for this test alone. It is not safe for
// concurrent use.
type Test struct {
	e    *Engine
	opts TestOptions
	pcg  *rand.PCG
	rng  *rand.Rand

	state     []uint8 // per item
	tubeUsed  []bool
	compCount []int32
	exhausted []bool // per selection group
	history   []Response
	seen      []bool // per item, nil without Seen
	freshOnly bool   // selection skips seen items (relaxed when none is left)

	post  []float64 // posterior (fixed prior) on the grid
	like  []float64 // likelihood of all answers (moving prior only)
	theta float64
	se    float64

	// compLike holds each competence's own likelihood (normalised), for
	// the higher-order competence estimates.
	compLike []float64

	pending int // item chosen by Next and not yet answered, or -1
	stop    StopReason

	cands []int32 // scratch for selection
	ties  []int32
	props []int32

	// selected counts Sympson–Hetter selection events when the engine
	// simulates to compute its exposure parameters; nil otherwise.
	selected []int32
}

// NewTest starts a test. It fails with ErrNoEligibleItem when the filters
// leave no item at all.
func (e *Engine) NewTest(opts TestOptions) (*Test, error) {
	t := &Test{e: e}
	t.pcg, t.rng = newPCG()
	t.reset(opts)
	for _, s := range t.state {
		if s == itemFree {
			return t, nil
		}
	}
	return nil, fmt.Errorf("irt: locale %q, accessible %v: %w", opts.Locale, opts.Accessible, ErrNoEligibleItem)
}

// reset starts the test over, reusing its memory: simulations run
// thousands of tests on one Test.
func (t *Test) reset(opts TestOptions) {
	e := t.e
	t.opts = opts
	t.pcg.Seed(opts.Seed, splitmix(opts.Seed^0x5851f42d4c957f2d))
	n := len(e.items)
	t.state = resize(t.state, n)
	wantLocale := int32(-1) // no item has locale -1: only "any" items match
	if opts.Locale == "" {
		wantLocale = 0
	} else if l, ok := e.locales[opts.Locale]; ok {
		wantLocale = l
	}
	for i := range t.state {
		ok := !e.retired[i] &&
			(wantLocale == 0 || e.locale[i] == 0 || e.locale[i] == wantLocale) &&
			(!opts.Accessible || e.accessible[i])
		if ok {
			t.state[i] = itemFree
		} else {
			t.state[i] = itemFiltered
		}
	}
	t.seen = nil
	if len(opts.Seen) > 0 {
		t.seen = make([]bool, n)
		for _, id := range opts.Seen {
			if i, ok := e.byID[id]; ok {
				t.seen[i] = true
			}
		}
	}
	t.tubeUsed = resize(t.tubeUsed, e.tubes)
	t.compCount = resize(t.compCount, len(e.competences))
	t.exhausted = resize(t.exhausted, len(e.groups))
	t.history = t.history[:0]
	t.post = append(t.post[:0], e.prior...)
	if e.cfg.MovingPriorVariance > 0 {
		t.like = resize(t.like, e.g)
		for i := range t.like {
			t.like[i] = 1
		}
	}
	if e.kernel != nil {
		t.compLike = resize(t.compLike, len(e.competences)*e.g)
		for i := range t.compLike {
			t.compLike[i] = 1
		}
	}
	t.theta, t.se = e.initialEstimate()
	t.pending = -1
	t.stop = Running
}

// newPCG returns a generator to be seeded by reset, and the Rand reading
// it.
func newPCG() (*rand.PCG, *rand.Rand) {
	p := rand.NewPCG(0, 0)
	return p, rand.New(p)
}

// resize returns s with length n and every element zero.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Engine returns the engine the test runs on.
func (t *Test) Engine() *Engine { return t.e }

// Seed returns the seed the test was started with.
func (t *Test) Seed() uint64 { return t.opts.Seed }

// Len returns the number of answers so far.
func (t *Test) Len() int { return len(t.history) }

// Responses returns a copy of the answers so far, in order: with the seed
// and options, all that is needed to replay the test.
func (t *Test) Responses() []Response { return append([]Response(nil), t.history...) }

// Theta returns the current global ability estimate and its SE.
func (t *Test) Theta() (theta, se float64) { return t.theta, t.se }

// Next returns the item to ask now, and false once the test is over.
// Calling it again before Answer returns the same item, so a reloaded page
// shows the same question.
func (t *Test) Next() (int, bool) {
	if t.Done() {
		return -1, false
	}
	return t.pending, true
}

// Done reports whether the test is over: the stopping rule is met or no
// allowed item is left.
func (t *Test) Done() bool {
	if t.stop != Running {
		return true
	}
	if r := t.e.stopRule(len(t.history), t.se); r != Running {
		t.stop = r
		return true
	}
	if t.pending < 0 {
		item, ok := t.choose()
		if !ok {
			t.stop = StopExhausted
			return true
		}
		t.pending = item
	}
	return false
}

// StopReason says why the test ended (Running while it goes on).
func (t *Test) StopReason() StopReason {
	t.Done()
	return t.stop
}

// Answer records the answer to item and updates the estimates. The item
// is normally the one Next returned; another allowed, unanswered item is
// accepted too (an answer imported from elsewhere), which moves the test
// off the path Replay would follow.
func (t *Test) Answer(item int, correct bool) error {
	if item < 0 || item >= len(t.state) {
		return fmt.Errorf("irt: answer to item %d of %d: %w", item, len(t.state), ErrInvalidInput)
	}
	switch t.state[item] {
	case itemAnswered:
		return fmt.Errorf("irt: item %q answered twice: %w", t.e.items[item].ID, ErrInvalidInput)
	case itemFiltered:
		return fmt.Errorf("irt: item %q is not allowed in this test: %w", t.e.items[item].ID, ErrInvalidInput)
	}
	if t.Done() {
		return ErrTestDone
	}
	t.record(item, correct)
	return nil
}

// record applies an answer without the checks of Answer.
func (t *Test) record(item int, correct bool) {
	e := t.e
	t.state[item] = itemAnswered
	t.tubeUsed[e.tube[item]] = true
	t.compCount[e.comp[item]]++
	t.history = append(t.history, Response{Item: item, Correct: correct})
	t.pending = -1
	t.update(item, correct)
}

// Replay rebuilds a test from its options and recorded answers, checking
// that every answer is to the item the engine chooses at that point: the
// same engine, seed and answers give the same test, item for item.
func (e *Engine) Replay(opts TestOptions, responses []Response) (*Test, error) {
	t, err := e.NewTest(opts)
	if err != nil {
		return nil, err
	}
	for i, r := range responses {
		item, ok := t.Next()
		if !ok || item != r.Item {
			return nil, fmt.Errorf("irt: answer %d is to item %d, the engine chooses %d: %w", i+1, r.Item, item, ErrReplayMismatch)
		}
		if r.Skipped {
			err = t.Skip(r.Item)
		} else {
			err = t.Answer(r.Item, r.Correct)
		}
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Skip withdraws the item Next returned without an answer: a question
// replaced because it could not be answered (a certification alert the
// invigilator validated). The item is never served again in this test and
// counts for nothing; the next call to Next chooses another. Replay with a
// Response marked Skipped at the same point does the same.
func (t *Test) Skip(item int) error {
	if t.Done() || t.pending != item {
		return fmt.Errorf("irt: skip item %d, pending %d: %w", item, t.pending, ErrInvalidInput)
	}
	t.state[item] = itemFiltered
	t.pending = -1
	return nil
}
