package assessments

import (
	"hash/fnv"
	"math/rand/v2"
)

// ProposalsOf returns a challenge's proposals in the order this test shows
// them: shuffled from the test's seed and the challenge's id, so that a
// resumed test shows the same order and two tests show different ones,
// with the proposals marked last after the others. A challenge with
// FixedOrder keeps the file's order. Answers name proposals by id, never
// by position.
func (t *Test) ProposalsOf(c *Challenge) []Proposal {
	out := make([]Proposal, 0, len(c.Proposals))
	if c.FixedOrder {
		return append(out, c.Proposals...)
	}
	var last []Proposal
	for _, p := range c.Proposals {
		if p.last {
			last = append(last, p)
		} else {
			out = append(out, p)
		}
	}
	h := fnv.New64a()
	h.Write([]byte(c.ID))
	r := rand.New(rand.NewPCG(uint64(t.Seed), h.Sum64()))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return append(out, last...)
}
