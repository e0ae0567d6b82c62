package irt

import (
	"testing"
	"time"
)

// benchTest prepares a test half-way through, so that selection works
// against a realistic state (answered items, used tubes, a sharp
// posterior).
func benchTest(b *testing.B, bank, config string, answered int) *Test {
	items := mustBank(b, bank, 1)
	e := mustEngine(b, items, mustPreset(b, config))
	t, _ := e.NewTest(TestOptions{Seed: 1})
	rng := newRand(2)
	for range answered {
		i, ok := t.Next()
		if !ok {
			break
		}
		it := e.Item(i)
		_ = t.Answer(i, rng.Float64() < Probability(it.A, it.B, 0.4))
	}
	return t
}

// BenchmarkSelect measures choosing the next item on B3 (3000 items),
// half-way through a test: a lookup in the information ranking and a short
// walk.
func BenchmarkSelect(b *testing.B) {
	for _, config := range []string{"C1", "C2"} {
		b.Run("B3/"+config, func(b *testing.B) {
			t := benchTest(b, "B3", config, 12)
			saved := append([]uint8(nil), t.state...)
			b.ResetTimer()
			for b.Loop() {
				copy(t.state, saved) // undo Sympson–Hetter exclusions
				t.pending = -1
				if _, ok := t.choose(); !ok {
					b.Fatal("no item")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/selection")
		})
	}
}

// BenchmarkUpdate measures folding one answer into the posterior (and the
// competence likelihood) on the standard 61-point grid.
func BenchmarkUpdate(b *testing.B) {
	t := benchTest(b, "B2", "C2", 10)
	post := append([]float64(nil), t.post...)
	like := append([]float64(nil), t.compLike...)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%32 == 0 { // keep the posterior from collapsing onto one point
			copy(t.post, post)
			copy(t.compLike, like)
		}
		t.update(i%1000, i%3 != 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/update")
}

// BenchmarkSimulatedTest measures whole C2 tests on B2, estimates
// included, and reports the accuracy and length along with the time.
func BenchmarkSimulatedTest(b *testing.B) {
	items := mustBank(b, "B2", 1)
	cfg, _ := Preset("C2")
	cfg.ExposureSeed = 1
	e := mustEngine(b, items, cfg)
	run := newSimulationRun(e, e.items, b.N)
	sims, _ := GenerateSimulees(max(b.N, 1), len(e.competences), 1, 1)
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		if i >= len(sims) {
			sims = append(sims, sims[i%len(sims)])
			run.thetaHat = append(run.thetaHat, 0)
			run.length = append(run.length, 0)
			run.compTheta = append(run.compTheta, make([]float64, len(e.competences))...)
			run.compSE = append(run.compSE, make([]float64, len(e.competences))...)
		}
		if err := run.test(i, sims[i], 1); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	n := len(sims)
	if n > b.N {
		n = b.N
	}
	res := run.figures(sims[:n])
	b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N), "µs/test")
	b.ReportMetric(res.MeanLength, "items/test")
	b.ReportMetric(res.RMSE, "rmse")
}
