package certification

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hibiken/asynq"

	"ardoise/certificates"
	"ardoise/internal/errkind"
	"ardoise/internal/queue"
	"ardoise/profile"
)

// TypeCertificates is the task that issues a published session's
// certificates, then clears the session's marker.
const TypeCertificates = "certification:certificates"

// markerCertificates asks for a published session's certificates: it is
// set in the write that publishes the session, so a lost queue or a crash
// after publication leaves it for the sweeper.
const markerCertificates = "certificates"

// Markers are certification's pending work, registered with the outbox.
var Markers = []queue.Marker{
	{Collection: SessionsCollection, Name: markerCertificates, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewCertificatesTask(id) }},
}

type certificatesPayload struct {
	Session string `json:"s"`
}

// NewCertificatesTask returns the task that issues a session's certificates.
func NewCertificatesTask(sessionID string) (*asynq.Task, error) {
	p, err := json.Marshal(certificatesPayload{Session: sessionID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeCertificates, p), nil
}

// Publish publishes a session the jury reviewed: refused while a test is
// in error (and not cancelled or rejected) or awaits the jury's decision.
// The session becomes published and, in the same write, asks the worker
// for the certificates of its validated tests.
func (s *Service) Publish(ctx context.Context, actor *profile.User, sessionID string) (*Session, error) {
	x, err := s.juryOfSession(ctx, actor, sessionID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	x, err = s.store.update(ctx, x.ID, func(x *Session) error {
		if x.Status != StatusInReview {
			return refused(CodeNotInReview)
		}
		for _, l := range x.Jury {
			if !l.settled() {
				return refused(CodeJuryPending)
			}
		}
		x.Status, x.PublishedAt = StatusPublished, now
		x.Pending, x.PendingAt = append(x.Pending, markerCertificates), now
		x.event(now, "publish", "", actor.ID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.outbox.After(ctx, SessionsCollection, x.ID, markerCertificates)
	// Published, it leaves the jury's queue; if this write is lost, the
	// queue skips it by its status.
	if err := s.store.removeFromDesk(ctx, juryDesk, "sessions", x.ID); err != nil {
		s.logger.Warn("certification: jury queue", "session", x.ID, "err", err)
	}
	return x, nil
}

// HandleCertificates issues the certificates of a published session.
func (s *Service) HandleCertificates(ctx context.Context, t *asynq.Task) error {
	var p certificatesPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Session == "" {
		return fmt.Errorf("certification: certificates payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return s.IssueCertificates(ctx, p.Session)
}

// IssueCertificates issues the certificate of every validated test of a
// published session whose marker is pending, records each in the
// holder's results, then clears the marker. Each certificate's id derives
// from its test's, so running it twice, or concurrently, issues one
// certificate per test.
func (s *Service) IssueCertificates(ctx context.Context, sessionID string) error {
	x, err := s.store.session(ctx, sessionID)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains(x.Pending, markerCertificates) {
		return nil
	}
	var centreName string
	var centreTerr profile.Territory
	switch ce, err := s.store.centre(ctx, x.CentreID); {
	case err == nil:
		centreName, centreTerr = ce.Name, ce.Territory
	case !errkind.IsNotFound(err):
		return err
	}
	issued := map[string]*certificates.Certificate{}
	for _, l := range x.Jury {
		c := x.candidate(l.CandidateID)
		if !l.Validated() || c == nil || c.UserID == "" {
			continue
		}
		req, terr, err := s.certificateRequest(ctx, x, c, l)
		if err != nil {
			return err
		}
		cert, err := s.certs.Issue(ctx, req)
		if errors.Is(err, errkind.ErrInvalid) {
			s.logger.Error("certificate request refused", "session", x.ID, "test", l.TestID, "err", err)
			return fmt.Errorf("certification: certificate of test %s: %v: %w", l.TestID, err, asynq.SkipRetry)
		}
		if err != nil {
			return err
		}
		issued[l.TestID] = cert
		if err := s.store.addResult(ctx, c.UserID, Result{TestID: l.TestID, SessionID: x.ID, Date: x.Date,
			Score: l.Score, Levels: l.Levels, Code: certificates.DisplayCode(cert.Code), CertificateID: cert.ID,
			Scopes: ScopeKeys(terr)}); err != nil {
			return err
		}
		if err := s.store.addScopeResult(ctx, terr, ScopeResult{TestID: l.TestID, UserID: c.UserID,
			Name: req.HolderName, Date: x.Date, Score: l.Score, Levels: l.Levels,
			Code: certificates.DisplayCode(cert.Code), SessionID: x.ID, Centre: centreName}); err != nil {
			return err
		}
	}
	if err := s.store.addScopeSession(ctx, centreTerr, ScopeSession{SessionID: x.ID, Number: x.Number, Date: x.Date,
		Centre: centreName, Status: x.Status, Candidates: len(x.Candidates)}); err != nil {
		return err
	}
	_, err = s.store.update(ctx, x.ID, func(x *Session) error {
		for i := range x.Jury {
			if cert := issued[x.Jury[i].TestID]; cert != nil {
				x.Jury[i].CertificateID, x.Jury[i].Code = cert.ID, certificates.DisplayCode(cert.Code)
			}
		}
		x.Pending = slices.DeleteFunc(x.Pending, func(m string) bool { return m == markerCertificates })
		if len(x.Pending) == 0 {
			x.Pending = nil
		}
		return nil
	})
	return err
}

// certificateRequest describes the certificate of a validated test: the
// name on the list, the account's address and language. It also returns
// the account's territory, whose inspectors see the certificate.
func (s *Service) certificateRequest(ctx context.Context, x *Session, c *Candidate, l JuryLine) (certificates.Request, profile.Territory, error) {
	req := certificates.Request{Kind: certificates.KindCertification, SourceID: l.TestID, HolderID: c.UserID,
		HolderName: strings.TrimSpace(c.FirstName + " " + c.LastName), Score: l.Score, CompletedAt: l.FinishedAt,
		Levels: make([]certificates.Level, 0, len(l.Levels))}
	for _, lv := range l.Levels {
		req.Levels = append(req.Levels, certificates.Level{Competence: lv.Competence, Title: lv.Title, Level: lv.Level})
	}
	u, err := s.profile.User(ctx, c.UserID)
	switch {
	case errkind.IsNotFound(err):
		req.HolderName = certificates.DeletedName
		return req, profile.Territory{}, nil
	case err != nil:
		return req, profile.Territory{}, err
	case u.Deleted:
		req.HolderName = certificates.DeletedName
	default:
		req.HolderEmail, req.HolderLocale = u.Email, u.Locale
	}
	return req, u.Territory, nil
}

// Revoke revokes the certificate of a certification test: an admin who
// may judge its session (not a référent of its centre), with a reason kept
// in the certificate's history.
func (s *Service) Revoke(ctx context.Context, actor *profile.User, testID, reason string) (*certificates.Certificate, error) {
	if _, err := s.juryOfTest(ctx, actor, testID); err != nil {
		return nil, err
	}
	c, err := s.certs.Revoke(ctx, actor.ID, certificates.CertificationID(testID), reason)
	if errors.Is(err, errkind.ErrNotFound) {
		return nil, fmt.Errorf("certification: no certificate for test %s: %w", testID, errkind.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.markRevoked(ctx, c.HolderID, testID); err != nil {
		return nil, err
	}
	return c, nil
}
