package campaigns

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ardoise/assessments"
	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
	"ardoise/internal/queue"
	"ardoise/profile"
)

// Campaign limits.
const (
	// DefaultDuration is how long a campaign stays open when no closing
	// date is given.
	DefaultDuration = 60 * 24 * time.Hour
	// MaxDuration bounds a campaign's opening: a school year and a bit.
	MaxDuration = 400 * 24 * time.Hour
	// codeDraws is how many codes are drawn before giving up (a collision
	// among 25⁸ codes is already rare).
	codeDraws = 5
)

// Service creates campaigns and reads them for their organisers.
type Service struct {
	store       *Store
	assessments *assessments.Service
	courses     *courses.Service
	outbox      *queue.Outbox
	logger      *slog.Logger
	now         func() time.Time
	// fault, set by tests only, fails a count after a named step, as a
	// worker killed there would.
	fault func(step string) error
}

// Deps are what the service needs.
type Deps struct {
	Store       *Store
	Assessments *assessments.Service
	Courses     *courses.Service
	// Outbox enqueues the counting of participations.
	Outbox *queue.Outbox
	Logger *slog.Logger
}

// NewService returns the campaigns service.
func NewService(d Deps) *Service {
	return &Service{store: d.Store, assessments: d.Assessments, courses: d.Courses, outbox: d.Outbox, logger: d.Logger,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}

// NewCampaign is what an organiser sends to create a campaign. Targets maps
// competence ids to target levels; empty for the whole framework. Zero
// dates mean now and DefaultDuration later.
type NewCampaign struct {
	Title         string
	Framework     string
	Targets       map[string]int
	OpensAt       time.Time
	ClosesAt      time.Time
	Module        string
	Session       string
	OpenToParents bool
	// Before names the "avant" campaign this one follows (optional).
	Before string
}

// Create makes a campaign for an inspector (in their scope) or a trainer
// (for a session or a module's cohort, possibly open to parents), with a
// fresh code. Who may act is checked before what they sent.
func (s *Service) Create(ctx context.Context, u *profile.User, in NewCampaign) (*Campaign, error) {
	role, err := organiserRole(u, in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &Campaign{ID: keyring.RandomToken(9), Title: strings.TrimSpace(in.Title), Framework: in.Framework,
		Targets: []Target{}, OpensAt: in.OpensAt.UTC(), ClosesAt: in.ClosesAt.UTC(), Module: strings.TrimSpace(in.Module),
		Session: strings.TrimSpace(in.Session), Before: strings.TrimSpace(in.Before), OpenToParents: in.OpenToParents, OrganiserID: u.ID, OrganiserRole: string(role), CreatedAt: now}
	if c.OpensAt.IsZero() {
		c.OpensAt = now
	}
	if c.ClosesAt.IsZero() {
		c.ClosesAt = c.OpensAt.Add(DefaultDuration)
	}
	if err := s.validate(ctx, u, c, in.Targets); err != nil {
		return nil, err
	}
	for range codeDraws {
		c.Code = newCode()
		won, err := s.store.claimCode(ctx, c.Code, c.ID)
		if err != nil {
			return nil, err
		}
		if won {
			if err := s.store.insert(ctx, c); err != nil {
				return nil, err
			}
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w: %w", errNoCode, errkind.ErrUnavailable)
}

// organiserRole says as whom u creates the campaign: a trainer for a
// campaign tied to a session or open to parents, else an inspector (with a
// scope) when u is one, else a trainer.
func organiserRole(u *profile.User, in NewCampaign) (profile.Role, error) {
	trainerOnly := in.Session != "" || in.OpenToParents
	switch {
	case u.Has(profile.RoleInspector) && !trainerOnly:
		if u.InspectionScope().IsZero() {
			return "", &errkind.DeniedError{Code: "no_scope"}
		}
		return profile.RoleInspector, nil
	case u.Has(profile.RoleTrainer):
		return profile.RoleTrainer, nil
	case u.Has(profile.RoleInspector):
		// An inspector's campaign is never open to parents, nor a session's.
		if in.OpenToParents {
			return "", errkind.Invalid("openToParents", "parents_inspector")
		}
		return "", errkind.Invalid("session", "session_trainer")
	}
	return "", fmt.Errorf("campaigns: create: %w", errkind.ErrForbidden)
}

// validate checks what the organiser sent and fills the targets.
func (s *Service) validate(ctx context.Context, u *profile.User, c *Campaign, targets map[string]int) error {
	var v errkind.ValidationError
	if n := utf8.RuneCountInString(c.Title); n < 5 || n > 150 {
		v.Add("title", "title_length")
	}
	f, ok := s.assessments.Bank().Framework(c.Framework)
	if !ok {
		v.Add("framework", "unknown_framework")
	} else {
		for comp, level := range targets {
			if _, ok := f.Competence(comp); !ok {
				v.Add("targets", "unknown_competence")
				break
			}
			if level < 1 || level > 8 {
				v.Add("targets", "target_level")
				break
			}
			c.Targets = append(c.Targets, Target{Competence: comp, Level: level})
		}
		slices.SortFunc(c.Targets, func(a, b Target) int { return strings.Compare(a.Competence, b.Competence) })
	}
	switch {
	case !c.ClosesAt.After(c.OpensAt):
		v.Add("closesAt", "closes_before_opens")
	case c.ClosesAt.Sub(c.OpensAt) > MaxDuration:
		v.Add("closesAt", "campaign_too_long")
	case c.ClosesAt.Before(s.now()):
		v.Add("closesAt", "closes_in_past")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if c.Module != "" {
		if m, err := s.courses.PublishedModule(ctx, c.Module); err != nil || m == nil {
			if err != nil && !errkind.IsNotFound(err) {
				return err
			}
			return errkind.Invalid("module", "unknown_module")
		}
	}
	if c.Before != "" {
		if err := s.checkBefore(ctx, u, c); err != nil {
			return err
		}
	}
	if c.Session != "" {
		if _, err := s.courses.Session(ctx, u, c.Session); err != nil {
			if errkind.IsNotFound(err) {
				return errkind.Invalid("session", "unknown_session")
			}
			return err
		}
	}
	return nil
}

// checkBefore checks that an "après" campaign follows an "avant" one of
// the same organiser, on the same framework and target profile, opening
// no earlier.
func (s *Service) checkBefore(ctx context.Context, u *profile.User, c *Campaign) error {
	pre, err := s.store.campaign(ctx, c.Before)
	if err != nil {
		return err
	}
	switch {
	case pre == nil || pre.OrganiserID != u.ID:
		return errkind.Invalid("before", "unknown_campaign")
	case pre.Framework != c.Framework || !slices.Equal(pre.Targets, c.Targets):
		return errkind.Invalid("before", "before_other_profile")
	case c.OpensAt.Before(pre.OpensAt):
		return errkind.Invalid("opensAt", "opens_before_pre")
	}
	return nil
}

// List returns the campaigns u organises, newest first.
func (s *Service) List(ctx context.Context, u *profile.User) ([]Campaign, error) {
	if !u.Has(profile.RoleInspector) && !u.Has(profile.RoleTrainer) {
		return nil, fmt.Errorf("campaigns: list: %w", errkind.ErrForbidden)
	}
	return s.store.listOf(ctx, u.ID)
}

// Get returns a campaign its organiser may see; anyone else gets
// ErrNotFound, as for a campaign that does not exist.
func (s *Service) Get(ctx context.Context, u *profile.User, id string) (*Campaign, error) {
	c, err := s.store.campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if c == nil || c.OrganiserID != u.ID {
		return nil, fmt.Errorf("campaigns: campaign %s: %w", id, errkind.ErrNotFound)
	}
	return c, nil
}
