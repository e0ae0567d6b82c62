package irt

import (
	"math"
	"testing"
)

// TestCompetenceEstimatesMatchIntegration checks the higher-order
// estimates against brute-force integration over (θ, θ1, θ2) for a bank of
// two competences.
func TestCompetenceEstimatesMatchIntegration(t *testing.T) {
	items := []Item{
		{ID: "x1", A: 1.3, B: -0.2, Competence: "x"},
		{ID: "x2", A: 0.9, B: 0.8, Competence: "x"},
		{ID: "y1", A: 1.6, B: 0.1, Competence: "y"},
		{ID: "y2", A: 1.1, B: -1.0, Competence: "y"},
		{ID: "y3", A: 1.2, B: 1.2, Competence: "y"},
	}
	answers := []Response{{Item: 0, Correct: true}, {Item: 1, Correct: false}, {Item: 2, Correct: true}, {Item: 3, Correct: true}, {Item: 4, Correct: true}}
	const rho = 0.7
	cfg := mustPreset(t, "C1")
	cfg.Rho = rho
	e := mustEngine(t, items, cfg)
	test, _ := e.NewTest(TestOptions{})
	for _, r := range answers {
		if err := test.Answer(r.Item, r.Correct); err != nil {
			t.Fatal(err)
		}
	}
	got := test.Estimates().Competences

	const n = 241
	lo, hi := -7.0, 7.0
	h := (hi - lo) / (n - 1)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + float64(i)*h
	}
	like := func(comp string, x float64) float64 {
		l := 1.0
		for _, r := range answers {
			it := items[r.Item]
			if it.Competence != comp {
				continue
			}
			p := Probability(it.A, it.B, x)
			if !r.Correct {
				p = 1 - p
			}
			l *= p
		}
		return l
	}
	s2 := 1 - rho*rho
	kern := func(x, th float64) float64 { d := x - rho*th; return math.Exp(-d * d / (2 * s2)) }
	// mY(θ) = ∫ K(θ, t) L_y(t) dt, mX likewise.
	mX, mY := make([]float64, n), make([]float64, n)
	for i, th := range xs {
		for _, u := range xs {
			mX[i] += kern(u, th) * like("x", u)
			mY[i] += kern(u, th) * like("y", u)
		}
	}
	for c, comp := range []string{"x", "y"} {
		other := mY
		if comp == "y" {
			other = mX
		}
		var z, m1, m2 float64
		for _, u := range xs {
			var prior float64
			for i, th := range xs {
				prior += math.Exp(-th*th/2) * other[i] * kern(u, th)
			}
			w := prior * like(comp, u)
			z += w
			m1 += w * u
			m2 += w * u * u
		}
		mean := m1 / z
		sd := math.Sqrt(m2/z - mean*mean)
		if !near(got[c].Theta, mean, 0.01) || !near(got[c].SE, sd, 0.01) {
			t.Errorf("competence %s: %.4f ± %.4f, integration %.4f ± %.4f", comp, got[c].Theta, got[c].SE, mean, sd)
		}
	}
}

func TestCompetenceFromGlobalAndRhoOne(t *testing.T) {
	items := mustBank(t, "B2", 2)
	for _, cfg := range []Config{mustPreset(t, "pix-flash"), func() Config { c := mustPreset(t, "C3"); c.Rho = 1; return c }()} {
		e := mustEngine(t, items, cfg)
		test := runTest(t, e, 5, -0.4)
		est := test.Estimates()
		for _, c := range est.Competences {
			if c.Theta != est.Theta || c.SE != est.SE {
				t.Fatalf("%s: competence %s = %v, global %v", cfg.Name, c.Competence, c.Theta, est.Theta)
			}
		}
	}
}
