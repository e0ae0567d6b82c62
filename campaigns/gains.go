package campaigns

import (
	"math"
	"slices"
)

// What is paired. A pre/post gain compares, for one competence, a person's
// θ estimate (the ability on the logit scale that the positioning test
// reports) in the "avant" campaign with the one in the "après" campaign.
// θ rather than the level: levels are integers 0–8 cut from θ, so a mean of
// level differences would throw away everything that moves inside a level
// and jump by whole units at the cut points; θ is continuous and its
// differences average well. For display the gain is also given in levels
// (see Gain.InLevels), which is exact because the cut points are evenly
// spaced.

// MinPairs is the smallest number of paired people for which a gain is
// shown. Below it the interval is too wide to say anything (with 4 pairs,
// t is 3.18 standard errors) and a mean of so few people comes close to an
// individual result.
const MinPairs = 5

// LogitsPerLevel is the width of one level on the θ scale: Ardoise's cut
// points (irt.DefaultScoring, "ardoise-levels-1") are one logit apart, so a
// gain of g logits is a gain of g levels. The tests pin it to the cut
// points; change both together.
const LogitsPerLevel = 1.0

// TooFewPairsKey is the i18n catalog key of the French sentence the
// dashboard shows instead of a gain when fewer than MinPairs people shared
// both campaigns.
const TooFewPairsKey = "campaign.gain.too_few"

// Pair is one person's θ estimate of one competence before and after.
type Pair struct {
	Before, After float64
}

// Gain is the mean gain of one competence over paired people: the mean of
// After − Before with its 95 % confidence interval (Student's t with N−1
// degrees of freedom). When Enough is false (N < MinPairs), Mean, Low and
// High are zero and must not be shown; show TooFewPairsKey instead.
type Gain struct {
	// N is the number of paired people.
	N int
	// Mean, Low and High are the mean gain and its 95 % interval, in
	// logits unless the Gain came from InLevels.
	Mean, Low, High float64
	// Enough reports whether N ≥ MinPairs, i.e. whether there is a gain.
	Enough bool
}

// PairGain returns the mean gain of pairs with its 95 % interval.
func PairGain(pairs []Pair) Gain {
	n := len(pairs)
	if n < MinPairs {
		return Gain{N: n}
	}
	var sum float64
	for _, p := range pairs {
		sum += p.After - p.Before
	}
	mean := sum / float64(n)
	// Two passes: the variance from squared deviations, not from
	// Σd² − n·mean², which cancels badly when the gains are nearly equal.
	var ss float64
	for _, p := range pairs {
		d := p.After - p.Before - mean
		ss += d * d
	}
	se := math.Sqrt(ss / float64(n-1) / float64(n))
	half := tCritical95(n-1) * se
	return Gain{N: n, Mean: mean, Low: mean - half, High: mean + half, Enough: true}
}

// InLevels returns g expressed in levels rather than logits.
func (g Gain) InLevels() Gain {
	g.Mean /= LogitsPerLevel
	g.Low /= LogitsPerLevel
	g.High /= LogitsPerLevel
	return g
}

// Pairs builds the pairs of one competence from the θ estimates before and
// after, keyed by person ID: only people present in both maps are paired.
// The pairs come in the order of the IDs, so the same maps always give the
// same sums to the last bit.
func Pairs(before, after map[string]float64) []Pair {
	ids := make([]string, 0, len(before))
	for id := range before {
		if _, ok := after[id]; ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	pairs := make([]Pair, len(ids))
	for i, id := range ids {
		pairs[i] = Pair{Before: before[id], After: after[id]}
	}
	return pairs
}

// tCritical95 returns the two-sided 95 % critical value of Student's t with
// df degrees of freedom (its 0.975 quantile), found by bisection on the
// exact distribution function, so no table can be mistyped.
func tCritical95(df int) float64 {
	hi := 1.0
	for tCentralMass(hi, df) < 0.95 {
		hi *= 2
	}
	lo := 0.0
	for range 100 {
		mid := (lo + hi) / 2
		if tCentralMass(mid, df) < 0.95 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12 {
			break
		}
	}
	return (lo + hi) / 2
}

// tCentralMass returns P(|T| < t) for Student's T with df ≥ 1 degrees of
// freedom, by the finite series of Abramowitz and Stegun 26.7.3–26.7.4
// (exact for integer df; every term is positive, so it sums stably).
// With θ = atan(t/√df), c = cos²θ:
//
//	df odd:  (2/π)·(θ + sinθ·cosθ·(1 + (2/3)c + (2·4)/(3·5)c² + … up to c^((df−3)/2)))
//	df even: sinθ·(1 + (1/2)c + (1·3)/(2·4)c² + … up to c^((df−2)/2))
func tCentralMass(t float64, df int) float64 {
	theta := math.Atan(t / math.Sqrt(float64(df)))
	s, co := math.Sin(theta), math.Cos(theta)
	c := co * co
	if df%2 == 1 {
		if df == 1 {
			return 2 * theta / math.Pi
		}
		sum, term := 1.0, 1.0
		for k := 1; k <= (df-3)/2; k++ {
			term *= c * float64(2*k) / float64(2*k+1)
			sum += term
		}
		return 2 / math.Pi * (theta + s*co*sum)
	}
	sum, term := 1.0, 1.0
	for k := 1; k <= (df-2)/2; k++ {
		term *= c * float64(2*k-1) / float64(2*k)
		sum += term
	}
	return s * sum
}
