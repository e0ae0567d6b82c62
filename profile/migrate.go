package profile

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Migrate brings accounts stored by earlier versions up to date; it runs at
// every start and does nothing the second time:
//   - inspectors (and admins, who hold their rights) without a scope get
//     their own territory, without school, as their scope: what they saw
//     before scopes existed;
//   - accounts without a handle skeleton get one. Two existing handles may
//     share a skeleton: the first keeps it, the other is logged and left
//     without (its handle stays its own; nobody new can take a look-alike).
func (s *Service) Migrate(ctx context.Context) error {
	if err := s.migrateScopes(ctx); err != nil {
		return err
	}
	return s.migrateSkeletons(ctx)
}

func (s *Service) migrateScopes(ctx context.Context) error {
	cur, err := s.store.users.Find(ctx, bson.M{
		"roles": bson.M{"$in": bson.A{RoleInspector, RoleAdmin}}, "scope": bson.M{"$exists": false}, "deleted": bson.M{"$ne": true},
	}, options.Find().SetProjection(bson.M{"territory": 1}))
	if err != nil {
		return fmt.Errorf("profile: migrate scopes: %w", err)
	}
	var users []User
	if err := cur.All(ctx, &users); err != nil {
		return fmt.Errorf("profile: migrate scopes: %w", err)
	}
	for _, u := range users {
		scope := u.Territory.Scope()
		if scope.IsZero() {
			continue // nothing to carry over: the scope stays empty, which sees nothing
		}
		if _, err := s.store.users.UpdateOne(ctx, bson.M{"_id": u.ID, "scope": bson.M{"$exists": false}},
			bson.M{"$set": bson.M{"scope": scope}}); err != nil {
			return fmt.Errorf("profile: migrate scope of %s: %w", u.ID, err)
		}
		s.logger.Info("inspector scope set from territory", "user", u.ID, "scope", FormatScope(scope))
	}
	return nil
}

func (s *Service) migrateSkeletons(ctx context.Context) error {
	cur, err := s.store.users.Find(ctx, bson.M{"handleSkeleton": bson.M{"$exists": false}, "deleted": bson.M{"$ne": true}},
		options.Find().SetProjection(bson.M{"handle": 1}).SetSort(bson.D{{Key: "createdAt", Value: 1}}))
	if err != nil {
		return fmt.Errorf("profile: migrate skeletons: %w", err)
	}
	var users []User
	if err := cur.All(ctx, &users); err != nil {
		return fmt.Errorf("profile: migrate skeletons: %w", err)
	}
	for _, u := range users {
		if u.Handle == "" {
			continue
		}
		skel := handleSkeleton(u.Handle)
		// A duplicate from an update is not reported reliably on FerretDB:
		// look first (the older account wins, by the sort above).
		if other, err := s.store.UserByHandleSkeleton(ctx, skel); err == nil {
			s.logger.Warn("two handles look alike; the later keeps its handle without a skeleton",
				"user", u.ID, "handle", u.Handle, "like", other.Handle)
			continue
		}
		if _, err := s.store.users.UpdateOne(ctx, bson.M{"_id": u.ID}, bson.M{"$set": bson.M{"handleSkeleton": skel}}); err != nil {
			s.logger.Warn("handle skeleton not stored", "user", u.ID, "handle", u.Handle, "err", err)
		}
	}
	return nil
}
