package campaigns

import (
	"context"
	"time"
)

// ClaimCode exposes the code claim to this package's tests.
func (s *Store) ClaimCode(ctx context.Context, code, campaignID string) (bool, error) {
	return s.claimCode(ctx, code, campaignID)
}

// NewCode exposes code drawing to this package's tests.
func NewCode() string { return newCode() }

// SetFault makes Count fail after the steps fault says (a killed worker).
func (s *Service) SetFault(fault func(step string) error) { s.fault = fault }

// SetNow sets the service's clock.
func (s *Service) SetNow(now func() time.Time) { s.now = now }

// PutParticipation stores a participation as given (fixtures with known θ),
// in its person's member list, with its count marker.
func (s *Service) PutParticipation(ctx context.Context, p *Participation) error {
	p.Pending = addMarker(p.Pending)
	if err := s.store.saveParticipation(ctx, p); err != nil {
		return err
	}
	return s.store.addMember(ctx, p)
}

// Counters reads a campaign's counters as stored.
func (s *Service) Counters(ctx context.Context, id string) (*Counters, error) {
	return s.store.counters(ctx, id)
}
