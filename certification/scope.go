package certification

import (
	"context"
	"fmt"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// ScopeView is certification in an inspector's scope: the certificates
// issued to the teachers of the territory, and the sessions its centres
// held.
type ScopeView struct {
	Scope    profile.Territory
	Results  []ScopeResult
	Sessions []ScopeSession
}

// InScope returns certification in the actor's inspection scope: an
// inspector (or an admin) with a scope, else ErrForbidden. Two reads by
// _id of the documents the issuing task keeps per scope.
func (s *Service) InScope(ctx context.Context, actor *profile.User) (*ScopeView, error) {
	if actor == nil {
		return nil, errkind.ErrUnauthenticated
	}
	scope := actor.InspectionScope()
	key := scopeKey(scope)
	if key == "" {
		return nil, fmt.Errorf("certification: scope view: %w", errkind.ErrForbidden)
	}
	res, sess, err := s.store.scopeView(ctx, key)
	if err != nil {
		return nil, err
	}
	return &ScopeView{Scope: scope, Results: res, Sessions: sess}, nil
}
