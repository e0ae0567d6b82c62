package irt

import (
	"math"
	"testing"
)

// TestSEDecreasesOnAverage: under the model, the expected posterior
// variance never grows with one more answer (the law of total variance);
// averaged over many simulated tests, the SE after k answers must not
// exceed the SE after k−1, beyond sampling noise.
func TestSEDecreasesOnAverage(t *testing.T) {
	items := mustBank(t, "B2", 11)
	for _, name := range []string{"C3", "random"} {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, items, mustPreset(t, name))
			const people, length = 300, 32
			sum := make([]float64, length+1)
			rng := newRand(5)
			for p := range people {
				theta := rng.NormFloat64()
				test, _ := e.NewTest(TestOptions{Seed: uint64(p)})
				_, se := test.Theta()
				sum[0] += se
				for k := 1; k <= length; k++ {
					i, ok := test.Next()
					if !ok {
						t.Fatal("test ended early")
					}
					it := e.Item(i)
					if err := test.Answer(i, rng.Float64() < Probability(it.A, it.B, theta)); err != nil {
						t.Fatal(err)
					}
					_, se = test.Theta()
					sum[k] += se
				}
			}
			for k := 1; k <= length; k++ {
				if sum[k] > sum[k-1]*1.002 {
					t.Errorf("mean SE rose from %.4f to %.4f at answer %d", sum[k-1]/people, sum[k]/people, k)
				}
			}
		})
	}
}

// TestContentConstraintsNeverViolated runs many tests under content
// balancing and checks every one: never two items of a tube, every
// competence within one item of its share at every step.
func TestContentConstraintsNeverViolated(t *testing.T) {
	items := mustBank(t, "B2", 13)
	for _, name := range []string{"C2", "C3", "random", "default"} {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, items, mustPreset(t, name))
			rng := newRand(17)
			for p := range 200 {
				theta := 1.5 * rng.NormFloat64()
				test, _ := e.NewTest(TestOptions{Seed: uint64(p)})
				tubes := map[string]bool{}
				count := map[string]int{}
				for n := 1; ; n++ {
					i, ok := test.Next()
					if !ok {
						break
					}
					it := e.Item(i)
					if tubes[it.Tube] {
						t.Fatalf("test %d: tube %s twice", p, it.Tube)
					}
					tubes[it.Tube] = true
					count[it.Competence]++
					share := float64(n) / float64(len(e.Competences()))
					for _, c := range e.Competences() {
						if math.Abs(float64(count[c])-share) > 1 {
							t.Fatalf("test %d after %d answers: competence %s has %d, share %.2f", p, n, c, count[c], share)
						}
					}
					if err := test.Answer(i, rng.Float64() < Probability(it.A, it.B, theta)); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// TestLengthRules checks the stopping rule against its definition.
func TestLengthRules(t *testing.T) {
	items := mustBank(t, "B2", 19)
	for _, name := range []string{"C1", "C2", "C3", "pix-flash"} {
		cfg := mustPreset(t, name)
		e := mustEngine(t, items, cfg)
		for p := range 50 {
			test := runTest(t, e, uint64(p), float64(p%7)-3)
			n := test.Len()
			_, se := test.Theta()
			switch test.StopReason() {
			case StopMaxLength:
				if n != cfg.MaxLength {
					t.Errorf("%s: max-length stop at %d", name, n)
				}
			case StopPrecision:
				if cfg.SETarget == 0 || se >= cfg.SETarget || n < cfg.MinLength {
					t.Errorf("%s: precision stop at %d answers, SE %.3f", name, n, se)
				}
			default:
				t.Errorf("%s: stop reason %v", name, test.StopReason())
			}
		}
	}
}
