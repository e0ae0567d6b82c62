package certificates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
)

// TypeIssue is the task that issues (or revokes, or reinstates) the
// attestation of a source, then clears the source's pending marker.
const TypeIssue = "certificates:issue"

type issuePayload struct {
	SourceID string `json:"s"`
}

// NewIssueTask returns the issue task of a source. The source's domain
// registers it as the task of its attestation marker with the outbox.
func NewIssueTask(sourceID string) (*asynq.Task, error) {
	p, err := json.Marshal(issuePayload{SourceID: sourceID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeIssue, p), nil
}

// HandleIssue asks the source what to issue, issues it (idempotently),
// then tells the source it is done. A source that no longer exists means
// there is nothing to do; a request the source cannot make valid is not
// retried.
func (s *Service) HandleIssue(ctx context.Context, t *asynq.Task) error {
	var p issuePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.SourceID == "" {
		return fmt.Errorf("certificates: issue payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	if s.source == nil {
		return errors.New("certificates: no source wired")
	}
	// A source that changes while its attestation is being issued (a line
	// rejected then validated at once) is followed to its latest revision
	// here: its new task could not be queued while this one ran.
	for range 5 {
		req, err := s.source.AttestationRequest(ctx, p.SourceID)
		if errkind.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if req.SourceID == "" {
			req.SourceID = p.SourceID
		}
		if _, err := s.Issue(ctx, req); err != nil {
			if errors.Is(err, errkind.ErrInvalid) {
				s.logger.Error("attestation request refused", "source", p.SourceID, "err", err)
				return fmt.Errorf("certificates: source %s: %v: %w", p.SourceID, err, asynq.SkipRetry)
			}
			return err
		}
		done, err := s.source.AttestationDone(ctx, p.SourceID, req.Revision)
		if err != nil || done {
			return err
		}
	}
	return fmt.Errorf("certificates: source %s keeps changing; retrying later", p.SourceID)
}
