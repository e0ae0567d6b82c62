package irt

import (
	"math"
	"testing"
)

// integrate returns the posterior mean and SD of θ under a N(mean, sd²)
// prior and the given answers, by Simpson's rule on 40,001 points over
// [−12, 12]: the reference the 61-point grid must match.
func integrate(items []Item, answers []Response, mean, sd float64) (float64, float64) {
	const n = 40000
	lo, hi := -12.0, 12.0
	h := (hi - lo) / n
	var z, m1, m2 float64
	for i := 0; i <= n; i++ {
		x := lo + float64(i)*h
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		d := (x - mean) / sd
		f := math.Exp(-0.5 * d * d)
		for _, r := range answers {
			p := Probability(items[r.Item].A, items[r.Item].B, x)
			if !r.Correct {
				p = 1 - p
			}
			f *= p
		}
		z += w * f
		m1 += w * f * x
		m2 += w * f * x * x
	}
	mu := m1 / z
	return mu, math.Sqrt(m2/z - mu*mu)
}

func TestEAPMatchesIntegration(t *testing.T) {
	items := []Item{
		{ID: "easy", A: 1.0, B: -1.5},
		{ID: "mid", A: 1.5, B: 0},
		{ID: "hard", A: 0.8, B: 1.7},
		{ID: "sharp", A: 2.5, B: 0.4},
	}
	tests := []struct {
		name    string
		answers []Response
	}{
		{"no answer", nil},
		{"one right", []Response{{Item: 1, Correct: true}}},
		{"one wrong", []Response{{Item: 1, Correct: false}}},
		{"mixed", []Response{{Item: 0, Correct: true}, {Item: 1, Correct: true}, {Item: 2, Correct: false}, {Item: 3, Correct: false}}},
		{"all right", []Response{{Item: 0, Correct: true}, {Item: 1, Correct: true}, {Item: 2, Correct: true}, {Item: 3, Correct: true}}},
		{"all wrong", []Response{{Item: 0, Correct: false}, {Item: 1, Correct: false}, {Item: 2, Correct: false}, {Item: 3, Correct: false}}},
	}
	cfg := mustPreset(t, "C1")
	cfg.MaxLength = 10
	e := mustEngine(t, items, cfg)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			test, err := e.NewTest(TestOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tc.answers {
				if err := test.Answer(r.Item, r.Correct); err != nil {
					t.Fatal(err)
				}
			}
			wantMean, wantSD := integrate(items, tc.answers, 0, 1)
			gotMean, gotSD := test.Theta()
			if !near(gotMean, wantMean, 1e-6) || !near(gotSD, wantSD, 1e-6) {
				t.Errorf("EAP = %.8f ± %.8f, integration %.8f ± %.8f", gotMean, gotSD, wantMean, wantSD)
			}
		})
	}
}

func TestMAPMatchesMode(t *testing.T) {
	items := []Item{{ID: "a", A: 1.2, B: -0.5}, {ID: "b", A: 1.4, B: 0.3}, {ID: "c", A: 0.9, B: 1}}
	answers := []Response{{Item: 0, Correct: true}, {Item: 1, Correct: true}, {Item: 2, Correct: false}}
	cfg := mustPreset(t, "C1")
	cfg.Estimator = MAP
	e := mustEngine(t, items, cfg)
	test, _ := e.NewTest(TestOptions{})
	for _, r := range answers {
		if err := test.Answer(r.Item, r.Correct); err != nil {
			t.Fatal(err)
		}
	}
	// The mode by golden-section search on the exact log posterior.
	logPost := func(x float64) float64 {
		l := -0.5 * x * x
		for _, r := range answers {
			p := Probability(items[r.Item].A, items[r.Item].B, x)
			if !r.Correct {
				p = 1 - p
			}
			l += math.Log(p)
		}
		return l
	}
	lo, hi := -4.0, 4.0
	g := (math.Sqrt(5) - 1) / 2
	for hi-lo > 1e-9 {
		x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
		if logPost(x1) > logPost(x2) {
			hi = x2
		} else {
			lo = x1
		}
	}
	mode := (lo + hi) / 2
	const h = 1e-4
	curv := (logPost(mode+h) - 2*logPost(mode) + logPost(mode-h)) / (h * h)
	got, se := test.Theta()
	// A parabola through grid points 0.2 apart: a few thousandths.
	if !near(got, mode, 0.01) || !near(se, 1/math.Sqrt(-curv), 0.01) {
		t.Errorf("MAP = %.4f ± %.4f, want %.4f ± %.4f", got, se, mode, 1/math.Sqrt(-curv))
	}
}

// TestMovingPriorIsPIX follows PIX's flash update by hand for three
// answers: a N(previous estimate, 1.5) prior times the likelihood of every
// answer so far, on 81 points from −9 to 9, the move then limited by
// variation 0.5 (by 0.5 near 0, else by half the previous estimate).
func TestMovingPriorIsPIX(t *testing.T) {
	items := []Item{{ID: "a", A: 1.1, B: -2}, {ID: "b", A: 1.3, B: -1}, {ID: "c", A: 0.9, B: 0.5}}
	answers := []Response{{Item: 0, Correct: true}, {Item: 1, Correct: true}, {Item: 2, Correct: false}}
	e := mustEngine(t, items, mustPreset(t, "pix-flash"))
	test, _ := e.NewTest(TestOptions{})
	nodes := Grid{Min: -9, Max: 9, Points: 81}.Nodes()
	est := -3.0
	like := make([]float64, len(nodes))
	for k := range like {
		like[k] = 1
	}
	for _, r := range answers {
		if err := test.Answer(r.Item, r.Correct); err != nil {
			t.Fatal(err)
		}
		var z, m float64
		for k, x := range nodes {
			p := Probability(items[r.Item].A, items[r.Item].B, x)
			if !r.Correct {
				p = 1 - p
			}
			like[k] *= p
			w := like[k] * math.Exp(-(x-est)*(x-est)/3)
			z += w
			m += w * x
		}
		gap := 0.5
		if math.Abs(est) >= 0.5 {
			gap = math.Abs(est) / 2
		}
		est = max(est-gap, min(est+gap, m/z))
		if got, _ := test.Theta(); !near(got, est, 1e-9) {
			t.Fatalf("after %d answers: θ = %v, PIX's update gives %v", test.Len(), got, est)
		}
	}
}

func TestStepLimitByHand(t *testing.T) {
	e := &Engine{cfg: Config{StepLimit: 0.5}}
	for _, c := range []struct{ prev, next, want float64 }{
		{-3, -0.2, -1.5}, // |prev| ≥ 0.5: at most |−3|·0.5 = 1.5
		{-3, -4, -4},     // within the limit
		{0.2, 1.5, 0.7},  // near 0: at most 0.5
		{0.2, -1, -0.3},
		{2, 0, 1},
		{1, 1.2, 1.2},
	} {
		if got := e.limitStep(c.prev, c.next); !near(got, c.want, 1e-12) {
			t.Errorf("from %v toward %v: %v, want %v", c.prev, c.next, got, c.want)
		}
	}
	if got := (&Engine{}).limitStep(-3, 2); got != 2 {
		t.Errorf("no limit: %v", got)
	}
}

// TestPIXCompetenceRules: pix-flash's first 16 items come from 16
// different competences, and no item shares the competence of either of
// the two answers before it.
func TestPIXCompetenceRules(t *testing.T) {
	items := mustBank(t, "B2", 31)
	e := mustEngine(t, items, mustPreset(t, "pix-flash"))
	for p := range 30 {
		test := runTest(t, e, uint64(p), float64(p%5)-2)
		h := test.Responses()
		if len(h) != 32 {
			t.Fatalf("test %d: %d answers", p, len(h))
		}
		first := map[string]bool{}
		for k, r := range h {
			c := e.Item(r.Item).Competence
			if k < 16 {
				if first[c] {
					t.Fatalf("test %d: competence %s twice in the first pass", p, c)
				}
				first[c] = true
			}
			for j := max(0, k-2); j < k; j++ {
				if e.Item(h[j].Item).Competence == c {
					t.Fatalf("test %d: answer %d in the competence of answer %d", p, k+1, j+1)
				}
			}
		}
	}
}
