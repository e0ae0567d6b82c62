package campaigns

import (
	"fmt"
	"math"
	"slices"
)

// DiffCounters describes how two campaigns' counters differ in what they
// count ("" when they agree): the rebuild's check against the incremental
// state. Gains are compared to 1e-9, as sums in another order may differ
// in their last bits.
func DiffCounters(a, b *Counters) string {
	switch {
	case a.Joined != b.Joined || a.Finished != b.Finished || a.Shared != b.Shared:
		return fmt.Sprintf("counts %d/%d/%d against %d/%d/%d", a.Joined, a.Finished, a.Shared, b.Joined, b.Finished, b.Shared)
	case !slices.Equal(trim(a.JoinedBits), trim(b.JoinedBits)) || !slices.Equal(trim(a.FinishedBits), trim(b.FinishedBits)) ||
		!slices.Equal(trim(a.SharedBits), trim(b.SharedBits)):
		return "the sets of participations counted differ"
	case len(a.Competences) != len(b.Competences):
		return fmt.Sprintf("%d competences against %d", len(a.Competences), len(b.Competences))
	}
	for i, ca := range a.Competences {
		cb := b.Competences[i]
		if ca.Competence != cb.Competence || ca.AtTarget != cb.AtTarget || !slices.Equal(ca.ByLevel, cb.ByLevel) {
			return fmt.Sprintf("competence %s: %+v against %+v", ca.Competence, ca, cb)
		}
	}
	if len(a.Gains) != len(b.Gains) {
		return fmt.Sprintf("%d gains against %d", len(a.Gains), len(b.Gains))
	}
	for _, ga := range a.Gains {
		i := slices.IndexFunc(b.Gains, func(g GainSum) bool { return g.Competence == ga.Competence })
		if i < 0 {
			return "gain of " + ga.Competence + " missing"
		}
		gb := b.Gains[i]
		if ga.N != gb.N || math.Abs(ga.Mean-gb.Mean) > 1e-9 || math.Abs(ga.M2-gb.M2) > 1e-9 {
			return fmt.Sprintf("gain of %s: %+v against %+v", ga.Competence, ga, gb)
		}
	}
	return ""
}

func trim(bits []byte) []byte {
	for len(bits) > 0 && bits[len(bits)-1] == 0 {
		bits = bits[:len(bits)-1]
	}
	return bits
}
