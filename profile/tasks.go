package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
	"ardoise/internal/mail"
	"ardoise/internal/queue"
)

// TypeSendMail is the task that sends one account email (welcome and
// verification, new verification link, password reset).
const TypeSendMail = "profile:send-mail"

// TypeCleanTokens is the scheduled task that deletes expired API tokens.
const TypeCleanTokens = "profile:clean-tokens"

type mailPayload struct {
	UserID string `json:"u"`
	Marker string `json:"m"`
}

// NewSendMailTask returns the task for a pending marker of a user.
func NewSendMailTask(userID, marker string) (*asynq.Task, error) {
	p, err := json.Marshal(mailPayload{UserID: userID, Marker: marker})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeSendMail, p), nil
}

// mailID is the id of a marker's message in the mail outbox, so that a
// retried task never sends it twice.
func mailID(userID, marker string) string { return TypeSendMail + ":" + userID + ":" + marker }

func mailTask(id, marker string) (*asynq.Task, error) { return NewSendMailTask(id, marker) }

// Markers are profile's pending work, registered with the outbox: the
// welcome mail, and each verification and reset mail (a reset is critical:
// a person is waiting at the screen).
var Markers = []queue.Marker{
	{Collection: UsersCollection, Name: markerWelcome, Priority: queue.Default, Task: mailTask},
	{Collection: UsersCollection, Name: markerVerify, Priority: queue.Default, Task: mailTask},
	{Collection: UsersCollection, Name: markerReset, Priority: queue.Critical, Task: mailTask},
}

// HandleSendMail sends the mail of a marker, then clears the marker. It is
// idempotent: the message id is the user's and the marker's, and a cleared
// marker means done.
func (s *Service) HandleSendMail(ctx context.Context, t *asynq.Task) error {
	var p mailPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("profile: mail payload: %v: %w", err, asynq.SkipRetry)
	}
	u, err := s.store.User(ctx, p.UserID)
	if errkind.IsNotFound(err) {
		return nil // account erased meanwhile: nothing to send
	}
	if err != nil {
		return err
	}
	if !slices.Contains(u.Pending, p.Marker) {
		return nil // already sent
	}
	if !u.Deleted && u.Email != "" {
		msg, err := s.composeMail(u, p.Marker)
		if err != nil {
			return fmt.Errorf("%v: %w", err, asynq.SkipRetry)
		}
		msg.ID = mailID(u.ID, p.Marker)
		if err := s.mailer.Send(ctx, msg); err != nil {
			return err
		}
	}
	return s.store.clearPending(ctx, u.ID, p.Marker)
}

func (s *Service) composeMail(u *User, marker string) (mail.Message, error) {
	lang := u.Locale
	t := func(key string, args ...any) string { return s.msgs.T(lang, key, args...) }
	msg := mail.Message{To: u.Email}
	switch {
	case marker == markerWelcome:
		msg.Subject = t("mail.welcome.subject")
		msg.Body = t("mail.welcome.body", "name", u.Shown(), "link", s.verifyLink(u), "url", s.baseURL)
	case strings.HasPrefix(marker, markerVerify):
		msg.Subject = t("mail.verify.subject")
		msg.Body = t("mail.verify.body", "name", u.Shown(), "link", s.verifyLink(u))
	case strings.HasPrefix(marker, markerReset):
		msg.Subject = t("mail.reset.subject")
		msg.Body = t("mail.reset.body", "name", u.Shown(), "link", s.resetLink(u))
	default:
		return msg, fmt.Errorf("%w: %q", errNoSuchMarker, marker)
	}
	return msg, nil
}

// HandleCleanTokens deletes expired API tokens.
func (s *Service) HandleCleanTokens(ctx context.Context, _ *asynq.Task) error {
	n, err := s.DeleteExpiredTokens(ctx)
	if n > 0 {
		s.logger.Info("expired tokens deleted", "count", n)
	}
	return err
}
