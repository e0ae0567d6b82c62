package certificates

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
	"ardoise/internal/queue"
)

// Markers of a certificate's pending work, and their tasks.
const (
	markerCredential = "credential"
	markerStatus     = "credential-status"
	// TypeCredential issues a certificate's credential (the backfill of
	// those issued before credentials).
	TypeCredential = "certificates:credential"
	// TypeStatus writes a certificate's bit in its status list after a
	// revocation or a reinstatement.
	TypeStatus = "certificates:status"
)

// Markers are the certificates' outbox markers.
var Markers = []queue.Marker{
	{Collection: Collection, Name: markerCredential, Priority: queue.Low,
		Task: func(id, _ string) (*asynq.Task, error) { return certTask(TypeCredential, id) }},
	{Collection: Collection, Name: markerStatus, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return certTask(TypeStatus, id) }},
}

type certPayload struct {
	ID string `json:"c"`
}

func certTask(kind, id string) (*asynq.Task, error) {
	p, err := json.Marshal(certPayload{ID: id})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(kind, p), nil
}

func certOf(t *asynq.Task) (string, error) {
	var p certPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ID == "" {
		return "", fmt.Errorf("certificates: payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return p.ID, nil
}

// HandleCredential issues a certificate's credential, then clears its marker.
func (s *Service) HandleCredential(ctx context.Context, t *asynq.Task) error {
	id, err := certOf(t)
	if err != nil {
		return err
	}
	if _, err := s.EnsureCredential(ctx, id); err != nil {
		return err
	}
	_, err = s.store.clearPending(ctx, id, markerCredential, -1)
	return err
}

// HandleStatus writes a certificate's status bit (SyncStatus).
func (s *Service) HandleStatus(ctx context.Context, t *asynq.Task) error {
	id, err := certOf(t)
	if err != nil {
		return err
	}
	return s.SyncStatus(ctx, id)
}

// EnsureCredential issues certificate id's Open Badges credential unless
// it has one: a random free index in a status list, the salted hash of the
// holder's address, the credential signed with the newest key, stored
// once (a concurrent run keeps the first). A certificate whose holder was
// erased gets none. A certificate revoked before its credential existed
// has its bit written through the outbox.
func (s *Service) EnsureCredential(ctx context.Context, id string) (*Certificate, error) {
	return s.ensureCredential(ctx, id, "")
}

// ensureCredential is EnsureCredential with the address the issuing
// request gave, used when the account's cannot be read.
func (s *Service) ensureCredential(ctx context.Context, id, requestEmail string) (*Certificate, error) {
	c, err := s.store.ByID(ctx, id)
	if err != nil || c.Credential != nil || c.HolderName == DeletedName || s.sealer == nil {
		return c, err // without a secret key (some tests), no credentials
	}
	email := ""
	if s.emails != nil {
		if email, err = s.emails(ctx, c.HolderID); err != nil {
			return nil, err
		}
	}
	if email == "" {
		email = requestEmail
	}
	list, index, err := s.allocateSlot(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	f := newCredentialFields(c.HolderID, email, list, index, s.now())
	if f.JWT, err = s.sign(ctx, s.credentialOf(c, f)); err != nil {
		return nil, err
	}
	if c, err = s.store.setCredential(ctx, c.ID, f); err != nil {
		return nil, err
	}
	if c.Revoked {
		if err := s.store.addPending(ctx, c.ID, markerStatus, s.now()); err != nil {
			return nil, err
		}
		s.afterWrite(ctx, c.ID, markerStatus)
	}
	return c, nil
}

// afterWrite enqueues a marker's task once its write is stored.
func (s *Service) afterWrite(ctx context.Context, id, marker string) {
	if s.outbox != nil {
		s.outbox.After(ctx, Collection, id, marker)
	}
}

// backfillCredentials marks, once, every certificate issued before
// credentials existed: the worker issues their credentials (TypeCredential).
// A document in the status lists' collection records that it ran.
func (s *Service) backfillCredentials(ctx context.Context) (int, error) {
	done, err := s.store.backfillDone(ctx)
	if err != nil || done {
		return 0, err
	}
	n, after := 0, ""
	for {
		ids, err := s.store.withoutCredential(ctx, after, 500)
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			if err := s.store.addPending(ctx, id, markerCredential, s.now()); err != nil {
				return n, err
			}
			n++
		}
		after = ids[len(ids)-1]
	}
	return n, s.store.markBackfillDone(ctx)
}

// CredentialFor returns a holder's certificate with its credential, for
// its holder only (another's is errkind.ErrNotFound), issuing the
// credential now if the backfill has not reached it yet.
func (s *Service) CredentialFor(ctx context.Context, certID, holderID string) (*Certificate, error) {
	c, err := s.store.ByID(ctx, certID)
	if err != nil {
		return nil, err
	}
	if holderID == "" || c.HolderID != holderID {
		return nil, fmt.Errorf("certificates: credential of another holder: %w", errkind.ErrNotFound)
	}
	if c.Credential == nil {
		if c, err = s.EnsureCredential(ctx, certID); err != nil {
			return nil, err
		}
	}
	if c.Credential == nil {
		return nil, fmt.Errorf("certificates: %s has no credential: %w", certID, errkind.ErrNotFound)
	}
	return c, nil
}

// VerifyOwn checks certificate c's credential as a third party would,
// with the published keys and the served status list (nil when c has no
// credential yet).
func (s *Service) VerifyOwn(ctx context.Context, c *Certificate) (*Verification, error) {
	if c.Credential == nil {
		return nil, nil
	}
	keys, err := s.JWKS(ctx)
	if err != nil {
		return nil, err
	}
	prefix := s.StatusListURL("")
	status := func(url string) (string, error) {
		list, ok := strings.CutPrefix(url, prefix)
		if !ok {
			return "", fmt.Errorf("certificates: status list %q is not ours", url)
		}
		return s.StatusList(ctx, list)
	}
	return VerifyCredential(c.Credential.JWT, keys, status, s.now()), nil
}
