package certificates

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/internal/mail"
	"ardoise/internal/queue"
)

// Source is the domain whose events an attestation attests (the courses'
// hours ledger). It is set after both services exist.
type Source interface {
	// AttestationRequest describes the attestation of a source; an unknown
	// source is errkind.ErrNotFound.
	AttestationRequest(ctx context.Context, sourceID string) (Request, error)
	// AttestationDone clears the source's pending marker once the
	// attestation is issued (or revoked) as the request of that revision
	// asked. It reports false, leaving the marker, when the source changed
	// meanwhile: the attestation must then follow the newer revision.
	AttestationDone(ctx context.Context, sourceID string, revision int) (bool, error)
	// HolderErased reports whether the holder's account was erased. Issue
	// asks it again once a new certificate is stored: an erasure that ran
	// between the request and the insert found nothing to anonymize.
	HolderErased(ctx context.Context, holderID string) (bool, error)
}

// Deps are what the service needs.
type Deps struct {
	DB *database.DB
	// Keys seal the credentials' signing keys in the store.
	Keys *keyring.Keyring
	// Outbox enqueues the credentials' tasks (Markers).
	Outbox *queue.Outbox
	// Locks serialize the updates of one certificate.
	Locks   *claim.Claims
	Mailer  *mail.Mailer
	Catalog *i18n.Catalog
	BaseURL string // public address, without trailing slash, for links and QR codes
	Logger  *slog.Logger
}

// Service is the certificates domain.
type Service struct {
	store   *Store
	mailer  *mail.Mailer
	cat     *i18n.Catalog
	baseURL string
	logger  *slog.Logger
	source  Source
	now     func() time.Time
	// sealer opens the signing keys; keyCache and statuses keep what was
	// read or signed; emails gives a holder's address to hash.
	sealer   *keyring.Keyring
	outbox   *queue.Outbox
	keyCache keySet
	statuses statusCache
	emails   func(ctx context.Context, holderID string) (string, error)
}

// NewService returns the service.
func NewService(d Deps) *Service {
	logger := d.Logger
	if logger == nil {
		logger = slog.Default()
	}
	store := NewStore(d.DB)
	store.locks = d.Locks
	return &Service{store: store, mailer: d.Mailer, cat: d.Catalog,
		baseURL: strings.TrimSuffix(d.BaseURL, "/"), logger: logger, sealer: d.Keys, outbox: d.Outbox,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}

// Migrate carries stored certificates forward at start: those from before
// code documents get theirs (Store.IndexCodes, once).
func (s *Service) Migrate(ctx context.Context) error {
	n, err := s.store.IndexCodes(ctx)
	if n > 0 {
		s.logger.Info("certificate codes indexed", "certificates", n)
	}
	if err != nil || s.sealer == nil {
		return err
	}
	if n, err = s.backfillCredentials(ctx); n > 0 {
		s.logger.Info("certificates marked for their credential", "certificates", n)
	}
	return err
}

// SetHolderEmails gives the service the way to read a holder's address,
// whose salted hash identifies them in their credentials.
func (s *Service) SetHolderEmails(f func(ctx context.Context, holderID string) (string, error)) {
	s.emails = f
}

// SetSource wires the source domain; call it once at start-up, before the
// worker runs.
func (s *Service) SetSource(src Source) { s.source = src }

// ByCode returns the certificate with a normalized code (see
// NormalizeCode), for an admin who looks it up.
func (s *Service) ByCode(ctx context.Context, code string) (*Certificate, error) {
	return s.store.ByCode(ctx, code)
}

// VerifyURL is the public verification page of a code.
func (s *Service) VerifyURL(code string) string { return verifyURL(s.baseURL, code) }

// DownloadURL is where the holder downloads a certificate's PDF.
func (s *Service) DownloadURL(certID string) string { return downloadURL(s.baseURL, certID) }

// CertificateID is the id of the attestation of a source.
func CertificateID(sourceID string) string { return "att-" + sourceID }

// CertificationID is the id of the certificate of a certification test.
func CertificationID(testID string) string { return "crcn-" + testID }

// idOf is the id of the certificate a request asks for.
func idOf(req Request) string {
	if req.Kind == KindCertification {
		return CertificationID(req.SourceID)
	}
	return CertificateID(req.SourceID)
}

// Text limits.
const (
	maxSourceID = 200
	maxText     = 500 // a name, title, objective, result or issuer
	minReason   = 3
	maxReason   = 500
)

func validateRequest(req Request) error {
	var v errkind.ValidationError
	if req.Revoked { // only which certificate is needed
		if strings.TrimSpace(req.SourceID) == "" || len(req.SourceID) > maxSourceID {
			v.Add("sourceId", "required")
		}
		return v.Err()
	}
	required := func(field, value string, limit int) {
		switch {
		case strings.TrimSpace(value) == "":
			v.Add(field, "required")
		case utf8.RuneCountInString(value) > limit:
			v.Add(field, "too_long")
		}
	}
	required("sourceId", req.SourceID, maxSourceID)
	required("holderId", req.HolderID, maxSourceID)
	required("holderName", req.HolderName, maxText)
	switch req.Kind {
	case KindCertification:
		if req.Score < 0 || req.Score > MaxScore {
			v.Add("score", "bad_type")
		}
		for _, l := range req.Levels {
			if l.Competence == "" || utf8.RuneCountInString(l.Title) > maxText {
				v.Add("levels", "bad_type")
				break
			}
		}
		return v.Err()
	case "", KindTraining:
	default:
		v.Add("kind", "bad_choice")
	}
	required("title", req.Title, maxText)
	switch req.Nature {
	case NatureDistance, NatureHybrid, NatureSession:
	default:
		v.Add("nature", "bad_choice")
	}
	if req.DeclaredMinutes < 0 {
		v.Add("declaredMinutes", "bad_type")
	}
	if utf8.RuneCountInString(req.Result) > maxText || utf8.RuneCountInString(req.Issuer) > maxText {
		v.Add("result", "too_long")
	}
	return v.Err()
}

// Issue issues the attestation of req.SourceID, or brings the existing one
// in line with req. It is idempotent, and safe to call concurrently:
//   - no certificate yet: the record is inserted (claiming its id and a
//     fresh code), then its PDF is stored, then the holder is emailed.
//     Record first, so concurrent issuers agree on one code before any PDF
//     exists; a PDF lost between the two steps is regenerated on demand by
//     PDF. The email is sent while the record has no mailedAt, with a message
//     id derived from the certificate, so a retry after a crash sends it
//     (the outbox keeps it once; SMTP may, in such a race, deliver twice).
//   - req.Revoked: the certificate is revoked by SystemActor with
//     req.RevokeReason, unless it is already revoked. When none exists,
//     nothing is issued and Issue returns nil, nil.
//   - revoked by the source earlier and req.Revoked false: it is
//     reinstated. A revocation by an admin stays: only an admin lifts it.
func (s *Service) Issue(ctx context.Context, req Request) (*Certificate, error) {
	if err := validateRequest(req); err != nil {
		return nil, err
	}
	id := idOf(req)
	if req.Revoked {
		c, err := s.store.ByID(ctx, id)
		if errkind.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if c.Revoked {
			return c, nil
		}
		reason := strings.TrimSpace(req.RevokeReason)
		if reason == "" {
			reason = s.cat.T(c.Locale, "cert.revoked.source")
		}
		return s.changeState(ctx, c.ID, true, SystemActor, truncate(reason, maxReason))
	}

	now := s.now()
	lang := i18n.Supported(req.HolderLocale)
	issuer := strings.TrimSpace(req.Issuer)
	if issuer == "" {
		issuer = s.cat.T(lang, "cert.issuer")
	}
	objectives := make([]string, 0, len(req.Objectives))
	for _, o := range req.Objectives {
		if o = strings.TrimSpace(o); o != "" {
			objectives = append(objectives, truncate(o, maxText))
		}
	}
	fresh := &Certificate{
		ID: id, Kind: KindTraining, SourceID: req.SourceID, HolderID: req.HolderID,
		HolderName: strings.TrimSpace(req.HolderName), Locale: lang, Title: strings.TrimSpace(req.Title),
		Slug: req.Slug, Version: req.Version, Objectives: objectives, Nature: req.Nature,
		Minutes: req.DeclaredMinutes, Result: strings.TrimSpace(req.Result), CompletedAt: req.CompletedAt.UTC(),
		Competences: req.Competences,
		IssuedAt:    now, Issuer: issuer,
		History: []Event{{At: now, By: SystemActor, Action: ActionIssued}},
	}
	if req.Kind == KindCertification {
		fresh.Kind, fresh.Score, fresh.Levels = KindCertification, req.Score, req.Levels
		if fresh.Title == "" {
			fresh.Title = s.cat.T(lang, "cert.crcn.title")
		}
	}
	c, created, err := s.store.claim(ctx, fresh)
	if err != nil {
		return nil, err
	}
	if created {
		data, err := renderPDF(c, s.cat, s.baseURL)
		if err != nil {
			return nil, err
		}
		if err := s.store.putPDF(ctx, c, data, now); err != nil {
			return nil, err
		}
		s.logger.Info("certificate issued", "kind", c.Kind, "certificate", c.ID, "holder", c.HolderID, "pdfBytes", len(data))
	}
	if c.Credential == nil {
		if c, err = s.ensureCredential(ctx, c.ID, req.HolderEmail); err != nil {
			return nil, err
		}
	}
	to := req.HolderEmail
	if erased, err := s.holderErased(ctx, c, req, created); err != nil {
		return nil, err
	} else if erased {
		to = ""
	}
	if c.MailedAt.IsZero() {
		if err := s.notify(ctx, c, to); err != nil {
			return nil, err
		}
	}
	if c.Revoked && c.RevokedBy == SystemActor {
		return s.changeState(ctx, c.ID, false, SystemActor, "")
	}
	return c, nil
}

// holderErased makes sure a certificate never names a holder whose
// account was erased: when the request already says so (the source gives
// DeletedName) and the record still names them, or when the holder's
// erasure ran while this certificate was being created (the erasure marks
// the account before it anonymizes certificates, so asking again after the
// insert closes the gap), the holder's records are anonymized and their
// PDFs deleted (the PDF is then regenerated with DeletedName on demand).
func (s *Service) holderErased(ctx context.Context, c *Certificate, req Request, created bool) (bool, error) {
	if c.HolderName == DeletedName {
		return true, nil
	}
	erased := req.HolderName == DeletedName
	if !erased && created && s.source != nil {
		var err error
		if erased, err = s.source.HolderErased(ctx, c.HolderID); err != nil {
			return false, err
		}
	}
	if !erased {
		return false, nil
	}
	if err := s.store.anonymize(ctx, c.HolderID); err != nil {
		return false, err
	}
	c.HolderName = DeletedName
	return true, nil
}

// notify emails the holder that their attestation is ready, then records it.
func (s *Service) notify(ctx context.Context, c *Certificate, to string) error {
	if to = strings.TrimSpace(to); to != "" {
		lang := c.Locale
		pdf, _, err := s.PDF(ctx, c.ID, c.HolderID, false)
		if err != nil {
			return err
		}
		keys, file := "cert.mail.", "attestation-"
		if c.Kind == KindCertification {
			keys, file = "cert.crcn.mail.", "certification-"
		}
		msg := mail.Message{
			ID:      "cert-mail:" + c.ID,
			To:      to,
			Subject: s.cat.T(lang, keys+"subject", "title", c.Title),
			Body: s.cat.T(lang, keys+"body", "name", c.HolderName, "title", c.Title, "score", c.Score,
				"code", DisplayCode(c.Code), "verify", s.VerifyURL(c.Code), "download", s.DownloadURL(c.ID)),
			Attachments: []mail.Attachment{{Name: file + c.Code + ".pdf", ContentType: "application/pdf", Data: pdf}},
		}
		// Concurrent issuers may race on the outbox's upsert: the loser's
		// duplicate key means the message is there.
		if err := s.mailer.Send(ctx, msg); err != nil && !database.IsDuplicate(err) {
			return err
		}
	}
	c.MailedAt = s.now()
	return s.store.markMailed(ctx, c.ID, c.MailedAt)
}

// Revoke revokes a certificate (an admin's action); the reason, 3 to 500
// characters, is kept in the record for the holder and the admins (the
// public page shows only the revocation and its date). Revoking a revoked certificate
// changes nothing and returns it.
func (s *Service) Revoke(ctx context.Context, actorID, certID, reason string) (*Certificate, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	return s.changeState(ctx, certID, true, actorID, reason)
}

// Reinstate lifts a certificate's revocation (an admin's action), with a
// reason of 3 to 500 characters kept in the history. Reinstating a valid
// certificate changes nothing and returns it.
func (s *Service) Reinstate(ctx context.Context, actorID, certID, reason string) (*Certificate, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	return s.changeState(ctx, certID, false, actorID, reason)
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n < minReason:
		return "", errkind.Invalid("reason", "required")
	case n > maxReason:
		return "", errkind.Invalid("reason", "too_long")
	}
	return reason, nil
}

// changeState moves a certificate to revoked (or valid) with one
// single-document update, then reads it back. A certificate already in that
// state is returned unchanged.
func (s *Service) changeState(ctx context.Context, certID string, revoked bool, by, reason string) (*Certificate, error) {
	action := ActionReinstated
	if revoked {
		action = ActionRevoked
	}
	ev := Event{At: s.now(), By: by, Action: action, Reason: reason}
	changed, err := s.store.setState(ctx, certID, revoked, ev)
	if err != nil {
		return nil, err
	}
	c, err := s.store.ByID(ctx, certID)
	if err != nil {
		return nil, err
	}
	if changed {
		s.logger.Info("certificate "+action, "certificate", certID, "by", by)
		s.afterWrite(ctx, certID, markerStatus)
	}
	return c, nil
}

// Verify returns what the public page shows of the certificate with code.
// A malformed code is errkind.ErrNotFound like an unknown one, so the two
// look the same from outside.
func (s *Service) Verify(ctx context.Context, code string) (*Public, error) {
	norm, ok := NormalizeCode(code)
	if !ok {
		return nil, fmt.Errorf("certificates: malformed code: %w", errkind.ErrNotFound)
	}
	c, err := s.store.ByCode(ctx, norm)
	if err != nil {
		return nil, err
	}
	pub := c.Public()
	v, err := s.VerifyOwn(ctx, c)
	if err != nil {
		return nil, err
	}
	if v != nil {
		pub.Credential = &CredentialCheck{Valid: v.Valid, Kid: v.Kid, Problems: v.Problems}
		if pub.Credential.Problems == nil {
			pub.Credential.Problems = []string{}
		}
	}
	return pub, nil
}

// PDF returns a certificate's PDF and record, for its holder or an admin;
// anyone else gets errkind.ErrNotFound, as for an unknown id. A missing PDF
// is regenerated and stored.
func (s *Service) PDF(ctx context.Context, certID, holderID string, admin bool) ([]byte, *Certificate, error) {
	c, err := s.store.ByID(ctx, certID)
	if err != nil {
		return nil, nil, err
	}
	if !admin && (holderID == "" || c.HolderID != holderID) {
		return nil, nil, fmt.Errorf("certificates: pdf of another holder: %w", errkind.ErrNotFound)
	}
	data, err := s.store.PDF(ctx, certID)
	if err == nil {
		return data, c, nil
	}
	if !errkind.IsNotFound(err) {
		return nil, nil, err
	}
	if data, err = renderPDF(c, s.cat, s.baseURL); err != nil {
		return nil, nil, err
	}
	if err := s.store.putPDF(ctx, c, data, s.now()); err != nil {
		return nil, nil, err
	}
	return data, c, nil
}

// ForHolder lists a holder's certificates, newest first (at most HolderLimit).
func (s *Service) ForHolder(ctx context.Context, holderID string) ([]Certificate, error) {
	return s.store.ByHolder(ctx, holderID)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
