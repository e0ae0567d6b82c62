package community

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
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
	change, what := bson.M{"$addToSet": bson.M{"moderators": m.ID}}, ActAddModerator
	if !on {
		change, what = bson.M{"$pull": bson.M{"moderators": m.ID}}, ActRemoveModerator
	}
	if _, err := s.updateOne(ctx, s.spaces, sp.ID, bson.M{"_id": sp.ID}, change); err != nil {
		return database.Wrap(err, "community: moderators")
	}
	s.forgetSpace(sp.ID)
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: what, Target: m.ID})
	return nil
}
