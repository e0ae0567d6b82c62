package campaigns

import "context"

// ExportFor returns a person's participations for their RGPD export.
func (s *Service) ExportFor(ctx context.Context, userID string) ([]Participation, error) {
	return s.store.participationsByUser(ctx, userID)
}

// DeleteFor is the campaigns' part of an account's erasure. A
// participation loses its person: its user and name are cleared, and a
// shared one's entry in the organiser's table shows an erased account. Its
// levels stay in the campaign's counts, which hold no person, so the
// counts and the rebuild stay equal; the person's list of participations
// is deleted, so no later "après" share pairs with theirs.
func (s *Service) DeleteFor(ctx context.Context, userID string) error {
	ps, err := s.store.participationsByUser(ctx, userID)
	if err != nil {
		return err
	}
	for i := range ps {
		if err := s.erase(ctx, ps[i].ID); err != nil {
			return err
		}
	}
	return s.store.deleteMembersOf(ctx, ps, userID)
}

// erase clears a participation's person, then its shared entry.
func (s *Service) erase(ctx context.Context, id string) error {
	release, err := s.store.lockParticipation(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	p, err := s.store.participation(ctx, id)
	if err != nil || p == nil {
		return err
	}
	p.UserID, p.Name, p.Erased = "", "", true
	if err := s.store.saveParticipation(ctx, p); err != nil {
		return err
	}
	if !p.Shared() {
		return nil
	}
	releaseC, err := s.store.lockCounters(ctx, p.CampaignID)
	if err != nil {
		return err
	}
	defer releaseC()
	return s.store.eraseShared(ctx, p.CampaignID, p.ID)
}
