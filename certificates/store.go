package certificates

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// HolderLimit caps the certificates listed for one holder.
const HolderLimit = 200

// codeAttempts bounds the retries after a duplicate code, which needs a
// collision of about 2^-49 per existing certificate.
const codeAttempts = 5

// Store keeps certificate records, their codes and their PDFs.
type Store struct {
	certs, codes, pdfs *mongo.Collection
	keys, lists, slots *mongo.Collection
	// locks serialize the updates of one certificate (nil: none, for
	// tests of a single writer).
	locks *claim.Claims
}

// lockTTL bounds how long a certificate's lock is held.
const lockTTL = 10 * time.Second

// locked runs write under the certificate's lock: FerretDB 1.24 runs an
// update as a read then a write of the whole document, so two concurrent
// updates of one certificate (an admin's revocation and the worker's
// marker) could lose one.
func (s *Store) locked(ctx context.Context, id string, write func() error) error {
	if s.locks == nil {
		return write()
	}
	release, err := s.locks.Lock(ctx, "certificate:"+id, lockTTL)
	if err != nil {
		return err
	}
	defer release()
	return write()
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{certs: db.Collection(Collection), codes: db.Collection(CodesCollection), pdfs: db.Collection(PDFCollection),
		keys: db.Collection(KeysCollection), lists: db.Collection(StatusListsCollection), slots: db.Collection(StatusSlotsCollection)}
}

type pdfDoc struct {
	ID        string    `bson:"_id"` // the certificate's id
	HolderID  string    `bson:"holderId"`
	Data      []byte    `bson:"data"`
	CreatedAt time.Time `bson:"createdAt"`
}

// errCodeTaken means the insert lost on the code, not on the id.
var errCodeTaken = errors.New("certificates: code taken")

// codeDoc is a code's entry: _id the code, and the certificate it names.
type codeDoc struct {
	ID            string `bson:"_id"`
	CertificateID string `bson:"certificateId"`
}

// claim inserts c, claiming a new code (its code document) then its id.
// When a certificate with that id already exists, claim returns it and
// created is false (and gives the code back). A code taken gets a new code
// and another try. A crash between the two inserts leaves a code that
// names no certificate: verification answers 404 for it.
func (s *Store) claim(ctx context.Context, c *Certificate) (got *Certificate, created bool, err error) {
	for range codeAttempts {
		if c.Kind == KindCertification {
			c.Code, err = NewCertificationCode()
		} else {
			c.Code, err = NewCode()
		}
		if err != nil {
			return nil, false, err
		}
		if _, err = s.codes.InsertOne(ctx, codeDoc{ID: c.Code, CertificateID: c.ID}); database.IsDuplicate(err) {
			err = errCodeTaken
			continue
		} else if err != nil {
			return nil, false, database.Wrap(err, "certificates: claim code")
		}
		_, err = s.certs.InsertOne(ctx, c)
		if err == nil {
			return c, true, nil
		}
		if _, derr := s.codes.DeleteOne(ctx, bson.M{"_id": c.Code}); derr != nil {
			return nil, false, database.Wrap(derr, "certificates: give the code back")
		}
		if !database.IsDuplicate(err) {
			return nil, false, database.Wrap(err, "certificates: insert")
		}
		// Which key? Only the id's owner tells: read it.
		existing, rerr := s.ByID(ctx, c.ID)
		if rerr == nil {
			return existing, false, nil
		}
		if !errkind.IsNotFound(rerr) {
			return nil, false, rerr
		}
		err = errCodeTaken // a certificate from before code documents has it
	}
	return nil, false, fmt.Errorf("certificates: %d duplicate codes in a row: %w", codeAttempts, err)
}

// ByID returns a certificate by id.
func (s *Store) ByID(ctx context.Context, id string) (*Certificate, error) {
	var c Certificate
	if err := s.certs.FindOne(ctx, bson.M{"_id": id}).Decode(&c); err != nil {
		return nil, database.Wrap(err, "certificates: by id")
	}
	return &c, nil
}

// ByCode returns a certificate by its normalized code: its code document,
// then the certificate, both by _id (FerretDB over SQLite pushes nothing
// else down).
func (s *Store) ByCode(ctx context.Context, code string) (*Certificate, error) {
	var d codeDoc
	if err := s.codes.FindOne(ctx, bson.M{"_id": code}).Decode(&d); err != nil {
		return nil, database.Wrap(err, "certificates: by code")
	}
	c, err := s.ByID(ctx, d.CertificateID)
	if err != nil {
		return nil, err
	}
	if c.Code != code { // a code given back after a lost race, taken by no one since
		return nil, fmt.Errorf("certificates: code %s: %w", code, errkind.ErrNotFound)
	}
	return c, nil
}

// codesIndexed is the _id of the document that says every certificate has
// its code document (not a code: "~" is not in CodeAlphabet).
const codesIndexed = "~indexed"

// IndexCodes gives every certificate from before code documents its own,
// once: a later start finds codesIndexed and does nothing. Idempotent, and
// safe beside issuing (a code document already there is skipped).
func (s *Store) IndexCodes(ctx context.Context) (int, error) {
	if err := s.codes.FindOne(ctx, bson.M{"_id": codesIndexed}).Err(); err == nil {
		return 0, nil
	} else if !errors.Is(err, mongo.ErrNoDocuments) {
		return 0, database.Wrap(err, "certificates: codes indexed")
	}
	certs, err := database.FindAll[Certificate](ctx, "certificates: codes to index", s.certs, bson.M{},
		options.Find().SetProjection(bson.M{"code": 1}))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range certs {
		_, err := s.codes.InsertOne(ctx, codeDoc{ID: c.Code, CertificateID: c.ID})
		if err != nil && !database.IsDuplicate(err) {
			return n, database.Wrap(err, "certificates: index code")
		}
		if err == nil {
			n++
		}
	}
	if _, err := s.codes.InsertOne(ctx, bson.M{"_id": codesIndexed}); err != nil && !database.IsDuplicate(err) {
		return n, database.Wrap(err, "certificates: codes indexed")
	}
	return n, nil
}

// ByHolder lists a holder's certificates, newest first, at most HolderLimit.
func (s *Store) ByHolder(ctx context.Context, holderID string) ([]Certificate, error) {
	out, err := database.FindAll[Certificate](ctx, "certificates: by holder", s.certs, bson.M{"holderId": holderID},
		options.Find().SetSort(bson.D{{Key: "issuedAt", Value: -1}}).SetLimit(HolderLimit))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// setState changes the revoked state of a certificate whose current state
// is the opposite, and appends ev to its history, in one single-document
// update. It reports false when no certificate was in the expected state.
//
// The filter guards against a concurrent change on MongoDB; on FerretDB
// 1.24 an update is a read then a write, so two simultaneous admin actions
// may both record an event. The final state is the same either way.
func (s *Store) setState(ctx context.Context, id string, revoked bool, ev Event) (bool, error) {
	set := bson.M{"revoked": revoked}
	update := bson.M{"$push": bson.M{"history": ev}}
	if revoked {
		set["revokedAt"], set["revokedReason"], set["revokedBy"] = ev.At, ev.Reason, ev.By
	} else {
		update["$unset"] = bson.M{"revokedAt": "", "revokedReason": "", "revokedBy": ""}
	}
	set["pendingAt"] = ev.At
	update["$set"] = set
	// The credential's status bit follows, through the outbox.
	update["$inc"] = bson.M{"stateVersion": 1}
	update["$addToSet"] = bson.M{"pending": markerStatus}
	var res *mongo.UpdateResult
	err := s.locked(ctx, id, func() (err error) {
		res, err = s.certs.UpdateOne(ctx, bson.M{"_id": id, "revoked": !revoked}, update)
		return err
	})
	if err != nil {
		return false, database.Wrap(err, "certificates: change state")
	}
	return res.MatchedCount == 1, nil
}

// markMailed records that the holder was notified.
func (s *Store) markMailed(ctx context.Context, id string, at time.Time) error {
	if err := s.locked(ctx, id, func() error {
		_, err := s.certs.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"mailedAt": at}})
		return err
	}); err != nil {
		return database.Wrap(err, "certificates: mark mailed")
	}
	return nil
}

// PDF returns a certificate's stored PDF.
func (s *Store) PDF(ctx context.Context, id string) ([]byte, error) {
	var d pdfDoc
	if err := s.pdfs.FindOne(ctx, bson.M{"_id": id}).Decode(&d); err != nil {
		return nil, database.Wrap(err, "certificates: pdf")
	}
	return d.Data, nil
}

// putPDF stores a certificate's PDF unless one is stored already: the first
// stays, so a concurrent regeneration changes nothing.
func (s *Store) putPDF(ctx context.Context, c *Certificate, data []byte, at time.Time) error {
	_, err := s.pdfs.UpdateOne(ctx, bson.M{"_id": c.ID},
		bson.M{"$setOnInsert": pdfDoc{ID: c.ID, HolderID: c.HolderID, Data: data, CreatedAt: at}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !database.IsDuplicate(err) { // a concurrent upsert-insert won: same content
		return database.Wrap(err, "certificates: store pdf")
	}
	return nil
}

// anonymize removes a holder's PDFs and replaces their name in the records.
func (s *Store) anonymize(ctx context.Context, holderID string) error {
	if _, err := s.pdfs.DeleteMany(ctx, bson.M{"holderId": holderID}); err != nil {
		return database.Wrap(err, "certificates: delete pdfs")
	}
	if _, err := s.certs.UpdateMany(ctx, bson.M{"holderId": holderID}, bson.M{"$set": bson.M{"holderName": DeletedName}}); err != nil {
		return database.Wrap(err, "certificates: anonymize")
	}
	return nil
}
