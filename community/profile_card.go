package community

import (
	"context"

	"ardoise/profile"
)

// Card is a person's public card in the communities: what others may see
// of them, and nothing more (the territory down to the département).
type Card struct {
	DisplayName string `json:"displayName"`
	Handle      string `json:"handle"`
	Role        string `json:"role"`
	Departement string `json:"departement,omitempty"`
	Posts       int    `json:"posts"`
	Accepted    int    `json:"acceptedAnswers"`
	Badges      int    `json:"attestations"`
}

// CardOf returns the public card of the person with this handle; badges
// counts their valid attestations.
func (s *Service) CardOf(ctx context.Context, handle string, badges func(userID string) int) (*Card, error) {
	u, err := s.profile.UserByHandle(ctx, handle)
	if err != nil {
		return nil, err
	}
	if u.Deleted {
		return &Card{DisplayName: profile.DeletedName, Handle: u.Handle}, nil
	}
	m, err := s.Member(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &Card{DisplayName: u.Shown(), Handle: u.Handle, Role: string(u.MainRole()), Departement: u.Territory.Departement,
		Posts: m.Posts, Accepted: m.Accepted, Badges: badges(u.ID)}, nil
}

// ThreadsBy lists the threads a person started, newest first.
func (s *Service) ThreadsBy(ctx context.Context, userID string) ([]Thread, error) {
	return s.store.ThreadsBy(ctx, userID)
}

// SubscriptionsOf lists what a person follows, newest first.
func (s *Service) SubscriptionsOf(ctx context.Context, userID string) ([]Subscription, error) {
	return s.store.SubscriptionsOf(ctx, userID)
}
