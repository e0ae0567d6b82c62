package irt

import (
	"math"
	"testing"
)

// higherOrderData draws people of the higher-order model with correlation
// rho answering every item of a small bank of comps competences.
func higherOrderData(t *testing.T, people, comps, perComp int, rho float64, seed uint64) ([]Item, []int, []Observation) {
	t.Helper()
	spec := BankSpec{Name: "ho", Items: comps * perComp, Competences: comps, AMean: 1.2, ASD: 0.25, BSD: 1}
	items, err := GenerateBank(spec, seed)
	if err != nil {
		t.Fatal(err)
	}
	comp := make([]int, len(items))
	index := map[string]int{}
	for i, it := range items {
		c, ok := index[it.Competence]
		if !ok {
			c = len(index)
			index[it.Competence] = c
		}
		comp[i] = c
	}
	sims, err := GenerateSimulees(people, comps, rho, seed)
	if err != nil {
		t.Fatal(err)
	}
	rng := newRand(seed + 1)
	var obs []Observation
	for p, s := range sims {
		for i, it := range items {
			obs = append(obs, Observation{Person: p, Item: i, Correct: rng.Float64() < Probability(it.A, it.B, s.Competences[comp[i]])})
		}
	}
	return items, comp, obs
}

func smallCalibrationOptions() CalibrationOptions {
	o := DefaultCalibrationOptions()
	o.Grid = Grid{Min: -5, Max: 5, Points: 21}
	o.Tolerance = 1e-4
	return o
}

// With ρ fixed at 1 the higher-order model is the unidimensional one: the
// same estimates and standard errors as Calibrate.
func TestHigherOrderAtRhoOneIsCalibrate(t *testing.T) {
	_, comp, obs := higherOrderData(t, 150, 3, 4, 1, 3)
	opts := smallCalibrationOptions()
	uni, err := Calibrate(len(comp), obs, opts)
	if err != nil {
		t.Fatal(err)
	}
	ho, err := calibrateHigherOrder(comp, obs, opts, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ho.Rho != 1 || ho.Iterations != uni.Iterations || !near(ho.LogLikelihood, uni.LogLikelihood, 1e-6) {
		t.Errorf("rho %v, %d vs %d iterations, log likelihood %v vs %v", ho.Rho, ho.Iterations, uni.Iterations, ho.LogLikelihood, uni.LogLikelihood)
	}
	for i := range uni.Items {
		u, h := uni.Items[i], ho.Items[i]
		if !near(u.A, h.A, 1e-9) || !near(u.B, h.B, 1e-9) || !near(u.SEA, h.SEA, 1e-9) || !near(u.SEB, h.SEB, 1e-9) {
			t.Errorf("item %d: %+v vs %+v", i, u, h)
		}
	}
}

// The marginal likelihood in ρ peaks near the ρ the data were drawn with,
// and the items come back on the competence scale.
func TestHigherOrderRecoversRho(t *testing.T) {
	for _, rho := range []float64{0.6, 1} {
		items, comp, obs := higherOrderData(t, 400, 5, 6, rho, 5)
		cal, err := CalibrateHigherOrder(comp, obs, smallCalibrationOptions())
		if err != nil {
			t.Fatal(err)
		}
		if !near(cal.Rho, rho, 0.08) {
			t.Errorf("data rho %v: estimated %.3f (SE %.3f)", rho, cal.Rho, cal.RhoSE)
		}
		if rho < 1 && !(cal.RhoSE > 0 && cal.RhoSE < 0.1) {
			t.Errorf("data rho %v: SE %v", rho, cal.RhoSE)
		}
		var sb float64
		for i, c := range cal.Items {
			sb += (c.B - items[i].B) * (c.B - items[i].B)
		}
		if rmse := math.Sqrt(sb / float64(len(items))); rmse > 0.25 {
			t.Errorf("data rho %v: RMSE(b) %.3f", rho, rmse)
		}
	}
}

func TestCalibrateHigherOrderRejectsOddInput(t *testing.T) {
	opts := DefaultCalibrationOptions()
	if _, err := CalibrateHigherOrder([]int{0, -1}, nil, opts); err == nil {
		t.Error("negative competence accepted")
	}
	if _, err := CalibrateHigherOrder(nil, nil, opts); err == nil {
		t.Error("no item accepted")
	}
	if _, err := CalibrateHigherOrder([]int{0}, []Observation{{Person: 0, Item: 1}}, opts); err == nil {
		t.Error("answer to an unknown item accepted")
	}
}

func TestLinkedDesign(t *testing.T) {
	items := mustBank(t, "B2", 2)
	const persons, length = 2000, 40
	design := LinkedDesign(items, persons, length, 9)
	count := make([]int, len(items))
	for p, list := range design {
		if len(list) != length {
			t.Fatalf("person %d answers %d items", p, len(list))
		}
		seen := map[int]bool{}
		comps := map[string]bool{}
		for _, i := range list {
			if seen[i] {
				t.Fatalf("person %d gets item %d twice", p, i)
			}
			seen[i] = true
			comps[items[i].Competence] = true
			count[i]++
		}
		if len(comps) != 16 {
			t.Fatalf("person %d sees %d competences", p, len(comps))
		}
	}
	// 50 blocks of 20, each answered by 2 × 2000 / 50 = 80 people.
	for i, n := range count {
		if n != 80 {
			t.Fatalf("item %d answered by %d people, want 80", i, n)
		}
	}
	again := LinkedDesign(items, persons, length, 9)
	other := LinkedDesign(items, persons, length, 10)
	same, differ := true, false
	for p := range design {
		for k := range design[p] {
			same = same && design[p][k] == again[p][k]
			differ = differ || design[p][k] != other[p][k]
		}
	}
	if !same || !differ {
		t.Errorf("design: same seed same design %v, other seed differs %v", same, differ)
	}
}
