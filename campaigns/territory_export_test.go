package campaigns

import (
	"context"

	"ardoise/assessments"
)

// CountCrashing runs CountTest and makes the process die right after the
// nth write of step ("person", "row" or "stale"), as a killed worker
// would; it reports whether it died there.
func (s *Territories) CountCrashing(ctx context.Context, t *assessments.Test, step string, nth int) (bool, error) {
	seen := 0
	err := s.count(ctx, t, func(got string) bool {
		if got == step {
			seen++
			return seen == nth
		}
		return false
	})
	if err == errCrash {
		return true, nil
	}
	return false, err
}

// Store exposes the territories' store to this package's tests.
func (s *Territories) Store() *TerritoryStore { return s.store }
