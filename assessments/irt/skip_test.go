package irt

import (
	"errors"
	"testing"
)

// TestSkipWithdrawsAndReplays: a skipped item is never served again, does
// not count towards the length, and Replay with the skip at the same point
// rebuilds the same test and estimates.
func TestSkipWithdrawsAndReplays(t *testing.T) {
	items := mustBank(t, "B2", 3)
	e := mustEngine(t, items, mustPreset(t, "C2"))
	test, err := e.NewTest(TestOptions{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var log []Response
	skipped := -1
	for n := 0; ; n++ {
		item, ok := test.Next()
		if !ok {
			break
		}
		if item == skipped {
			t.Fatalf("skipped item %d served again", item)
		}
		if n == 3 {
			if err := test.Skip(item); err != nil {
				t.Fatal(err)
			}
			skipped = item
			log = append(log, Response{Item: item, Skipped: true})
			continue
		}
		correct := n%2 == 0
		if err := test.Answer(item, correct); err != nil {
			t.Fatal(err)
		}
		log = append(log, Response{Item: item, Correct: correct})
	}
	if test.Len() != len(log)-1 {
		t.Fatalf("length %d counts the skipped item (log %d)", test.Len(), len(log))
	}
	r, err := e.Replay(TestOptions{Seed: 7}, log)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if r.Estimates().Theta != test.Estimates().Theta || !r.Done() {
		t.Fatal("replay with the skip differs")
	}
	// Without the skip, the path differs: the skip is part of the record.
	var noSkip []Response
	for _, x := range log {
		if !x.Skipped {
			noSkip = append(noSkip, x)
		}
	}
	if _, err := e.Replay(TestOptions{Seed: 7}, noSkip); !errors.Is(err, ErrReplayMismatch) {
		t.Fatalf("replay without the skip: %v, want a mismatch", err)
	}
	if err := test.Skip(0); err == nil {
		t.Fatal("skip on a finished test accepted")
	}
}
