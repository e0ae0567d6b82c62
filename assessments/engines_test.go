package assessments

import (
	"math"
	"math/rand/v2"
	"testing"

	"ardoise/assessments/irt"
)

// TestExposureCapForSmallPools: the cap is 0.20 for a big pool, the lowest
// cap a test can honour for a small one, and off only when a test asks
// nearly the whole pool.
func TestExposureCapForSmallPools(t *testing.T) {
	for _, c := range []struct {
		length, n int
		want      float64
	}{
		{32, 215, 0.20},   // the CRCN
		{18, 80, 0.28125}, // the teachers' framework
		{10, 16, 0.78125}, // one competence
		{10, 12, 0},       // a test asks 10 of 12: nothing to control
		{32, 1000, 0.20},  // a big bank
		{0, 0, 0},         // nothing to serve
	} {
		if got := exposureCapFor(c.length, c.n); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("exposureCapFor(%d, %d) = %v, want %v", c.length, c.n, got, c.want)
		}
	}
}

// TestExposureHoldsOnTheShippedBank runs 1,000 whole-CRCN tests of people
// drawn from N(0, 1) through the production engine and checks that no
// challenge is given in more than the cap plus sampling noise (0.20 +
// 0.04, the noise of a rate near 0.2 over 1,000 tests being 0.013).
func TestExposureHoldsOnTheShippedBank(t *testing.T) {
	b := shippedBank(t)
	be, err := (&engines{}).get(b, &ItemParams{Version: initialParamsVersion}, Scope{Framework: "crcn"})
	if err != nil {
		t.Fatal(err)
	}
	if be.config.ExposureCap != 0.20 {
		t.Fatalf("cap %v", be.config.ExposureCap)
	}
	r := rand.New(rand.NewPCG(3, 4))
	given := map[string]int{}
	const n = 1000
	for i := range n {
		run, err := be.engine.NewTest(irt.TestOptions{Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		theta := r.NormFloat64()
		for {
			item, ok := run.Next()
			if !ok {
				break
			}
			it := be.engine.Item(item)
			given[it.ID]++
			if err := run.Answer(item, r.Float64() < irt.Probability(it.A, it.B, theta)); err != nil {
				t.Fatal(err)
			}
		}
	}
	worst, id := 0, ""
	for k, v := range given {
		if v > worst {
			worst, id = v, k
		}
	}
	if rate := float64(worst) / n; rate > 0.24 {
		t.Errorf("%s given in %.3f of tests (cap 0.20)", id, rate)
	} else {
		t.Logf("highest exposure %.3f (%s)", rate, id)
	}
}
