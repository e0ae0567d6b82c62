package irt

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// fuzzBank decodes odd banks from bytes: up to eight items whose a and b
// are raw float64 bit patterns (so NaN, ±Inf, 0, negatives, 1e308 and
// subnormals all occur), with a few competences and tubes, then the
// answers to give.
func fuzzBank(data []byte) (items []Item, answers []bool, preset string) {
	presets := PresetNames()
	if len(data) == 0 {
		return nil, nil, presets[0]
	}
	preset = presets[int(data[0])%len(presets)]
	data = data[1:]
	for len(data) >= 17 && len(items) < 8 {
		a := math.Float64frombits(binary.LittleEndian.Uint64(data))
		b := math.Float64frombits(binary.LittleEndian.Uint64(data[8:]))
		flags := data[16]
		items = append(items, Item{
			ID: string(rune('a' + len(items))), A: a, B: b,
			Competence: string(rune('x' + flags%3)),
			Tube:       string(rune('p' + (flags>>2)%3)),
			Retired:    flags&0x80 != 0 && len(items) > 0,
		})
		data = data[17:]
	}
	for _, c := range data {
		answers = append(answers, c&1 == 1)
	}
	return items, answers, preset
}

func seedItem(a, b float64, flags byte) []byte {
	buf := binary.LittleEndian.AppendUint64(nil, math.Float64bits(a))
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(b))
	return append(buf, flags)
}

func FuzzEngine(f *testing.F) {
	join := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	f.Add(join([]byte{0}, seedItem(1, 0, 0), []byte{1, 0, 1}))                                          // one item
	f.Add(join([]byte{1}, seedItem(1, 0, 0), seedItem(1, 0, 0), seedItem(1, 0, 0), []byte{1, 1, 0, 1})) // identical items
	f.Add(join([]byte{2}, seedItem(1e300, 1e300, 1), seedItem(1e-300, -1e300, 2), []byte{0, 1}))        // extreme
	f.Add(join([]byte{3}, seedItem(math.NaN(), 0, 0), []byte{1}))                                       // NaN
	f.Add(join([]byte{4}, seedItem(1, math.Inf(1), 0), []byte{1}))                                      // Inf
	f.Add(join([]byte{5}, seedItem(-1, 0, 0), []byte{1}))                                               // negative a
	f.Add([]byte{2})                                                                                    // empty bank
	f.Fuzz(func(t *testing.T, data []byte) {
		items, answers, preset := fuzzBank(data)
		cfg, err := Preset(preset)
		if err != nil {
			t.Fatal(err)
		}
		cfg.ExposureSimulees, cfg.ExposureIterations = 20, 2
		e, err := NewEngine(items, cfg)
		bad := len(items) == 0
		for _, it := range items {
			bad = bad || it.Validate() != nil
		}
		if bad {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("odd bank accepted or wrong error: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid bank rejected: %v", err)
		}
		test, err := e.NewTest(TestOptions{Seed: uint64(len(data))})
		if err != nil {
			return // every item retired
		}
		for _, correct := range answers {
			i, ok := test.Next()
			if !ok {
				break
			}
			if err := test.Answer(i, correct); err != nil {
				t.Fatalf("Answer(%d): %v", i, err)
			}
		}
		est := test.Estimates()
		if !finite(est.Theta) || !finite(est.SE) || est.SE < 0 {
			t.Fatalf("estimate %v ± %v", est.Theta, est.SE)
		}
		for _, c := range est.Competences {
			if !finite(c.Theta) || !finite(c.SE) {
				t.Fatalf("competence %s: %v ± %v", c.Competence, c.Theta, c.SE)
			}
		}
		if _, err := e.Replay(TestOptions{Seed: uint64(len(data))}, test.Responses()); err != nil {
			t.Fatalf("replay: %v", err)
		}
	})
}

func FuzzCalibrate(f *testing.F) {
	f.Add(3, []byte{0, 0, 1, 0, 1, 0, 1, 2, 1})
	f.Add(1, []byte{0, 0, 1})
	f.Add(2, []byte{5, 9, 1, 5, 200, 0})
	f.Fuzz(func(t *testing.T, items int, data []byte) {
		if items > 50 {
			items %= 50
		}
		var obs []Observation
		for i := 0; i+2 < len(data) && len(obs) < 200; i += 3 {
			obs = append(obs, Observation{Person: int(data[i]), Item: int(data[i+1]) - 1, Correct: data[i+2]&1 == 1})
		}
		opts := DefaultCalibrationOptions()
		opts.MaxIterations = 30
		cal, err := Calibrate(items, obs, opts)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("wrong error: %v", err)
			}
			return
		}
		for i, it := range cal.Items {
			if !finite(it.A) || it.A <= 0 || !finite(it.B) || !finite(it.SEA) || !finite(it.SEB) {
				t.Fatalf("item %d: %+v", i, it)
			}
		}
	})
}

func FuzzItemBelief(f *testing.F) {
	f.Add(1.0, 0.0, 0.5, 1.0, 0.3, true)
	f.Add(1e-300, 1e300, 1e-9, 1e9, math.Inf(1), false)
	f.Fuzz(func(t *testing.T, a, b, sdLogA, sdB, theta float64, correct bool) {
		ib, err := NewItemBelief(a, b, sdLogA, sdB)
		if err != nil {
			return
		}
		for range 5 {
			ib = ib.Update(theta, correct)
			if !finite(ib.LogA) || !finite(ib.B) || !(ib.VarLogA > 0) || !(ib.VarB > 0) {
				t.Fatalf("belief %+v", ib)
			}
		}
	})
}
