package profile

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Account states that no person's action produces here, but that accounts
// brought from elsewhere or stored by earlier releases are in: a creation
// date in the past, an address not verified, no space membership. Imports
// write them; tests start from them (an account old enough to be trusted,
// an enrolment from before the verified-address rule, the migrations).

// BackdateCreation sets the creation date of the live account id to at,
// as an import of an existing account keeps its date. The community's
// trust levels read it (a newcomer is an account less than a day old).
func (s *Store) BackdateCreation(ctx context.Context, id string, at time.Time) error {
	_, err := s.updateUser(ctx, live(id), bson.M{"$set": bson.M{"createdAt": at}})
	return err
}

// MarkEmailUnverified records that the live account id's address is not
// verified, as accounts from before address verification were stored; the
// person verifies it again through a new link.
func (s *Store) MarkEmailUnverified(ctx context.Context, id string) error {
	_, err := s.updateUser(ctx, live(id), bson.M{"$set": bson.M{"emailVerified": false}})
	return err
}

// StripSpaceMembership removes the space membership fields of account id,
// leaving it as releases before space membership stored it; the start-up
// migration (Service.InitSpaceMembership) gives it its territory's again.
func (s *Store) StripSpaceMembership(ctx context.Context, id string) error {
	_, err := s.updateUser(ctx, bson.M{"_id": id}, bson.M{"$unset": bson.M{"spaceAcademie": "", "spaceDepartement": ""}})
	return err
}
