package irt

import (
	"math"
	"testing"
)

// mustEngine builds an engine or stops the test.
func mustEngine(tb testing.TB, items []Item, cfg Config) *Engine {
	tb.Helper()
	e, err := NewEngine(items, cfg)
	if err != nil {
		tb.Fatalf("NewEngine: %v", err)
	}
	return e
}

// mustPreset returns a preset or stops the test.
func mustPreset(tb testing.TB, name string) Config {
	tb.Helper()
	c, err := Preset(name)
	if err != nil {
		tb.Fatal(err)
	}
	// Small Sympson–Hetter simulations keep tests fast; the parameters
	// only need to exist, not to be precise.
	c.ExposureSimulees, c.ExposureIterations, c.ExposureSeed = 200, 3, 7
	return c
}

// mustBank generates a preset bank or stops the test.
func mustBank(tb testing.TB, name string, seed uint64) []Item {
	tb.Helper()
	spec, err := BankPreset(name)
	if err != nil {
		tb.Fatal(err)
	}
	items, err := GenerateBank(spec, seed)
	if err != nil {
		tb.Fatal(err)
	}
	return items
}

// runTest answers a test for a person of ability theta with a seeded
// answer stream, and returns it.
func runTest(tb testing.TB, e *Engine, seed uint64, theta float64) *Test {
	tb.Helper()
	t, err := e.NewTest(TestOptions{Seed: seed})
	if err != nil {
		tb.Fatal(err)
	}
	resp := newRand(seed ^ 0xabcdef)
	for {
		i, ok := t.Next()
		if !ok {
			return t
		}
		it := e.Item(i)
		if err := t.Answer(i, resp.Float64() < Probability(it.A, it.B, theta)); err != nil {
			tb.Fatal(err)
		}
	}
}

func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol
}
