package assessments

import (
	"slices"
	"strings"
	"testing"

	"ardoise/assessments/content"
)

func ids(ps []Proposal) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func shippedBank(t *testing.T) *Bank {
	t.Helper()
	src, err := SourcesFrom(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	b, problems := Load(src)
	if len(problems) > 0 {
		t.Fatal(problems[0])
	}
	return b
}

// TestShuffleIsPerTest: a test shows a challenge's proposals in the same
// order every time (a resumed test), two tests in different orders, and
// the shuffle only reorders.
func TestShuffleIsPerTest(t *testing.T) {
	b := shippedBank(t)
	crcn, _ := b.Framework("crcn")
	var ch *Challenge
	for _, c := range crcn.Challenges {
		if c.Type == TypeQCU && len(c.Proposals) >= 4 {
			ch = c
			break
		}
	}
	first := (&Test{Seed: 42}).ProposalsOf(ch)
	if again := (&Test{Seed: 42}).ProposalsOf(ch); !slices.Equal(ids(first), ids(again)) {
		t.Fatalf("same test, two orders: %v then %v", ids(first), ids(again))
	}
	orders := map[string]bool{}
	for seed := range int64(50) {
		got := ids((&Test{Seed: seed}).ProposalsOf(ch))
		sorted := slices.Sorted(slices.Values(got))
		if !slices.Equal(sorted, slices.Sorted(slices.Values(ids(ch.Proposals)))) {
			t.Fatalf("seed %d: %v is not a reordering of %v", seed, got, ids(ch.Proposals))
		}
		orders[strings.Join(got, ",")] = true
	}
	if len(orders) < 10 {
		t.Fatalf("50 tests showed only %d orders of %d proposals", len(orders), len(ch.Proposals))
	}
}

// TestShuffleKeepsFixedOrderAndLast: fixed_order keeps the file's order,
// and a proposal marked last stays last in every test.
func TestShuffleKeepsFixedOrderAndLast(t *testing.T) {
	fixed := &Challenge{ID: "x", FixedOrder: true, Proposals: []Proposal{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}}
	withLast := &Challenge{ID: "y", Proposals: []Proposal{{ID: "a"}, {ID: "none", last: true}, {ID: "b"}, {ID: "c"}, {ID: "d"}}}
	moved := false
	for seed := range int64(30) {
		tt := &Test{Seed: seed}
		if got := ids(tt.ProposalsOf(fixed)); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
			t.Fatalf("fixed order moved: %v", got)
		}
		got := ids(tt.ProposalsOf(withLast))
		if got[4] != "none" {
			t.Fatalf("seed %d: the proposal marked last is at %v", seed, got)
		}
		moved = moved || !slices.Equal(got[:4], []string{"a", "b", "c", "d"})
	}
	if !moved {
		t.Fatal("the other proposals were never shuffled")
	}
}

// TestKeyPositionIsUniform serves 1,000 QCUs of four proposals from the
// shipped bank, one per simulated test, and checks that the key's served
// position is uniform: χ² with 3 degrees of freedom below 11.34 (p > 0.01).
// Served in file order, the bank's keys would fail it.
func TestKeyPositionIsUniform(t *testing.T) {
	b := shippedBank(t)
	var qcus []*Challenge
	for _, f := range b.Frameworks {
		for _, c := range f.Challenges {
			if c.Type == TypeQCU && len(c.Proposals) == 4 {
				qcus = append(qcus, c)
			}
		}
	}
	if len(qcus) < 20 {
		t.Fatalf("only %d four-proposal QCUs", len(qcus))
	}
	chi2 := func(served func(i int, c *Challenge) []Proposal) float64 {
		var count [4]float64
		for i := range 1000 {
			c := qcus[i%len(qcus)]
			for pos, p := range served(i, c) {
				if p.ID == c.choice {
					count[pos]++
				}
			}
		}
		x := 0.0
		for _, k := range count {
			x += (k - 250) * (k - 250) / 250
		}
		return x
	}
	if x := chi2(func(i int, c *Challenge) []Proposal { return (&Test{Seed: int64(1000 + i)}).ProposalsOf(c) }); x >= 11.34 {
		t.Fatalf("key position served: χ² = %.2f ≥ 11.34", x)
	}
	if x := chi2(func(_ int, c *Challenge) []Proposal { return c.Proposals }); x < 11.34 {
		t.Logf("file order would pass too (χ² = %.2f): the bank's keys are spread in the files", x)
	}
}
