package campaigns

import "context"

// ClaimCode exposes the code claim to this package's tests.
func (s *Store) ClaimCode(ctx context.Context, code, campaignID string) (bool, error) {
	return s.claimCode(ctx, code, campaignID)
}

// NewCode exposes code drawing to this package's tests.
func NewCode() string { return newCode() }
