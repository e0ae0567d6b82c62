package profile

import (
	"context"
	"fmt"
	"time"

	"ardoise/internal/errkind"
	"ardoise/internal/mail"
)

// Export is everything Ardoise stores about a person, as "Télécharger mes
// données" gives it. Other domains add their sections under Sections.
type Export struct {
	ExportedAt time.Time      `json:"exportedAt"`
	Account    *User          `json:"account"`
	APITokens  []APIToken     `json:"apiTokens"`
	AuditLog   []AuditEntry   `json:"auditLog"`
	Mails      []mail.Message `json:"mails"`
	Sections   map[string]any `json:"sections,omitempty"`
}

// ExportData gathers the profile's part of a person's data.
func (s *Service) ExportData(ctx context.Context, u *User) (*Export, error) {
	fresh, err := s.store.User(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	tokens, err := s.Tokens(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	audit, err := s.store.Audit(ctx, u.ID, time.Time{}, 1000)
	if err != nil {
		return nil, err
	}
	mails, err := s.mailer.To(ctx, u.Email)
	if err != nil {
		return nil, err
	}
	return &Export{ExportedAt: s.now(), Account: fresh, APITokens: tokens, AuditLog: audit, Mails: mails, Sections: map[string]any{}}, nil
}

// DeletedName is the name shown in place of an erased account.
const DeletedName = "Compte supprimé"

// DeleteAccount erases a person's personal data after checking their
// password. The account document stays as an anonymous tombstone, so that
// what others rely on (forum posts, hours lines, certificates) still points
// somewhere; those records keep their own copy of the name as issued.
func (s *Service) DeleteAccount(ctx context.Context, u *User, password string) error {
	if ok, _ := CheckPassword(u.PasswordHash, password); !ok {
		return errkind.Invalid("password", "wrong_password")
	}
	email := u.Email
	now := s.now()
	nu, err := s.store.eraseUser(ctx, u.ID, now)
	if err != nil {
		return fmt.Errorf("profile: delete account: %w", err)
	}
	s.cache.Forget(u.ID)
	s.epochBumped(ctx, nu)
	if err := s.store.deleteTokensOf(ctx, u.ID); err != nil {
		return err
	}
	if err := s.store.renameAuditTarget(ctx, u.ID, DeletedName); err != nil {
		return err
	}
	return s.mailer.ForgetAddress(ctx, email)
}
