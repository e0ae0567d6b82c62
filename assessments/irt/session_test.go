package irt

import (
	"errors"
	"slices"
	"testing"
)

func TestSameSeedSameTest(t *testing.T) {
	items := mustBank(t, "B2", 3)
	for _, name := range []string{"C1", "C2", "C3", "pix-flash", "random", "default"} {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, items, mustPreset(t, name))
			a := runTest(t, e, 42, 0.7)
			b := runTest(t, e, 42, 0.7)
			if !slices.Equal(a.Responses(), b.Responses()) {
				t.Fatalf("same seed, different tests:\n%v\n%v", a.Responses(), b.Responses())
			}
			if a.Estimates().Theta != b.Estimates().Theta {
				t.Fatal("same seed, different estimates")
			}
			// A rebuilt engine (same bank, same config) replays it exactly.
			e2 := mustEngine(t, items, mustPreset(t, name))
			r, err := e2.Replay(TestOptions{Seed: 42}, a.Responses())
			if err != nil {
				t.Fatalf("Replay: %v", err)
			}
			if r.Estimates().Theta != a.Estimates().Theta || !r.Done() {
				t.Fatal("replayed test differs")
			}
		})
	}
}

func TestReplayDetectsAnotherPath(t *testing.T) {
	items := mustBank(t, "B2", 3)
	e := mustEngine(t, items, mustPreset(t, "C2"))
	a := runTest(t, e, 1, 0)
	_, err := e.Replay(TestOptions{Seed: 2}, a.Responses())
	if !errors.Is(err, ErrReplayMismatch) {
		t.Fatalf("replay with another seed: err = %v, want ErrReplayMismatch", err)
	}
}

func TestNextIsStableUntilAnswered(t *testing.T) {
	e := mustEngine(t, mustBank(t, "B2", 1), mustPreset(t, "C2"))
	test, _ := e.NewTest(TestOptions{Seed: 9})
	first, _ := test.Next()
	for range 3 {
		if again, _ := test.Next(); again != first {
			t.Fatalf("Next changed from %d to %d without an answer", first, again)
		}
	}
}

func TestAnswerErrors(t *testing.T) {
	items := []Item{
		{ID: "a", A: 1, B: 0, Retired: true},
		{ID: "b", A: 1, B: 0.5},
		{ID: "c", A: 1, B: -0.5},
	}
	cfg := mustPreset(t, "C1")
	cfg.MinLength, cfg.MaxLength, cfg.SETarget = 1, 1, 0
	e := mustEngine(t, items, cfg)
	test, _ := e.NewTest(TestOptions{})
	tests := []struct {
		name string
		item int
		want error
	}{
		{"negative", -1, ErrInvalidInput},
		{"past the bank", 3, ErrInvalidInput},
		{"retired", 0, ErrInvalidInput},
	}
	for _, tc := range tests {
		if err := test.Answer(tc.item, true); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := test.Answer(1, true); err != nil {
		t.Fatal(err)
	}
	if err := test.Answer(1, true); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("answered twice: err = %v", err)
	}
	if err := test.Answer(2, true); !errors.Is(err, ErrTestDone) {
		t.Errorf("after the end: err = %v, want ErrTestDone", err)
	}
	if test.StopReason() != StopMaxLength {
		t.Errorf("stop reason %v", test.StopReason())
	}
}

func TestFilters(t *testing.T) {
	items := []Item{
		{ID: "fr", A: 1, B: 0, Locale: "fr"},
		{ID: "en", A: 1, B: 0, Locale: "en"},
		{ID: "any", A: 1, B: 0.1},
		{ID: "fr-acc", A: 1, B: 0.2, Locale: "fr", Accessible: true},
		{ID: "old", A: 3, B: 0, Retired: true},
	}
	cfg := mustPreset(t, "C1")
	cfg.SETarget, cfg.MinLength, cfg.MaxLength = 0, 10, 10
	e := mustEngine(t, items, cfg)
	tests := []struct {
		opts TestOptions
		want []string
	}{
		{TestOptions{}, []string{"any", "en", "fr", "fr-acc"}},
		{TestOptions{Locale: "fr"}, []string{"any", "fr", "fr-acc"}},
		{TestOptions{Locale: "de"}, []string{"any"}},
		{TestOptions{Locale: "fr", Accessible: true}, []string{"fr-acc"}},
	}
	for _, tc := range tests {
		test, err := e.NewTest(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for {
			i, ok := test.Next()
			if !ok {
				break
			}
			got = append(got, e.Item(i).ID)
			if err := test.Answer(i, true); err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v: asked %v, want %v", tc.opts, got, tc.want)
		}
		if test.StopReason() != StopExhausted {
			t.Errorf("%+v: stop reason %v, want exhausted", tc.opts, test.StopReason())
		}
	}
	if _, err := e.NewTest(TestOptions{Locale: "en", Accessible: true}); !errors.Is(err, ErrNoEligibleItem) {
		t.Errorf("no eligible item: err = %v", err)
	}
}

func TestAvoidLastCompetence(t *testing.T) {
	// Without content balancing, two competences, one far better: the
	// engine must still alternate while both have items.
	var items []Item
	for i := range 10 {
		items = append(items, Item{ID: "good" + string(rune('a'+i)), A: 2.5, B: 0, Competence: "good"})
		items = append(items, Item{ID: "poor" + string(rune('a'+i)), A: 0.4, B: 3, Competence: "poor"})
	}
	cfg := mustPreset(t, "C1")
	cfg.AvoidLastN, cfg.SETarget, cfg.MinLength, cfg.MaxLength = 1, 0, 12, 12
	e := mustEngine(t, items, cfg)
	test := runTest(t, e, 1, 0)
	h := test.Responses()
	for i := 1; i < len(h); i++ {
		if e.Item(h[i].Item).Competence == e.Item(h[i-1].Item).Competence {
			t.Fatalf("answers %d and %d from one competence: %v", i, i+1, h)
		}
	}
}

func TestExposureParamsRoundTrip(t *testing.T) {
	items := mustBank(t, "B2", 5)
	cfg := mustPreset(t, "C3")
	e := mustEngine(t, items, cfg)
	params := e.ExposureParams()
	if len(params) == 0 {
		t.Fatal("no item under exposure control in C3 on B2")
	}
	cfg.ExposureParams = params
	cfg.ExposureSeed = 999 // ignored: nothing is simulated
	e2 := mustEngine(t, items, cfg)
	a, b := runTest(t, e, 3, 0.2), runTest(t, e2, 3, 0.2)
	if !slices.Equal(a.Responses(), b.Responses()) {
		t.Fatal("an engine rebuilt from stored exposure parameters runs another test")
	}
}

// TestEngineSharedByTests runs tests on one engine from several goroutines
// (meaningful under -race): the engine is read-only once built.
func TestEngineSharedByTests(t *testing.T) {
	e := mustEngine(t, mustBank(t, "B2", 8), mustPreset(t, "C2"))
	want := runTest(t, e, 77, 0.3).Responses()
	done := make(chan []Response)
	for range 4 {
		go func() {
			test, err := e.NewTest(TestOptions{Seed: 77})
			if err != nil {
				done <- nil
				return
			}
			resp := newRand(77 ^ 0xabcdef)
			for {
				i, ok := test.Next()
				if !ok {
					break
				}
				it := e.Item(i)
				_ = test.Answer(i, resp.Float64() < Probability(it.A, it.B, 0.3))
			}
			test.Estimates()
			done <- test.Responses()
		}()
	}
	for range 4 {
		if got := <-done; !slices.Equal(got, want) {
			t.Fatal("a test run concurrently differs from the same test run alone")
		}
	}
}
