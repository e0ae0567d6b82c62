package irt

import (
	"fmt"
	"math"
)

// Grid is the fixed set of equally spaced ability values on which every
// posterior is held. A fixed grid turns estimation into a few dozen
// multiplications and lets information be tabulated once per bank.
type Grid struct {
	// Min and Max are the first and last points, in logits.
	Min, Max float64
	// Points is the number of points, Min and Max included.
	Points int
}

// maxGridPoints bounds the tables an engine allocates (items × points).
const maxGridPoints = 1001

// StandardGrid is the engine's default grid: 61 points from −6 to 6, a
// step of 0.2 logit, fine enough that the trapezoid rule integrates a
// posterior with SD ≥ 0.3 to far better than 1e-6.
func StandardGrid() Grid { return Grid{Min: -6, Max: 6, Points: 61} }

// Validate reports whether the grid is usable.
func (g Grid) Validate() error {
	if !finite(g.Min) || !finite(g.Max) || !(g.Min < g.Max) {
		return fmt.Errorf("irt: grid from %v to %v: %w", g.Min, g.Max, ErrInvalidInput)
	}
	if g.Points < 3 || g.Points > maxGridPoints {
		return fmt.Errorf("irt: grid of %d points (want 3–%d): %w", g.Points, maxGridPoints, ErrInvalidInput)
	}
	return nil
}

// Step returns the distance between two neighbouring points.
func (g Grid) Step() float64 { return (g.Max - g.Min) / float64(g.Points-1) }

// Nodes returns the grid points.
func (g Grid) Nodes() []float64 {
	nodes := make([]float64, g.Points)
	step := g.Step()
	for i := range nodes {
		nodes[i] = g.Min + float64(i)*step
	}
	nodes[g.Points-1] = g.Max
	return nodes
}

// nearest returns the index of the grid point closest to theta, clamped to
// the grid: selection reads its information ranking there.
func (g Grid) nearest(theta float64) int {
	if !(theta > g.Min) { // NaN lands on the first point rather than panicking
		return 0
	}
	i := int(math.Round((theta - g.Min) / g.Step()))
	return min(i, g.Points-1)
}

// normalWeights returns the N(mean, sd²) density at nodes, normalised to
// sum to 1: a prior (or a kernel row) as quadrature weights.
func normalWeights(dst, nodes []float64, mean, sd float64) []float64 {
	dst = dst[:0]
	var sum float64
	for _, x := range nodes {
		z := (x - mean) / sd
		w := math.Exp(-0.5 * z * z)
		dst = append(dst, w)
		sum += w
	}
	if !(sum > 0) {
		// The density underflowed everywhere (mean far outside the grid):
		// put all the mass on the nearest end rather than dividing by zero.
		clear(dst)
		if mean < nodes[0] {
			dst[0] = 1
		} else {
			dst[len(dst)-1] = 1
		}
		return dst
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}

// summarise returns the mean and standard deviation of a distribution on
// the grid. w must sum to 1.
func summarise(nodes, w []float64) (mean, sd float64) {
	for i, x := range nodes {
		mean += w[i] * x
	}
	var v float64
	for i, x := range nodes {
		d := x - mean
		v += w[i] * d * d
	}
	return mean, math.Sqrt(v)
}

// normalise scales w to sum to 1 and returns the factor's inverse (the old
// sum). A vector that underflowed to zero is reset to uniform, which keeps
// every later step finite.
func normalise(w []float64) float64 {
	var sum float64
	for _, x := range w {
		sum += x
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		u := 1 / float64(len(w))
		for i := range w {
			w[i] = u
		}
		return 0
	}
	inv := 1 / sum
	for i := range w {
		w[i] *= inv
	}
	return sum
}
