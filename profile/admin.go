package profile

import (
	"context"
	"fmt"
	"strings"

	"ardoise/internal/errkind"
)

// Actor is who performs an administrative action: an admin, or the command
// line (ID "cli").
type Actor struct {
	ID   string
	Name string
}

// CLI is the actor for `ardoise user …` commands.
var CLI = Actor{ID: "cli", Name: "ligne de commande"}

// ActorOf returns the actor for a signed-in admin.
func ActorOf(u *User) Actor { return Actor{ID: u.ID, Name: u.Email} }

func checkReason(reason string) (string, error) {
	v := &errkind.ValidationError{}
	r := cleanText(v, "reason", reason, true, 500)
	return r, v.Err()
}

// SetRole gives the account target the main role r (every account stays a
// learner) and writes the change to the audit log.
func (s *Service) SetRole(ctx context.Context, actor Actor, targetID string, r Role, reason string) (*User, error) {
	if _, ok := ParseRole(string(r)); !ok {
		return nil, errkind.Invalid("role", "bad_choice")
	}
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	if actor.ID == targetID && r != RoleAdmin {
		// An admin who demotes themselves could leave the platform with no admin.
		return nil, fmt.Errorf("profile: an admin cannot remove their own admin role: %w", errkind.ErrForbidden)
	}
	before, err := s.store.User(ctx, targetID)
	if err != nil {
		return nil, err
	}
	detail := string(before.MainRole()) + " → " + string(r)
	dropScope := r != RoleInspector && r != RoleAdmin && !before.Scope.IsZero()
	if dropScope {
		// A scope outlives no inspector role: a later promotion starts
		// with none until an admin sets one again.
		detail += " (" + FormatScope(before.Scope) + " → —)"
	}
	u, err := s.store.setRoles(ctx, targetID, rolesFor(r), dropScope, s.now())
	if err != nil {
		return nil, err
	}
	s.cache.Forget(targetID)
	return u, s.audit(ctx, actor, "role", u, detail, reason)
}

// SetSuspended suspends (ending every session and API token) or reactivates an account,
// and writes the change to the audit log.
func (s *Service) SetSuspended(ctx context.Context, actor Actor, targetID string, suspended bool, reason string) (*User, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	if actor.ID == targetID {
		return nil, fmt.Errorf("profile: an admin cannot suspend themselves: %w", errkind.ErrForbidden)
	}
	u, err := s.store.setSuspended(ctx, targetID, suspended, s.now())
	if err != nil {
		return nil, err
	}
	s.cache.Forget(targetID)
	action := "reactivate"
	if suspended {
		action = "suspend"
		s.epochBumped(ctx, u) // every session and API token ends
	}
	return u, s.audit(ctx, actor, action, u, "", reason)
}

// ParseScope reads "ACADÉMIE[/DÉPARTEMENT[/CIRCONSCRIPTION]]" as the command
// line and the admin page give an inspector's scope: a territory without
// school. Errors are under "scope".
func ParseScope(s string) (Territory, error) {
	v := &errkind.ValidationError{}
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "/")
	switch {
	case s == "":
		v.Add("scope", "required")
	case len(parts) > 3:
		v.Add("scope", "bad_scope")
	}
	if err := v.Err(); err != nil {
		return Territory{}, err
	}
	t := ParseTerritory(s).normalize(v, "scope.")
	return t, v.Err()
}

// SetScope sets the part of the school system an inspector oversees and
// writes the change to the audit log. Only an admin or the command line
// calls it; a person's own territory never changes it.
func (s *Service) SetScope(ctx context.Context, actor Actor, targetID, scope, reason string) (*User, error) {
	t, err := ParseScope(scope)
	if err != nil {
		return nil, err
	}
	reason, err = checkReason(reason)
	if err != nil {
		return nil, err
	}
	before, err := s.store.User(ctx, targetID)
	if err != nil {
		return nil, err
	}
	if before.Deleted {
		return nil, fmt.Errorf("profile: scope of an erased account: %w", errkind.ErrNotFound)
	}
	u, err := s.store.setScope(ctx, targetID, t, s.now())
	if err != nil {
		return nil, err
	}
	s.cache.Forget(targetID)
	return u, s.audit(ctx, actor, "scope", u, FormatScope(before.Scope)+" → "+FormatScope(t), reason)
}

// FormatScope writes a scope as ParseScope reads it ("—" when empty).
func FormatScope(t Territory) string {
	parts := []string{t.Academie, t.Departement, t.Circonscription}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "/")
}

func (s *Service) audit(ctx context.Context, actor Actor, action string, target *User, detail, reason string) error {
	return s.store.InsertAudit(ctx, AuditEntry{
		ID: newID(), At: s.now(), ActorID: actor.ID, Actor: actor.Name, Action: action,
		TargetID: target.ID, Target: target.Email, Detail: detail, Reason: reason,
	})
}

// FindUser returns an account by email for the command line.
func (s *Service) FindUser(ctx context.Context, email string) (*User, error) {
	return s.store.UserByEmail(ctx, strings.TrimSpace(email))
}
