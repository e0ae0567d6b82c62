package campaigns

import (
	"context"
	"fmt"

	"ardoise/internal/errkind"
)

// ImportCampaign stores a campaign exactly as given, dates included, as a
// restore or a fixture needs (a campaign that closed last month cannot be
// created today): its code is claimed first, so it stays unique. It does
// not validate the campaign.
func (s *Store) ImportCampaign(ctx context.Context, c *Campaign) error {
	won, err := s.claimCode(ctx, c.Code, c.ID)
	if err != nil {
		return err
	}
	if !won {
		return fmt.Errorf("campaigns: import %s: code %s taken: %w", c.ID, c.Code, errkind.ErrConflict)
	}
	return s.insert(ctx, c)
}
