package irt

import "math"

// Estimates is what a test has measured so far.
type Estimates struct {
	// Theta and SE are the global ability (EAP or MAP on every answer,
	// unidimensional) and its posterior standard error: the stopping rule
	// and the global score use them.
	Theta, SE float64
	// Score is Theta on the 0–1024 scale, Level its level 0–8.
	Score, Level int
	// ScoringVersion names the cut points used.
	ScoringVersion string
	// Length is the number of answers.
	Length int
	// Competences holds one estimate per competence of the bank, in the
	// order of Engine.Competences.
	Competences []CompetenceEstimate
}

// CompetenceEstimate is the measure of one competence.
type CompetenceEstimate struct {
	// Competence is the label from the bank.
	Competence string
	// Theta and SE are the posterior mean and SD of the competence's
	// ability under the higher-order model.
	Theta, SE float64
	// Level is Theta's level 0–8 under the engine's scoring.
	Level int
	// Answered counts the answers in this competence.
	Answered int
}

// Estimates returns the global and per-competence estimates. The
// per-competence ones cost a few tens of microseconds for 16 competences,
// so they are computed here, on demand, not at every answer.
func (t *Test) Estimates() Estimates {
	e := t.e
	out := Estimates{
		Theta:          t.theta,
		SE:             t.se,
		Score:          e.cfg.Scoring.Score(t.theta),
		Level:          e.cfg.Scoring.Level(t.theta),
		ScoringVersion: e.cfg.Scoring.Version,
		Length:         len(t.history),
		Competences:    make([]CompetenceEstimate, len(e.competences)),
	}
	theta := make([]float64, len(e.competences))
	se := make([]float64, len(e.competences))
	var scratch competenceScratch
	t.competenceEstimates(theta, se, &scratch)
	for c := range out.Competences {
		out.Competences[c] = CompetenceEstimate{
			Competence: e.competences[c],
			Theta:      theta[c],
			SE:         se[c],
			Level:      e.cfg.Scoring.Level(theta[c]),
			Answered:   int(t.compCount[c]),
		}
	}
	return out
}

// competenceScratch is reusable memory for competenceEstimates, so that
// simulations do not allocate per test.
type competenceScratch struct {
	logM, logH, w, prior, post []float64
}

// competenceEstimates fills theta and se, indexed by competence, under the
// higher-order model: θ ~ N(0,1) (the engine's prior), each competence
// θ_c | θ ~ N(ρθ, 1−ρ²), answers in competence c depend on θ_c only. The
// posterior of θ_c is exact on the grid:
//
//	p(θ_c | all) ∝ L_c(θ_c) · Σ_θ K(θ, θ_c) · prior(θ) · Π_{c'≠c} M_c'(θ)
//	M_c'(θ) = Σ_t K(θ, t) · L_c'(t)
//
// where L_c is the likelihood of competence c's own answers and K the
// kernel of the higher-order prior. A competence with two answers thus
// borrows strength from the thirty others without counting its own answers
// twice. With CompetenceFromGlobal (PIX) or ρ = 1 every competence gets the
// global estimate.
func (t *Test) competenceEstimates(theta, se []float64, s *competenceScratch) {
	e := t.e
	if e.kernel == nil {
		for c := range theta {
			theta[c], se[c] = t.theta, t.se
		}
		return
	}
	g, nc := e.g, len(e.competences)
	s.logM = resize(s.logM, nc*g)
	s.logH = resize(s.logH, g)
	s.w = resize(s.w, g)
	s.prior = resize(s.prior, g)
	s.post = resize(s.post, g)
	for k, p := range e.prior {
		s.logH[k] = math.Log(max(p, math.SmallestNonzeroFloat64))
	}
	for c := range nc {
		if t.compCount[c] == 0 {
			continue
		}
		like := t.compLike[c*g : (c+1)*g]
		logM := s.logM[c*g : (c+1)*g]
		for i := range g {
			row := e.kernel[i*g : (i+1)*g]
			var m float64
			for j, k := range row {
				m += k * like[j]
			}
			logM[i] = math.Log(max(m, math.SmallestNonzeroFloat64))
			s.logH[i] += logM[i]
		}
	}
	// Competences without answers share one prior: the general posterior
	// pushed through the kernel.
	var sharedTheta, sharedSE float64
	shared := false
	for c := range nc {
		if t.compCount[c] == 0 {
			if !shared {
				t.pushThroughKernel(s.logH, nil, s)
				sharedTheta, sharedSE = summarise(e.nodes, s.prior)
				shared = true
			}
			theta[c], se[c] = sharedTheta, sharedSE
			continue
		}
		t.pushThroughKernel(s.logH, s.logM[c*g:(c+1)*g], s)
		like := t.compLike[c*g : (c+1)*g]
		for j := range g {
			s.post[j] = s.prior[j] * like[j]
		}
		normalise(s.post)
		theta[c], se[c] = summarise(e.nodes, s.post)
	}
}

// pushThroughKernel sets s.prior to the distribution of θ_c implied by the
// general posterior exp(logH − logOwn), i.e. leaving out the competence's
// own answers.
func (t *Test) pushThroughKernel(logH, logOwn []float64, s *competenceScratch) {
	e := t.e
	g := e.g
	top := math.Inf(-1)
	for i := range g {
		v := logH[i]
		if logOwn != nil {
			v -= logOwn[i]
		}
		s.w[i] = v
		top = max(top, v)
	}
	for i := range g {
		s.w[i] = math.Exp(s.w[i] - top)
	}
	clear(s.prior)
	for i, wi := range s.w {
		// Rows holding less than 1e-13 of the peak weight change no
		// estimate in its printed digits; skipping them leaves the ten or
		// so rows where a sharp general posterior actually is.
		if wi < 1e-13 {
			continue
		}
		row := e.kernel[i*g : (i+1)*g]
		for j, k := range row {
			s.prior[j] += wi * k
		}
	}
	normalise(s.prior)
}
