package community

import (
	"context"
	"fmt"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Moderator appointments, as the log names them.
const (
	ActAddModerator    = "add-moderator"
	ActRemoveModerator = "remove-moderator"
)

// SetModerator appoints (on) or removes a moderator, found by email, of an
// académie or département space; admins only, logged. The moderators of an
// académie's space approve the requests to join it. Module spaces are
// moderated by the module's owners and themes by their creator, so they
// are not set here.
func (s *Service) SetModerator(ctx context.Context, u *profile.User, spaceID, email string, on bool) error {
	sp, err := s.open(ctx, u, spaceID)
	if err != nil {
		return err
	}
	if !u.Has(profile.RoleAdmin) {
		return fmt.Errorf("community: moderators are appointed by admins: %w", errkind.ErrForbidden)
	}
	if sp.Kind != KindAcademie && sp.Kind != KindDepartement {
		return errkind.Invalid("space", "not_a_territory_space")
	}
	m, err := s.profile.FindUser(ctx, email)
	if errkind.IsNotFound(err) {
		return errkind.Invalid("email", "unknown_account")
	}
	if err != nil {
		return err
	}
	what := ActAddModerator
	if !on {
		what = ActRemoveModerator
	}
	if err := s.store.SetSpaceModerator(ctx, sp.ID, m.ID, on); err != nil {
		return err
	}
	s.forgetSpace(sp.ID)
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: what, Target: m.ID})
	return nil
}
