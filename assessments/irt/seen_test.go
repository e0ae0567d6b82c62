package irt

import "testing"

// answerAll runs a test to its end for a person of ability 0, answering
// every other question right, and returns the IDs it asked.
func answerAll(tb testing.TB, e *Engine, opts TestOptions) []string {
	tb.Helper()
	t, err := e.NewTest(opts)
	if err != nil {
		tb.Fatal(err)
	}
	var asked []string
	for n := 0; ; n++ {
		i, ok := t.Next()
		if !ok {
			return asked
		}
		asked = append(asked, e.Item(i).ID)
		if err := t.Answer(i, n%2 == 0); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestRetakePrefersUnseen: with the same seed and answers, a test that
// knows the items of the first one asks none of them while unseen items
// remain, and asks seen ones again only when nothing else is left.
func TestRetakePrefersUnseen(t *testing.T) {
	cfg := mustPreset(t, "C2")
	e := mustEngine(t, mustBank(t, "B1", 3), cfg)
	first := answerAll(t, e, TestOptions{Seed: 5})
	again := answerAll(t, e, TestOptions{Seed: 5})
	if len(first) == 0 || len(again) != len(first) {
		t.Fatalf("first %d items, same seed %d", len(first), len(again))
	}
	shared := func(a, b []string) int {
		in := map[string]bool{}
		for _, id := range a {
			in[id] = true
		}
		n := 0
		for _, id := range b {
			if in[id] {
				n++
			}
		}
		return n
	}
	if n := shared(first, again); n != len(first) {
		t.Fatalf("the same seed and answers should ask the same items: %d of %d", n, len(first))
	}
	retake := answerAll(t, e, TestOptions{Seed: 5, Seen: first})
	if n := shared(first, retake); n != 0 {
		t.Fatalf("the retake asked %d of the %d items already seen (B1 has 300 items)", n, len(first))
	}

	// A pool with fewer unseen items than a test needs: the test still
	// runs to its length, with every unseen item first.
	small := mustBank(t, "B1", 4)[:40]
	cfg.ContentBalancing, cfg.OnePerTube, cfg.ExposureCap = false, false, 0
	cfg.MinLength, cfg.MaxLength, cfg.SETarget = 30, 30, 0
	es := mustEngine(t, small, cfg)
	seen := answerAll(t, es, TestOptions{Seed: 9})
	got := answerAll(t, es, TestOptions{Seed: 10, Seen: seen})
	if len(got) != 30 {
		t.Fatalf("retake on a small pool asked %d items, want 30", len(got))
	}
	for i, id := range got[:10] {
		for _, s := range seen {
			if id == s {
				t.Fatalf("question %d (%s) was seen while %d items were unseen", i+1, id, 40-len(seen))
			}
		}
	}
}
