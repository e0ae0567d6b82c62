package certification

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"ardoise/internal/clock"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Session numbers are six digits.
const (
	minNumber    = 100000
	maxNumber    = 999999
	numberClaims = 20 // draws before giving up (a nearly full number space)
)

// SessionInput is what a référent sends to create a session: the centre,
// the kind ("crcn"), the date (YYYY-MM-DD) and start time (HH:MM) in Paris
// time, the place, the room and the invigilator's name.
type SessionInput struct {
	Centre      string `json:"centre"`
	Kind        string `json:"kind"`
	Date        string `json:"date"`
	Time        string `json:"time"`
	Place       string `json:"place"`
	Room        string `json:"room"`
	Invigilator string `json:"invigilator"`
}

// CreateSession creates a session of a centre the actor is a référent of,
// with a fresh number, access code and invigilator password, and puts it on
// the desk of each of the centre's référents.
func (s *Service) CreateSession(ctx context.Context, actor *profile.User, in SessionInput) (*Session, error) {
	if err := s.requireDesk(ctx, actor); err != nil {
		return nil, err
	}
	centre, err := s.store.centre(ctx, strings.TrimSpace(in.Centre))
	if err != nil {
		return nil, err
	}
	if !slices.Contains(centre.Referents, actor.ID) {
		return nil, fmt.Errorf("certification: not a référent of centre %s: %w", centre.ID, errkind.ErrForbidden)
	}
	x, err := s.checkSession(in)
	if err != nil {
		return nil, err
	}
	x.ID, x.CentreID, x.CreatedBy, x.CreatedAt = newID(), centre.ID, actor.ID, s.now()
	x.AccessCode, x.InvigilatorPassword = NewAccessCode(), NewInvigilatorPassword()
	x.Status = StatusCreated
	x.Candidates, x.Alerts = []Candidate{}, []Alert{}
	if x.Number, err = s.claimNumber(ctx, x.ID); err != nil {
		return nil, err
	}
	if err := s.store.insertSession(ctx, x); err != nil {
		return nil, err
	}
	if err := s.store.addToDesks(ctx, centre.Referents, "sessions", x.ID); err != nil {
		return nil, err
	}
	return x, nil
}

// checkSession validates a session's fields and returns the session they
// make (without ids, codes or number).
func (s *Service) checkSession(in SessionInput) (*Session, error) {
	v := &errkind.ValidationError{}
	x := &Session{Kind: strings.ToLower(strings.TrimSpace(in.Kind))}
	switch {
	case x.Kind == "":
		v.Add("kind", "required")
	case x.Kind != KindCRCN:
		v.Add("kind", "unknown_certification")
	}
	x.Date = strings.TrimSpace(in.Date)
	today := s.now().In(clock.Paris()).Format(time.DateOnly)
	if d, err := time.ParseInLocation(time.DateOnly, x.Date, clock.Paris()); x.Date == "" {
		v.Add("date", "required")
	} else if err != nil || d.Format(time.DateOnly) != x.Date {
		v.Add("date", "bad_iso_date")
	} else if x.Date < today {
		v.Add("date", "session_in_past")
	}
	x.Time = strings.TrimSpace(in.Time)
	if t, err := time.Parse("15:04", x.Time); x.Time == "" {
		v.Add("time", "required")
	} else if err != nil || t.Format("15:04") != x.Time {
		v.Add("time", "bad_clock_time")
	}
	x.Place = profile.CleanText(v, "place", in.Place, true, maxTextRunes)
	x.Room = profile.CleanText(v, "room", in.Room, true, maxTextRunes)
	x.Invigilator = profile.CleanText(v, "invigilator", in.Invigilator, true, maxTextRunes)
	return x, v.Err()
}

// claimNumber draws six-digit numbers from crypto/rand until one is free,
// and claims it for session id.
func (s *Service) claimNumber(ctx context.Context, id string) (int, error) {
	for range numberClaims {
		n, err := rand.Int(rand.Reader, big.NewInt(maxNumber-minNumber+1))
		if err != nil {
			return 0, fmt.Errorf("certification: draw a session number: %w", err)
		}
		number := minNumber + int(n.Int64())
		ok, err := s.store.claimNumber(ctx, number, id)
		if err != nil {
			return 0, err
		}
		if ok {
			return number, nil
		}
	}
	return 0, fmt.Errorf("certification: no free session number after %d draws: %w", numberClaims, errkind.ErrUnavailable)
}

// requireDesk refuses an account that is a référent of no centre: the
// setting-up routes are theirs only.
func (s *Service) requireDesk(ctx context.Context, actor *profile.User) error {
	if actor == nil {
		return fmt.Errorf("certification: %w", errkind.ErrUnauthenticated)
	}
	d, err := s.store.desk(ctx, actor.ID)
	if err != nil {
		return err
	}
	if len(d.Centres) == 0 {
		return fmt.Errorf("certification: %s is a référent of no centre: %w", actor.ID, errkind.ErrForbidden)
	}
	return nil
}

// referentSession returns session id when actor is a référent of its
// centre: a référent of no centre is forbidden, a session of another
// centre does not exist for them (errkind.ErrNotFound).
func (s *Service) referentSession(ctx context.Context, actor *profile.User, id string) (*Session, *Centre, error) {
	if err := s.requireDesk(ctx, actor); err != nil {
		return nil, nil, err
	}
	return s.readableSession(ctx, actor, id)
}

// readableSession returns session id and its centre when actor is one of
// the centre's référents, else errkind.ErrNotFound.
func (s *Service) readableSession(ctx context.Context, actor *profile.User, id string) (*Session, *Centre, error) {
	x, err := s.store.session(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.centre(ctx, x.CentreID)
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(c.Referents, actor.ID) {
		return nil, nil, fmt.Errorf("certification: session %s of another centre: %w", id, errkind.ErrNotFound)
	}
	return x, c, nil
}

// SessionFor returns a session to a référent of its centre or to an admin,
// with its codes and candidates.
func (s *Service) SessionFor(ctx context.Context, actor *profile.User, id string) (*Session, error) {
	if actor == nil {
		return nil, fmt.Errorf("certification: %w", errkind.ErrUnauthenticated)
	}
	if actor.Has(profile.RoleAdmin) {
		return s.store.session(ctx, id)
	}
	x, _, err := s.referentSession(ctx, actor, id)
	return x, err
}

// DeskView is a référent's certification desk: their centres and the
// sessions of those centres, newest first.
type DeskView struct {
	Centres  []Centre
	Sessions []Session
}

// Desk returns the actor's centres and sessions (empty for an account that
// is a référent of no centre).
func (s *Service) Desk(ctx context.Context, actor *profile.User) (*DeskView, error) {
	if actor == nil {
		return nil, fmt.Errorf("certification: %w", errkind.ErrUnauthenticated)
	}
	d, err := s.store.desk(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	out := &DeskView{Centres: []Centre{}, Sessions: []Session{}}
	if out.Centres, err = s.store.centresByID(ctx, d.Centres); err != nil {
		return nil, err
	}
	if out.Sessions, err = s.store.sessionsByID(ctx, d.Sessions); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out.Sessions, func(a, b Session) int {
		return strings.Compare(b.Date+b.Time, a.Date+a.Time)
	})
	return out, nil
}
