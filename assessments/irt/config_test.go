package irt

import (
	"errors"
	"math"
	"testing"
)

func TestPresetsAreValid(t *testing.T) {
	for _, name := range PresetNames() {
		c, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Preset("C9"); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unknown preset: err = %v", err)
	}
}

func TestConfigRejectsOddValues(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
	}{
		{"NaN prior", func(c *Config) { c.PriorMean = math.NaN() }},
		{"zero prior SD", func(c *Config) { c.PriorSD = 0 }},
		{"inf start", func(c *Config) { c.Start = math.Inf(1) }},
		{"grid of one point", func(c *Config) { c.Grid.Points = 1 }},
		{"grid reversed", func(c *Config) { c.Grid.Min, c.Grid.Max = 1, -1 }},
		{"top-k zero", func(c *Config) { c.TopK = 0 }},
		{"weights of wrong length", func(c *Config) { c.TopKWeights = []float64{1} }},
		{"NaN weight", func(c *Config) { c.TopKWeights = []float64{1, 1, math.NaN(), 1, 1} }},
		{"zero weights", func(c *Config) { c.TopKWeights = make([]float64, 5) }},
		{"cap above 1", func(c *Config) { c.ExposureCap = 1.5 }},
		{"exposure parameter NaN", func(c *Config) { c.ExposureParams = map[string]float64{"x": math.NaN()} }},
		{"min above max", func(c *Config) { c.MinLength = 40 }},
		{"negative SE target", func(c *Config) { c.SETarget = -1 }},
		{"rho above 1", func(c *Config) { c.Rho = 1.2 }},
		{"NaN rho", func(c *Config) { c.Rho = math.NaN() }},
		{"tie-break", func(c *Config) { c.TieBreak = 9 }},
	}
	for _, tc := range tests {
		c, _ := Preset("C2")
		tc.change(&c)
		if err := c.Validate(); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestBankRejectsOddItems(t *testing.T) {
	cfg, _ := Preset("C1")
	tests := []struct {
		name  string
		items []Item
	}{
		{"empty", nil},
		{"no ID", []Item{{A: 1}}},
		{"duplicate ID", []Item{{ID: "a", A: 1}, {ID: "a", A: 1}}},
		{"NaN a", []Item{{ID: "a", A: math.NaN()}}},
		{"zero a", []Item{{ID: "a", A: 0}}},
		{"inf b", []Item{{ID: "a", A: 1, B: math.Inf(-1)}}},
	}
	for _, tc := range tests {
		if _, err := NewEngine(tc.items, cfg); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestExposureParamsForUnknownItem(t *testing.T) {
	cfg, _ := Preset("C2")
	cfg.ExposureParams = map[string]float64{"ghost": 0.5}
	if _, err := NewEngine([]Item{{ID: "a", A: 1}}, cfg); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("err = %v", err)
	}
}
