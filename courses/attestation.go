package courses

import (
	"context"
	"fmt"
	"math"

	"ardoise/certificates"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Issuer is the name printed on attestations.
const Issuer = "Réseau Canopé — Ardoise"

// AttestationRequest tells the certificates domain what the attestation of
// a ledger line says, and whether the line still supports it (a rejected
// line revokes it). Lines still to review have none yet.
func (s *Service) AttestationRequest(ctx context.Context, lineID string) (certificates.Request, error) {
	l, err := s.Line(ctx, lineID)
	if err != nil {
		return certificates.Request{}, err
	}
	if l.State == StateToReview {
		return certificates.Request{}, fmt.Errorf("courses: line %s awaits review: %w", lineID, errkind.ErrNotFound)
	}
	req := certificates.Request{
		SourceID: l.ID, HolderID: l.LearnerID, HolderName: l.LearnerName, Title: l.Title, Slug: l.Slug, Version: l.Version,
		Nature: l.Nature, DeclaredMinutes: l.DeclaredMinutes, CompletedAt: l.CompletedAt, Issuer: Issuer,
		Revoked: l.State == StateRejected, Revision: len(l.Events),
	}
	if req.Revoked {
		req.RevokeReason = l.LastReason()
	}
	if m, err := s.Published(ctx, l.Slug, l.Version); err == nil {
		req.Objectives, req.Competences = m.Objectives, m.Competences
		if len(m.Quizzes()) > 0 {
			req.Result = fmt.Sprintf("Quiz réussi à %d %%", int(math.Round(l.QuizScore*100)))
		}
	}
	if l.SessionID != "" {
		req.Result = fmt.Sprintf("Présence : %d demi-journée(s) sur %d", l.Attended, l.HalfDays)
	}
	// The line keeps the name as credited (a payment record); an attestation
	// issued after the holder erased their account names nobody.
	switch u, err := s.profile.User(ctx, l.LearnerID); {
	case errkind.IsNotFound(err) || (err == nil && u.Deleted):
		req.HolderName = profile.DeletedName
	case err != nil:
		return certificates.Request{}, err
	case u.CanReceiveMail():
		req.HolderEmail, req.HolderLocale = u.Email, u.Locale
	}
	return req, nil
}

// HolderErased reports whether a line holder's account was erased (the
// account is a tombstone, or gone).
func (s *Service) HolderErased(ctx context.Context, holderID string) (bool, error) {
	u, err := s.profile.User(ctx, holderID)
	if errkind.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return u.Deleted, nil
}

// AttestationDone clears the line's attestation marker if the line is
// still at the revision (number of events) the attestation followed.
func (s *Service) AttestationDone(ctx context.Context, lineID string, revision int) (bool, error) {
	release, err := s.lockLine(ctx, lineID)
	if err != nil {
		return false, err
	}
	defer release()
	return s.store.attestationDone(ctx, lineID, revision)
}
