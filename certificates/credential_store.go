package certificates

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// Collections of the credentials' status lists.
const (
	// StatusListsCollection holds each status list's bits (_id the list).
	StatusListsCollection = "credential_status_lists"
	// StatusSlotsCollection claims each index of a list by insert
	// (_id "<list>:<index>"), so that no two credentials share a bit.
	StatusSlotsCollection = "credential_status_slots"
)

// statusListDoc is a status list as stored: its bits, and a version that
// guards every write and keys the cached signed list.
type statusListDoc struct {
	ID      string `bson:"_id"`
	Bits    []byte `bson:"bits"`
	Version int    `bson:"version"`
}

// allKeys reads every stored signing key.
func (s *Store) allKeys(ctx context.Context) ([]keyDoc, error) {
	cur, err := s.keys.Find(ctx, bson.M{})
	if err != nil {
		return nil, database.Wrap(err, "certificates: signing keys")
	}
	var docs []keyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, database.Wrap(err, "certificates: signing keys")
	}
	return docs, nil
}

// putKey stores a new signing key; a kid taken is errkind.ErrConflict.
func (s *Store) putKey(ctx context.Context, d keyDoc) error {
	if _, err := s.keys.InsertOne(ctx, d); err != nil {
		if database.IsDuplicate(err) {
			return fmt.Errorf("certificates: kid %s taken: %w", d.ID, errkind.ErrConflict)
		}
		return database.Wrap(err, "certificates: new signing key")
	}
	return nil
}

// claimSlot claims index of list for a certificate; false when taken.
func (s *Store) claimSlot(ctx context.Context, list string, index int, certID string) (bool, error) {
	_, err := s.slots.InsertOne(ctx, bson.M{"_id": fmt.Sprintf("%s:%d", list, index), "certificate": certID})
	if database.IsDuplicate(err) {
		return false, nil
	}
	if err != nil {
		return false, database.Wrap(err, "certificates: status slot")
	}
	return true, nil
}

// setCredential stores a certificate's credential unless it has one; it
// returns the certificate as stored after.
func (s *Store) setCredential(ctx context.Context, id string, f credentialFields) (*Certificate, error) {
	if err := s.locked(ctx, id, func() error {
		_, err := s.certs.UpdateOne(ctx, bson.M{"_id": id, "credential": bson.M{"$exists": false}},
			bson.M{"$set": bson.M{"credential": f}})
		return err
	}); err != nil {
		return nil, database.Wrap(err, "certificates: credential")
	}
	return s.ByID(ctx, id)
}

// statusList reads a status list; a list never written is all zeros.
func (s *Store) statusList(ctx context.Context, list string) (*statusListDoc, error) {
	var d statusListDoc
	err := s.lists.FindOne(ctx, bson.M{"_id": list}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		return &statusListDoc{ID: list, Bits: make([]byte, StatusListBits/8)}, nil
	}
	if err != nil {
		return nil, database.Wrap(err, "certificates: status list")
	}
	return &d, nil
}

// putStatusList writes a status list read at version d.Version - 1 (0: a
// new list); false when another write came first.
func (s *Store) putStatusList(ctx context.Context, d *statusListDoc) (bool, error) {
	if d.Version == 1 {
		_, err := s.lists.InsertOne(ctx, d)
		switch {
		case database.IsDuplicate(err):
			return false, nil
		case err != nil:
			return false, database.Wrap(err, "certificates: status list")
		}
		return true, nil
	}
	res, err := s.lists.ReplaceOne(ctx, bson.M{"_id": d.ID, "version": d.Version - 1}, d)
	if err != nil {
		return false, database.Wrap(err, "certificates: status list")
	}
	return res.MatchedCount == 1, nil
}

// addPending adds marker to a certificate's pending work.
func (s *Store) addPending(ctx context.Context, id, marker string, at time.Time) error {
	if err := s.locked(ctx, id, func() error {
		_, err := s.certs.UpdateOne(ctx, bson.M{"_id": id},
			bson.M{"$addToSet": bson.M{"pending": marker}, "$set": bson.M{"pendingAt": at}})
		return err
	}); err != nil {
		return database.Wrap(err, "certificates: pending")
	}
	return nil
}

// clearPending removes marker from a certificate whose state version is
// still stateVersion (any, when it is negative); false when its state
// changed meanwhile.
func (s *Store) clearPending(ctx context.Context, id, marker string, stateVersion int) (bool, error) {
	filter := bson.M{"_id": id}
	switch {
	case stateVersion == 0:
		filter["stateVersion"] = bson.M{"$exists": false}
	case stateVersion > 0:
		filter["stateVersion"] = stateVersion
	}
	var res *mongo.UpdateResult
	err := s.locked(ctx, id, func() (err error) {
		res, err = s.certs.UpdateOne(ctx, filter, bson.M{"$pull": bson.M{"pending": marker}})
		return err
	})
	if err != nil {
		return false, database.Wrap(err, "certificates: clear pending")
	}
	return res.MatchedCount == 1, nil
}

// withoutCredential lists the ids of certificates issued before
// credentials (the one-time backfill), a page at a time.
func (s *Store) withoutCredential(ctx context.Context, after string, limit int) ([]string, error) {
	filter := bson.M{"credential": bson.M{"$exists": false}}
	if after != "" {
		filter["_id"] = bson.M{"$gt": after}
	}
	cur, err := s.certs.Find(ctx, filter, options.Find().SetSort(bson.M{"_id": 1}).SetLimit(int64(limit)).
		SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, database.Wrap(err, "certificates: without credential")
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, database.Wrap(err, "certificates: without credential")
	}
	ids := make([]string, 0, len(docs))
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	return ids, nil
}

// backfillID names the document that records the credentials' backfill.
const backfillID = "backfill-done"

// backfillDone reports whether the credentials' backfill ran.
func (s *Store) backfillDone(ctx context.Context) (bool, error) {
	err := s.lists.FindOne(ctx, bson.M{"_id": backfillID}).Err()
	switch {
	case err == mongo.ErrNoDocuments:
		return false, nil
	case err != nil:
		return false, database.Wrap(err, "certificates: backfill")
	}
	return true, nil
}

// markBackfillDone records that the backfill ran.
func (s *Store) markBackfillDone(ctx context.Context) error {
	_, err := s.lists.InsertOne(ctx, bson.M{"_id": backfillID})
	if err != nil && !database.IsDuplicate(err) {
		return database.Wrap(err, "certificates: backfill")
	}
	return nil
}
