package irt

import "fmt"

// Item is one question of the bank as the engine sees it: its calibrated
// 2PL parameters and the labels the constraints work on.
type Item struct {
	// ID identifies the item across content versions (the web app stores
	// answers by ID).
	ID string
	// A is the discrimination (> 0) and B the difficulty, in logits.
	A, B float64
	// Competence groups items for content balancing and per-competence
	// estimates. Items with an empty competence form one unnamed competence.
	Competence string
	// Tube groups near-duplicate items of one competence: with
	// Config.OnePerTube a test asks at most one item per tube. An empty tube
	// means the item is its own tube.
	Tube string
	// Locale restricts the item to tests in that locale; empty means any.
	Locale string
	// Accessible marks items usable with assistive technology; tests that
	// ask for accessibility only get these.
	Accessible bool
	// Retired items are never chosen, but still score the answers recorded
	// before they were retired, so old tests replay.
	Retired bool
}

// Validate reports whether the item's parameters are usable: a finite and
// positive, b finite, an ID present. Extreme but finite values are
// accepted: the tables clamp probabilities, so they cannot poison a test.
func (it Item) Validate() error {
	if it.ID == "" {
		return fmt.Errorf("irt: item without ID: %w", ErrInvalidInput)
	}
	if !finite(it.A) || it.A <= 0 {
		return fmt.Errorf("irt: item %q: discrimination %v (want finite > 0): %w", it.ID, it.A, ErrInvalidInput)
	}
	if !finite(it.B) {
		return fmt.Errorf("irt: item %q: difficulty %v (want finite): %w", it.ID, it.B, ErrInvalidInput)
	}
	return nil
}
