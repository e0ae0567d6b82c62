package profile

import "context"

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
	users, err := s.store.staffWithoutScope(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		scope := u.Territory.Scope()
		if scope.IsZero() {
			continue // nothing to carry over: the scope stays empty, which sees nothing
		}
		if err := s.store.setScopeIfNone(ctx, u.ID, scope); err != nil {
			return err
		}
		s.logger.Info("inspector scope set from territory", "user", u.ID, "scope", FormatScope(scope))
	}
	return nil
}

func (s *Service) migrateSkeletons(ctx context.Context) error {
	users, err := s.store.usersWithoutSkeleton(ctx)
	if err != nil {
		return err
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
		if err := s.store.setHandleSkeleton(ctx, u.ID, skel); err != nil {
			s.logger.Warn("handle skeleton not stored", "user", u.ID, "handle", u.Handle, "err", err)
		}
	}
	return nil
}
