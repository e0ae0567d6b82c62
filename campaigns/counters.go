package campaigns

import (
	"math"
	"time"
)

// PageSize is the number of shared participations in one page document.
const PageSize = 50

// Counters are a campaign's aggregates, kept by the worker: one document
// per campaign, rewritten whole under the campaign's lock. The bit sets
// say which participations (by Seq) each count holds, so counting a
// participation again changes nothing. Only shared participations feed
// the levels and the gains; of the others, the organiser learns that
// someone joined and finished, nothing more.
type Counters struct {
	CampaignID string `bson:"_id" json:"-"`
	// NextSeq is the highest Seq given so far.
	NextSeq  int `bson:"nextSeq" json:"-"`
	Joined   int `bson:"joined" json:"joined"`
	Finished int `bson:"finished" json:"finished"`
	Shared   int `bson:"shared" json:"shared"`
	// JoinedBits, FinishedBits and SharedBits hold bit Seq-1 of every
	// participation counted in Joined, Finished and Shared.
	JoinedBits   []byte `bson:"joinedBits" json:"-"`
	FinishedBits []byte `bson:"finishedBits" json:"-"`
	SharedBits   []byte `bson:"sharedBits" json:"-"`
	// Competences are the shared levels, per measured competence.
	Competences []CompetenceCount `bson:"competences" json:"competences"`
	// Gains are the running pre/post sums of a campaign that follows
	// another ("après"): per competence, over the people paired.
	Gains     []GainSum `bson:"gains,omitempty" json:"-"`
	UpdatedAt time.Time `bson:"updatedAt" json:"updatedAt"`
}

// CompetenceCount is the distribution of the shared participations'
// levels in one competence, and how many reach the target level.
type CompetenceCount struct {
	Competence string `bson:"competence" json:"competence"`
	// Target is the target level (0 when the campaign sets none).
	Target int `bson:"target" json:"target"`
	// ByLevel[l] counts the participations at level l (0–8).
	ByLevel  []int `bson:"byLevel" json:"byLevel"`
	AtTarget int   `bson:"atTarget" json:"atTarget"`
}

// GainSum accumulates one competence's θ gains, After − Before, over the
// paired people by Welford's update: the mean and the sum of squared
// deviations, numerically stable in one pass.
type GainSum struct {
	Competence string  `bson:"competence"`
	N          int     `bson:"n"`
	Mean       float64 `bson:"mean"`
	M2         float64 `bson:"m2"`
}

func (g *GainSum) add(d float64) {
	g.N++
	delta := d - g.Mean
	g.Mean += delta / float64(g.N)
	g.M2 += delta * (d - g.Mean)
}

// Gain returns the mean gain with its 95 % interval (nothing below MinPairs).
func (g GainSum) Gain() Gain {
	if g.N < MinPairs {
		return Gain{N: g.N}
	}
	se := math.Sqrt(g.M2 / float64(g.N-1) / float64(g.N))
	half := tCritical95(g.N-1) * se
	return Gain{N: g.N, Mean: g.Mean, Low: g.Mean - half, High: g.Mean + half, Enough: true}
}

// Levels is the number of level values a competence count holds (0–8).
const Levels = 9

// newCounters returns the empty counters of c: one count per competence
// its test measures.
func newCounters(c *Campaign, competences []string) *Counters {
	k := &Counters{CampaignID: c.ID, Competences: []CompetenceCount{}}
	targets := map[string]int{}
	for _, t := range c.Targets {
		targets[t.Competence] = t.Level
	}
	for _, id := range competences {
		k.Competences = append(k.Competences, CompetenceCount{Competence: id, Target: targets[id], ByLevel: make([]int, Levels)})
	}
	return k
}

// has reports whether bit seq-1 is set in bits.
func has(bits []byte, seq int) bool {
	i := seq - 1
	return i/8 < len(bits) && bits[i/8]&(1<<(i%8)) != 0
}

// set sets bit seq-1, growing bits as needed.
func set(bits []byte, seq int) []byte {
	i := seq - 1
	for len(bits) <= i/8 {
		bits = append(bits, 0)
	}
	bits[i/8] |= 1 << (i % 8)
	return bits
}

// addShared counts a shared participation's levels.
func (k *Counters) addShared(levels []Level) {
	for i := range k.Competences {
		cc := &k.Competences[i]
		l := levelOf(levels, cc.Competence)
		if l < 0 {
			continue
		}
		cc.ByLevel[min(l, Levels-1)]++
		if cc.Target > 0 && l >= cc.Target {
			cc.AtTarget++
		}
	}
}

// addGain counts one person's pair: their θ per competence before and after.
func (k *Counters) addGain(before, after []Level) {
	for _, a := range after {
		b, ok := thetaOf(before, a.Competence)
		if !ok {
			continue
		}
		i := 0
		for i < len(k.Gains) && k.Gains[i].Competence != a.Competence {
			i++
		}
		if i == len(k.Gains) {
			k.Gains = append(k.Gains, GainSum{Competence: a.Competence})
		}
		k.Gains[i].add(a.Theta - b)
	}
}

// GainOf returns the gain of a competence (N = 0 when nobody is paired).
func (k *Counters) GainOf(competence string) Gain {
	for _, g := range k.Gains {
		if g.Competence == competence {
			return g.Gain()
		}
	}
	return Gain{}
}

func levelOf(levels []Level, competence string) int {
	for _, l := range levels {
		if l.Competence == competence {
			return l.Level
		}
	}
	return -1
}

func thetaOf(levels []Level, competence string) (float64, bool) {
	for _, l := range levels {
		if l.Competence == competence {
			return l.Theta, true
		}
	}
	return 0, false
}
