package profile

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Account writes that carry data stored by earlier versions forward, clear
// a sent mail's marker, or read accounts in bulk.

// clearPending removes marker from the pending markers of account id,
// with its family's name when no other marker of the family is left, and
// pendingAt when nothing is left (the sweeper then never visits it).
func (s *Store) clearPending(ctx context.Context, id, marker string) error {
	release, err := s.lockUser(ctx, bson.M{"_id": id})
	if err != nil {
		return err
	}
	defer release()
	var u struct {
		Pending []string `bson:"pending"`
	}
	if err := s.users.FindOne(ctx, bson.M{"_id": id}, options.FindOne().SetProjection(bson.M{"pending": 1})).Decode(&u); err != nil {
		return database.Wrap(err, "profile: pending markers")
	}
	drop := bson.A{marker}
	left := slices.DeleteFunc(slices.Clone(u.Pending), func(p string) bool { return p == marker })
	if i := strings.IndexByte(marker, ':'); i >= 0 {
		family := marker[:i+1]
		if !slices.ContainsFunc(left, func(p string) bool { return p != family && strings.HasPrefix(p, family) }) {
			drop = append(drop, family)
			left = slices.DeleteFunc(left, func(p string) bool { return p == family })
		}
	}
	update := bson.M{"$pullAll": bson.M{"pending": drop}}
	if len(left) == 0 {
		update["$unset"] = bson.M{"pendingAt": ""}
	}
	_, err = s.users.UpdateOne(ctx, bson.M{"_id": id}, update)
	return err
}

// staffWithoutScope lists the inspectors and admins without a scope (ids
// and territories only).
func (s *Store) staffWithoutScope(ctx context.Context) ([]User, error) {
	cur, err := s.users.Find(ctx, bson.M{
		"roles": bson.M{"$in": bson.A{RoleInspector, RoleAdmin}}, "scope": bson.M{"$exists": false}, "deleted": bson.M{"$ne": true},
	}, options.Find().SetProjection(bson.M{"territory": 1}))
	if err != nil {
		return nil, fmt.Errorf("profile: migrate scopes: %w", err)
	}
	var users []User
	if err := cur.All(ctx, &users); err != nil {
		return nil, fmt.Errorf("profile: migrate scopes: %w", err)
	}
	return users, nil
}

// setScopeIfNone gives account id this scope unless it has one.
func (s *Store) setScopeIfNone(ctx context.Context, id string, scope Territory) error {
	if _, err := s.users.UpdateOne(ctx, bson.M{"_id": id, "scope": bson.M{"$exists": false}},
		bson.M{"$set": bson.M{"scope": scope}}); err != nil {
		return fmt.Errorf("profile: migrate scope of %s: %w", id, err)
	}
	return nil
}

// usersWithoutSkeleton lists the live accounts without a handle skeleton
// (ids and handles only), oldest first.
func (s *Store) usersWithoutSkeleton(ctx context.Context) ([]User, error) {
	cur, err := s.users.Find(ctx, bson.M{"handleSkeleton": bson.M{"$exists": false}, "deleted": bson.M{"$ne": true}},
		options.Find().SetProjection(bson.M{"handle": 1}).SetSort(bson.D{{Key: "createdAt", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("profile: migrate skeletons: %w", err)
	}
	var users []User
	if err := cur.All(ctx, &users); err != nil {
		return nil, fmt.Errorf("profile: migrate skeletons: %w", err)
	}
	return users, nil
}

// setHandleSkeleton stores the skeleton of account id's handle.
func (s *Store) setHandleSkeleton(ctx context.Context, id, skeleton string) error {
	_, err := s.users.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"handleSkeleton": skeleton}})
	return err
}

// spaceRequests lists the live accounts that ask to join academie's
// spaces, oldest request first, at most 500.
func (s *Store) spaceRequests(ctx context.Context, academie string) ([]User, error) {
	return database.FindAll[User](ctx, "profile: space requests", s.users, bson.M{"spaceRequest": academie, "deleted": bson.M{"$ne": true}},
		options.Find().SetSort(bson.D{{Key: "spaceRequestAt", Value: 1}}).SetLimit(500))
}

// forgetSpaceMembership empties account id's space membership and request.
func (s *Store) forgetSpaceMembership(ctx context.Context, id string) error {
	_, err := s.users.UpdateOne(ctx, bson.M{"_id": id}, bson.M{
		"$set":   bson.M{"spaceAcademie": "", "spaceDepartement": ""},
		"$unset": bson.M{"spaceRequest": "", "spaceRequestAt": ""}})
	if err != nil {
		return database.Wrap(err, "profile: forget space membership")
	}
	return nil
}

// eachWithoutSpaceMembership calls fn with every account (id and
// territory only) that has no space membership yet, stopping at fn's
// first error.
func (s *Store) eachWithoutSpaceMembership(ctx context.Context, fn func(User) error) error {
	cur, err := s.users.Find(ctx, bson.M{"spaceAcademie": bson.M{"$exists": false}}, options.Find().SetProjection(bson.M{"territory": 1}))
	if err != nil {
		return database.Wrap(err, "profile: accounts without space membership")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var u User
		if err := cur.Decode(&u); err != nil {
			return database.Wrap(err, "profile: accounts without space membership")
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return database.Wrap(err, "profile: accounts without space membership")
	}
	return nil
}

// setSpaceMembershipIfNone gives account id membership m unless it has
// one, and reports whether it changed the account.
func (s *Store) setSpaceMembershipIfNone(ctx context.Context, id string, m SpaceMembership) (bool, error) {
	res, err := s.users.UpdateOne(ctx, bson.M{"_id": id, "spaceAcademie": bson.M{"$exists": false}},
		bson.M{"$set": bson.M{"spaceAcademie": m.SpaceAcademie, "spaceDepartement": m.SpaceDepartement}})
	if err != nil {
		return false, database.Wrap(err, "profile: init space membership")
	}
	return res.ModifiedCount > 0, nil
}

// usersByID returns the accounts with these ids that exist, in no set
// order, reading 500 ids at a time.
func (s *Store) usersByID(ctx context.Context, ids []string) ([]User, error) {
	out := []User{}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		us, err := database.FindAll[User](ctx, "profile: users", s.users, bson.M{"_id": bson.M{"$in": batch}})
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
	}
	return out, nil
}
