package irt

import (
	"fmt"
	"math"
)

// Simulee is a simulated person: a general ability and one ability per
// competence.
type Simulee struct {
	Theta       float64
	Competences []float64
}

// GenerateSimulees draws n simulees with θ ~ N(0, 1) and, for each of
// competences competences, θ_c = ρθ + √(1−ρ²)·ε_c with ε_c ~ N(0, 1).
// General abilities and competence deviations come from separate streams,
// so the θs depend only on the seed (not on the bank's competence count)
// and, with ρ = 1, every θ_c equals θ exactly.
func GenerateSimulees(n, competences int, rho float64, seed uint64) ([]Simulee, error) {
	if n < 1 || competences < 1 || !finite(rho) || rho < -1 || rho > 1 {
		return nil, fmt.Errorf("irt: %d simulees, %d competences, rho %v: %w", n, competences, rho, ErrInvalidInput)
	}
	thetas := newRand(mixSeed(seed, streamSimulees))
	devs := newRand(mixSeed(seed, streamCompetences))
	resid := math.Sqrt(1 - rho*rho)
	out := make([]Simulee, n)
	flat := make([]float64, n*competences)
	for i := range out {
		th := thetas.NormFloat64()
		cs := flat[i*competences : (i+1)*competences : (i+1)*competences]
		for c := range cs {
			cs[c] = rho*th + resid*devs.NormFloat64()
		}
		out[i] = Simulee{Theta: th, Competences: cs}
	}
	return out, nil
}
