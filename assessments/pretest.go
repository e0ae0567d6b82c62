package assessments

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// MaxPretests is how many unscored pretest challenges one test may serve.
const MaxPretests = 2

// PlannedPretest is a pretest challenge a test serves, unscored, once it
// has After scored answers.
type PlannedPretest struct {
	ChallengeID string `bson:"challengeId" json:"challengeId"`
	After       int    `bson:"after" json:"after"`
}

// scored says whether a challenge counts in the engine: every challenge of
// the launch bank, and a pretest challenge once calibration has given it
// parameters.
func (p *ItemParams) scored(c *Challenge) bool {
	if !c.Pretest() {
		return true
	}
	if p == nil {
		return false
	}
	p.index()
	_, ok := p.byID[c.ID]
	return ok
}

// planPretests draws, from the test's seed, up to MaxPretests of the
// scope's pretest challenges, uniformly (so each gathers answers at the
// same rate), and the scored answers after which each is served: distinct,
// from 1 to minLength − 1, so that a test serves them before it may stop.
func planPretests(pool []string, seed int64, minLength int) []PlannedPretest {
	slots := minLength - 1
	k := min(MaxPretests, len(pool), slots)
	if k <= 0 {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte("pretest"))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	ids := r.Perm(len(pool))[:k]
	after := r.Perm(slots)[:k]
	out := make([]PlannedPretest, k)
	for i := range out {
		out[i] = PlannedPretest{ChallengeID: pool[ids[i]], After: after[i] + 1}
	}
	slices.SortFunc(out, func(a, b PlannedPretest) int { return a.After - b.After })
	return out
}

// duePretest returns the planned pretest to serve after the answer just
// given (not stored yet): the one planned after the scored answers so far,
// not answered yet.
func (t *Test) duePretest(just Recorded) (string, bool) {
	answered := map[string]bool{just.ChallengeID: true}
	n := 0
	if !just.Pretest {
		n++
	}
	for _, a := range t.Answers {
		answered[a.ChallengeID] = true
		if !a.Pretest {
			n++
		}
	}
	for _, p := range t.Pretests {
		if p.After == n && !answered[p.ChallengeID] {
			return p.ChallengeID, true
		}
	}
	return "", false
}

// isPretest says whether the test planned challenge id as a pretest.
func (t *Test) isPretest(id string) bool {
	return slices.ContainsFunc(t.Pretests, func(p PlannedPretest) bool { return p.ChallengeID == id })
}

// MinQuestions is the fewest questions the test asks: the engine's minimum
// length and the planned pretests, which come before it.
func (t *Test) MinQuestions() int { return t.Config.MinLength + len(t.Pretests) }

// MaxQuestions is the most questions the test asks, pretests included.
func (t *Test) MaxQuestions() int { return t.Config.MaxLength + len(t.Pretests) }
