package profile

import (
	"context"
	"fmt"
	"time"

	"ardoise/internal/errkind"
)

// SpaceMembership is the part of the territory the communities' members-only
// académie and département spaces admit a person to. It starts as the
// territory declared at registration and follows a profile edit within the
// same académie at once; a move to another académie is only a request
// (SpaceRequest) until an admin or a moderator of the new académie's space
// approves it, and until then the person keeps the old access. A declared
// territory is the person's own word; this is what others agreed to.
type SpaceMembership struct {
	SpaceAcademie    string `bson:"spaceAcademie" json:"spaceAcademie"`
	SpaceDepartement string `bson:"spaceDepartement" json:"spaceDepartement"`
	// SpaceRequest is the académie the person moved to and asks to join,
	// since SpaceRequestAt; empty when nothing waits.
	SpaceRequest   string    `bson:"spaceRequest,omitempty" json:"spaceRequest,omitempty"`
	SpaceRequestAt time.Time `bson:"spaceRequestAt,omitempty" json:"spaceRequestAt,omitzero"`
}

// admitted is the membership of a new account: its declared territory.
func admitted(t Territory) SpaceMembership {
	return SpaceMembership{SpaceAcademie: t.Academie, SpaceDepartement: t.Departement}
}

// moveSpaces is what a new territory does to the person's space
// membership: within the same académie (or a first académie, or none) it
// applies at once; another académie becomes a request, made again only
// when the académie asked changes.
func moveSpaces(u *User, terr Territory) spaceMove {
	switch {
	case terr.Academie == u.SpaceAcademie || u.SpaceAcademie == "" || terr.Academie == "":
		// Moving within the académie, declaring a first one, or leaving
		// every académie (losing access needs nobody's approval).
		return spaceMove{Admit: true}
	case terr.Academie != u.SpaceRequest:
		return spaceMove{Request: terr.Academie}
	}
	return spaceMove{}
}

// SpaceRequests lists the people who moved to an académie and wait to be
// admitted to its spaces, oldest request first.
func (s *Service) SpaceRequests(ctx context.Context, academie string) ([]User, error) {
	return s.store.spaceRequests(ctx, academie)
}

// ResolveSpaceRequest approves or refuses a person's request to join the
// spaces of academie; the communities call it once they checked that the
// caller moderates that académie's space. An approval admits the person to
// the académie and département of their territory (read in the same
// filter, so a territory edited meanwhile is a conflict); a refusal keeps
// their old access. A request that is not (or no longer) there is not found.
func (s *Service) ResolveSpaceRequest(ctx context.Context, userID, academie string, approve bool) (*User, error) {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.SpaceRequest != academie || academie == "" {
		return nil, fmt.Errorf("profile: no request of %s to join %s: %w", userID, academie, errkind.ErrNotFound)
	}
	nu, err := s.store.resolveSpaceRequest(ctx, u, academie, approve)
	if errkind.IsNotFound(err) {
		return nil, fmt.Errorf("profile: request of %s changed meanwhile: %w", userID, errkind.ErrConflict)
	}
	s.cache.Forget(u.ID)
	return nu, err
}

// ForgetSpaceMembership erases a person's space membership and request,
// with their account.
func (s *Service) ForgetSpaceMembership(ctx context.Context, userID string) error {
	err := s.store.forgetSpaceMembership(ctx, userID)
	s.cache.Forget(userID)
	return err
}

// InitSpaceMembership gives every account stored before space membership
// existed the membership of its territory, so that nobody loses access.
// It runs at every start and changes only accounts without one: running it
// again changes nothing. It returns how many accounts it set.
func (s *Service) InitSpaceMembership(ctx context.Context) (int, error) {
	n := 0
	err := s.store.eachWithoutSpaceMembership(ctx, func(u User) error {
		changed, err := s.store.setSpaceMembershipIfNone(ctx, u.ID, admitted(u.Territory))
		if err != nil {
			return err
		}
		if changed {
			n++
		}
		s.cache.Forget(u.ID)
		return nil
	})
	return n, err
}

// Users returns the accounts with these ids that exist, in no set order:
// the communities check, when they deliver a notification, that each
// recipient still sees the space.
func (s *Service) Users(ctx context.Context, ids []string) ([]User, error) {
	return s.store.usersByID(ctx, ids)
}
