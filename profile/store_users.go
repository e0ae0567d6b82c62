package profile

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Account updates. Each returns the account as it is after the update; an
// account the guard does not match (gone, erased, or changed meanwhile)
// is ErrNotFound.

// live is the guard on an account that was not erased.
func live(id string) bson.M { return bson.M{"_id": id, "deleted": bson.M{"$ne": true}} }

// setRoles gives the live account id these roles; dropScope removes its
// inspection scope too.
func (s *Store) setRoles(ctx context.Context, id string, roles []Role, dropScope bool, at time.Time) (*User, error) {
	update := bson.M{"$set": bson.M{"roles": roles, "updatedAt": at}}
	if dropScope {
		update["$unset"] = bson.M{"scope": ""}
	}
	return s.updateUser(ctx, live(id), update)
}

// setSuspended suspends or reactivates the live account id; a suspension
// raises its epoch.
func (s *Store) setSuspended(ctx context.Context, id string, suspended bool, at time.Time) (*User, error) {
	update := bson.M{"$set": bson.M{"suspended": suspended, "updatedAt": at}}
	if suspended {
		update["$inc"] = bson.M{"epoch": 1}
	}
	return s.updateUser(ctx, live(id), update)
}

// setScope sets the inspection scope of the live account id.
func (s *Store) setScope(ctx context.Context, id string, scope Territory, at time.Time) (*User, error) {
	return s.updateUser(ctx, live(id), bson.M{"$set": bson.M{"scope": scope, "updatedAt": at}})
}

// verifyEmail marks verified the address emailLower of the live account id.
func (s *Store) verifyEmail(ctx context.Context, id, emailLower string) (*User, error) {
	return s.updateUser(ctx, bson.M{"_id": id, "emailLower": emailLower, "deleted": bson.M{"$ne": true}},
		bson.M{"$set": bson.M{"emailVerified": true}})
}

// replacePassword sets the password hash of u if it still has the hash
// read (two uses of one link, or two changes at once, succeed once) and
// raises its epoch; reset also marks the address verified (the reset link
// came by mail) and drops the reset request.
func (s *Store) replacePassword(ctx context.Context, u *User, hash string, reset bool, at time.Time) (*User, error) {
	set := bson.M{"passwordHash": hash, "updatedAt": at}
	update := bson.M{"$set": set, "$inc": bson.M{"epoch": 1}}
	if reset {
		set["emailVerified"] = true
		update["$unset"] = bson.M{"resetRequestedAt": ""}
	}
	return s.updateUser(ctx, bson.M{"_id": u.ID, "passwordHash": u.PasswordHash}, update)
}

// addPending records a pending mail marker on account id, at; a reset
// request also records when it was made (resetAt, when not zero).
func (s *Store) addPending(ctx context.Context, id, marker string, at, resetAt time.Time) error {
	set := bson.M{"pendingAt": at}
	if !resetAt.IsZero() {
		set["resetRequestedAt"] = resetAt
	}
	entries := bson.A{marker}
	if i := strings.IndexByte(marker, ':'); i >= 0 { // a family's marker: its name too, which the sweeper looks up
		entries = append(entries, marker[:i+1])
	}
	_, err := s.updateUser(ctx, bson.M{"_id": id}, bson.M{"$set": set, "$addToSet": bson.M{"pending": bson.M{"$each": entries}}})
	return err
}

// setLocale records account id's language.
func (s *Store) setLocale(ctx context.Context, id, lang string) error {
	_, err := s.updateUser(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"locale": lang}})
	return err
}

// bumpEpoch raises account id's epoch, which ends its sessions and tokens.
func (s *Store) bumpEpoch(ctx context.Context, id string) (*User, error) {
	return s.updateUser(ctx, bson.M{"_id": id}, bson.M{"$inc": bson.M{"epoch": 1}})
}

// eraseUser turns account id into an anonymous tombstone: no address, no
// name (DeletedName), handle or territory, suspended, a learner, and a
// raised epoch.
func (s *Store) eraseUser(ctx context.Context, id string, at time.Time) (*User, error) {
	return s.updateUser(ctx, bson.M{"_id": id}, bson.M{
		"$set": bson.M{
			"email": "", "emailLower": "deleted:" + id, "emailVerified": false,
			"name": DeletedName, "displayName": "", "handle": "supprime-" + id,
			"territory": Territory{}, "passwordHash": "", "deleted": true, "suspended": true,
			"roles": rolesFor(RoleLearner), "updatedAt": at, "deletedAt": at,
		},
		"$unset": bson.M{"territoryHistory": "", "pending": "", "pendingAt": "", "resetRequestedAt": "", "locale": "",
			"handleSkeleton": "", "scope": ""},
		"$inc": bson.M{"epoch": 1},
	})
}

// profileEdit is what a person's edit of their own profile writes.
type profileEdit struct {
	Name, DisplayName, Handle, Locale string
	Territory                         Territory
	Skeleton                          string           // the handle's skeleton, stored when not empty
	Left                              *TerritoryChange // the territory left, pushed to the history when not nil
	Spaces                            spaceMove
	At                                time.Time
}

// spaceMove is what a new territory does to a person's space membership.
type spaceMove struct {
	// Admit makes the membership the new territory's académie and
	// département at once, and drops a pending request.
	Admit bool
	// Request, when Admit is false, is a new request to join this académie
	// ("" for no change).
	Request string
}

// editProfile writes a person's edit of their own profile to account id.
func (s *Store) editProfile(ctx context.Context, id string, e profileEdit) (*User, error) {
	set := bson.M{"name": e.Name, "displayName": e.DisplayName, "handle": e.Handle, "territory": e.Territory,
		"locale": e.Locale, "updatedAt": e.At}
	if e.Skeleton != "" {
		set["handleSkeleton"] = e.Skeleton
	}
	update := bson.M{"$set": set}
	if e.Left != nil {
		update["$push"] = bson.M{"territoryHistory": *e.Left}
	}
	switch {
	case e.Spaces.Admit:
		set["spaceAcademie"], set["spaceDepartement"] = e.Territory.Academie, e.Territory.Departement
		update["$unset"] = bson.M{"spaceRequest": "", "spaceRequestAt": ""}
	case e.Spaces.Request != "":
		set["spaceRequest"], set["spaceRequestAt"] = e.Spaces.Request, e.At
	}
	return s.updateUser(ctx, bson.M{"_id": id}, update)
}

// resolveSpaceRequest ends u's request to join academie's spaces, if it is
// still there; an approval admits u to the académie and département of its
// territory as read (a territory edited meanwhile does not match).
func (s *Store) resolveSpaceRequest(ctx context.Context, u *User, academie string, approve bool) (*User, error) {
	filter := bson.M{"_id": u.ID, "spaceRequest": academie}
	update := bson.M{"$unset": bson.M{"spaceRequest": "", "spaceRequestAt": ""}}
	if approve {
		filter["territory.academie"], filter["territory.departement"] = u.Territory.Academie, u.Territory.Departement
		update["$set"] = bson.M{"spaceAcademie": u.Territory.Academie, "spaceDepartement": u.Territory.Departement}
	}
	return s.updateUser(ctx, filter, update)
}
