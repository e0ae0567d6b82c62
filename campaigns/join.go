package campaigns

import (
	"context"
	"fmt"
	"strings"

	"ardoise/assessments"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Reasons a join or a share is refused (error codes of the API, keys
// "error.<code>" of the catalog).
const (
	CodeUnknownCode   = "campaign_unknown_code"
	CodeNotOpen       = "campaign_not_open"
	CodeClosed        = "campaign_closed"
	CodeAudience      = "campaign_audience"
	CodeNotFinished   = "campaign_not_finished"
	CodeAlreadyShared = "campaign_already_shared"
)

// Join starts (or resumes) u's participation in the campaign of a code:
// a positioning test restricted to the campaign's target profile, with
// the campaign's own head, so its cool-down is the campaign's. A parent
// may join only a trainer's campaign open to parents.
func (s *Service) Join(ctx context.Context, u *profile.User, code string) (*Participation, *assessments.Test, error) {
	norm := NormalizeCode(code)
	if len(norm) != CodeLength || strings.Trim(norm, CodeAlphabet) != "" {
		return nil, nil, &errkind.RefusedError{Code: CodeUnknownCode}
	}
	c, err := s.store.byCode(ctx, norm)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, &errkind.RefusedError{Code: CodeUnknownCode}
	}
	if u.Kind == profile.KindParent && (c.OrganiserRole != string(profile.RoleTrainer) || !c.OpenToParents) {
		return nil, nil, &errkind.DeniedError{Code: CodeAudience}
	}
	now := s.now()
	switch {
	case now.Before(c.OpensAt):
		return nil, nil, &errkind.RefusedError{Code: CodeNotOpen}
	case !now.Before(c.ClosesAt):
		return nil, nil, &errkind.RefusedError{Code: CodeClosed}
	}
	t, err := s.assessments.Start(ctx, assessments.Owner{UserID: u.ID}, c.Scope(), false)
	if err != nil {
		return nil, nil, err
	}
	p := &Participation{ID: t.ID, CampaignID: c.ID, UserID: u.ID, JoinedAt: t.CreatedAt, Pending: []string{markerCount}, PendingAt: now}
	if err := s.store.insertParticipation(ctx, p); err != nil {
		return nil, nil, err
	}
	if err := s.store.addMember(ctx, p); err != nil {
		// The count task adds it again: the join itself is stored.
		s.logger.Warn("campaign member list not updated; the count task will", "participation", p.ID, "err", err)
	}
	s.outbox.After(ctx, ParticipationsCollection, p.ID, markerCount)
	return p, t, nil
}

// Scope is the assessment scope of the campaign's test: its framework,
// restricted to the target profile's competences when it has some.
func (c *Campaign) Scope() assessments.Scope {
	sc := assessments.Scope{Framework: c.Framework, Campaign: c.ID}
	for _, t := range c.Targets {
		sc.Competences = append(sc.Competences, t.Competence)
	}
	return sc
}

// Participation returns a participation its person may see.
func (s *Service) Participation(ctx context.Context, u *profile.User, id string) (*Participation, *Campaign, error) {
	p, err := s.store.participation(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if p == nil || p.UserID != u.ID {
		return nil, nil, fmt.Errorf("campaigns: participation %s: %w", id, errkind.ErrNotFound)
	}
	c, err := s.store.campaign(ctx, p.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, fmt.Errorf("campaigns: campaign of participation %s: %w", id, errkind.ErrNotFound)
	}
	return p, c, nil
}

// Share sends a finished participation's results to the organiser. Only
// its person may, with a verified address, once: sharing is final. It
// costs two store commands (a read and an update, under the
// participation's lock); the counters follow in the worker.
func (s *Service) Share(ctx context.Context, u *profile.User, id string) (*Participation, error) {
	release, err := s.store.lockParticipation(ctx, id)
	if err != nil {
		return nil, err
	}
	defer release()
	p, err := s.store.participation(ctx, id)
	if err != nil {
		return nil, err
	}
	if p == nil || p.UserID != u.ID {
		return nil, fmt.Errorf("campaigns: participation %s: %w", id, errkind.ErrNotFound)
	}
	if !u.EmailVerified {
		return nil, errkind.EmailUnverified()
	}
	if p.Shared() {
		return nil, &errkind.RefusedError{Code: CodeAlreadyShared}
	}
	if !p.Finished() {
		return nil, &errkind.RefusedError{Code: CodeNotFinished}
	}
	now := s.now()
	p.SharedAt, p.Name = now, u.Name
	if p.Name == "" {
		p.Name = u.Shown()
	}
	p.Pending, p.PendingAt = addMarker(p.Pending), now
	if err := s.store.share(ctx, p); err != nil {
		return nil, err
	}
	s.outbox.After(ctx, ParticipationsCollection, p.ID, markerCount)
	return p, nil
}

// CountFinished is the assessments' finish hook: it records the end and
// the levels of a campaign test in its participation (creating the
// participation if the join's insert did not happen), for the counters.
// Idempotent.
func (s *Service) CountFinished(ctx context.Context, t *assessments.Test) error {
	if t.Scope.Campaign == "" || t.UserID == "" || t.Result == nil {
		return nil
	}
	release, err := s.store.lockParticipation(ctx, t.ID)
	if err != nil {
		return err
	}
	defer release()
	p, err := s.store.participation(ctx, t.ID)
	if err != nil {
		return err
	}
	if p == nil {
		p = &Participation{ID: t.ID, CampaignID: t.Scope.Campaign, UserID: t.UserID, JoinedAt: t.CreatedAt}
	}
	if p.Finished() {
		return nil
	}
	p.FinishedAt = t.FinishedAt
	for _, c := range t.Result.Competences {
		p.Levels = append(p.Levels, Level{Competence: c.ID, Level: c.Level, Theta: c.Theta})
	}
	p.Pending, p.PendingAt = addMarker(p.Pending), s.now()
	if err := s.store.saveParticipation(ctx, p); err != nil {
		return err
	}
	s.outbox.After(ctx, ParticipationsCollection, p.ID, markerCount)
	return nil
}

func addMarker(pending []string) []string {
	for _, m := range pending {
		if m == markerCount {
			return pending
		}
	}
	return append(pending, markerCount)
}
