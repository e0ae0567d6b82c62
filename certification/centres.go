package certification

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Limits of a centre.
const (
	maxTextRunes = 120 // a centre's name, a session's place, room, invigilator
	maxReferents = 20
)

// CentreInput is what an admin sends to create a centre: its name, its
// territory (académie required) and its référents' e-mail addresses.
type CentreInput struct {
	Name      string            `json:"name"`
	Territory profile.Territory `json:"territory"`
	Referents []string          `json:"referents"`
}

// CreateCentre creates a centre (admins only) and puts it on the desk of
// each of its référents, who must all have an account.
func (s *Service) CreateCentre(ctx context.Context, actor *profile.User, in CentreInput) (*Centre, error) {
	if actor == nil {
		return nil, fmt.Errorf("certification: create centre: %w", errkind.ErrUnauthenticated)
	}
	if !actor.Has(profile.RoleAdmin) {
		return nil, fmt.Errorf("certification: create centre: %w", errkind.ErrForbidden)
	}
	v := &errkind.ValidationError{}
	c := &Centre{ID: newID(), CreatedBy: actor.ID, CreatedAt: s.now()}
	c.Name = profile.CleanText(v, "name", in.Name, true, maxTextRunes)
	c.Territory = profile.NormalizeTerritory(v, "territory.", in.Territory)
	if c.Territory.Academie == "" && !v.Has("territory.academie") {
		v.Add("territory.academie", "required")
	}
	referents, err := s.referents(ctx, v, in.Referents)
	if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.Referents = referents
	if err := s.store.insertCentre(ctx, c); err != nil {
		return nil, err
	}
	if err := s.store.addToDesks(ctx, append([]string{centresIndex}, c.Referents...), "centres", c.ID); err != nil {
		return nil, err
	}
	return c, nil
}

// centresIndex is the desk that lists every centre: no account has this
// id, and the admins' list reads it by _id like any desk.
const centresIndex = "_centres"

// Centres returns every centre, newest first (admins only).
func (s *Service) Centres(ctx context.Context, actor *profile.User) ([]Centre, error) {
	if actor == nil {
		return nil, fmt.Errorf("certification: centres: %w", errkind.ErrUnauthenticated)
	}
	if !actor.Has(profile.RoleAdmin) {
		return nil, fmt.Errorf("certification: centres: %w", errkind.ErrForbidden)
	}
	d, err := s.store.desk(ctx, centresIndex)
	if err != nil {
		return nil, err
	}
	list, err := s.store.centresByID(ctx, d.Centres)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(list, func(a, b Centre) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return list, nil
}

// referents finds the account of each address, once each; a missing list
// or an address without a live account is a field error under "referents".
func (s *Service) referents(ctx context.Context, v *errkind.ValidationError, emails []string) ([]string, error) {
	switch {
	case len(emails) == 0:
		v.Add("referents", "required")
		return nil, nil
	case len(emails) > maxReferents:
		v.Add("referents", "too_many_referents")
		return nil, nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, e := range emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" || len(e) > 254 {
			v.Add("referents", "unknown_referent")
			return nil, nil
		}
		u, err := s.profile.FindUser(ctx, e)
		if errors.Is(err, errkind.ErrNotFound) || err == nil && u.Deleted {
			v.Add("referents", "unknown_referent")
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if !seen[u.ID] {
			seen[u.ID] = true
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}

// Centre returns a centre by id (errkind.ErrNotFound when there is none).
func (s *Service) Centre(ctx context.Context, id string) (*Centre, error) {
	return s.store.centre(ctx, id)
}
