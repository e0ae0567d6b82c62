// Package profile holds accounts: identity, roles, territory, password
// authentication, sessions and API tokens, email verification and password
// reset, the audit log of administrative actions, and RGPD export and erasure.
package profile

import (
	"slices"
	"time"
)

// Role is what a person may do on the platform.
type Role string

// The roles. Every account is a learner; the other roles add rights.
const (
	RoleLearner   Role = "learner"
	RoleTrainer   Role = "trainer"
	RoleInspector Role = "inspector"
	RoleAdmin     Role = "admin"
)

// Roles lists every role, in the order menus show them.
var Roles = []Role{RoleLearner, RoleTrainer, RoleInspector, RoleAdmin}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// Kind says who the person is outside the platform.
type Kind string

// The kinds of account.
const (
	KindTeacher Kind = "teacher"
	KindParent  Kind = "parent"
)

// User is one account. The stored document is also the outbox of the
// follow-up work its changes require (Pending, PendingAt).
type User struct {
	ID            string `bson:"_id" json:"id"`
	Email         string `bson:"email" json:"email"`
	EmailLower    string `bson:"emailLower" json:"-"`
	EmailVerified bool   `bson:"emailVerified" json:"emailVerified"`
	Name          string `bson:"name" json:"name"`
	DisplayName   string `bson:"displayName,omitempty" json:"displayName,omitempty"`
	Handle        string `bson:"handle" json:"handle"`
	// HandleSkeleton is the handle's UTS #39 skeleton (see handleSkeleton),
	// unique: two handles that look alike cannot both exist.
	HandleSkeleton string    `bson:"handleSkeleton,omitempty" json:"-"`
	Kind           Kind      `bson:"kind" json:"kind"`
	Roles          []Role    `bson:"roles" json:"roles"`
	Territory      Territory `bson:"territory" json:"territory"`
	// Scope is the part of the school system an inspector oversees. Only an
	// admin or the command line sets it (SetScope, audit-logged); it never
	// follows the person's own Territory, which they may edit.
	Scope Territory `bson:"scope,omitempty" json:"scope,omitempty"`
	// TerritoryHistory keeps every earlier territory with the date it ended:
	// hours credited while at a school stay attributable to that school.
	TerritoryHistory []TerritoryChange `bson:"territoryHistory,omitempty" json:"territoryHistory,omitempty"`
	// SpaceMembership is what the communities' members-only territory
	// spaces admit the person to (space_membership.go).
	SpaceMembership `bson:",inline"`
	Locale          string `bson:"locale,omitempty" json:"locale,omitempty"`
	PasswordHash    string `bson:"passwordHash" json:"-"`
	// Epoch is part of every session cookie and API token; bumping it (logout
	// everywhere, password change or reset, suspension, erasure) invalidates
	// every session and token at once.
	Epoch            int       `bson:"epoch" json:"-"`
	Suspended        bool      `bson:"suspended" json:"suspended"`
	Deleted          bool      `bson:"deleted,omitempty" json:"-"`
	ResetRequestedAt time.Time `bson:"resetRequestedAt,omitempty" json:"-"`
	Pending          []string  `bson:"pending,omitempty" json:"-"`
	PendingAt        time.Time `bson:"pendingAt,omitempty" json:"-"`
	CreatedAt        time.Time `bson:"createdAt" json:"createdAt"`
	UpdatedAt        time.Time `bson:"updatedAt" json:"updatedAt"`
}

// Has reports whether the user holds role r. Admins hold every role's rights.
func (u *User) Has(r Role) bool {
	if u == nil {
		return false
	}
	return slices.Contains(u.Roles, r) || (r != RoleLearner && slices.Contains(u.Roles, RoleAdmin))
}

// MainRole is the most specific role the user holds, for display.
func (u *User) MainRole() Role {
	for _, r := range []Role{RoleAdmin, RoleInspector, RoleTrainer} {
		if slices.Contains(u.Roles, r) {
			return r
		}
	}
	return RoleLearner
}

// Shown is the name others see: the display name when set, else the name.
func (u *User) Shown() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

// rolesFor returns the stored role list for a main role.
func rolesFor(r Role) []Role {
	if r == RoleLearner {
		return []Role{RoleLearner}
	}
	return []Role{RoleLearner, r}
}

// InspectionScope is the territory an inspector (or an admin, who holds the
// inspector's rights) oversees: the Scope an admin or the command line set,
// never the person's own territory. It is empty for anyone else, and an
// empty scope sees nothing (Territory.Contains).
func (u *User) InspectionScope() Territory {
	if !u.Has(RoleInspector) {
		return Territory{}
	}
	return u.Scope.Scope()
}

// CanReceiveMail reports whether mail other than account mail (verification,
// password reset) may be sent: only to verified addresses of open accounts.
func (u *User) CanReceiveMail() bool {
	return u.EmailVerified && !u.Deleted && !u.Suspended && u.Email != ""
}

// ScopeText writes the inspection scope as `ardoise user set-scope` reads
// it, "—" when there is none.
func (u *User) ScopeText() string { return FormatScope(u.Scope) }
