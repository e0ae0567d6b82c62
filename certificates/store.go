package certificates

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// HolderLimit caps the certificates listed for one holder.
const HolderLimit = 200

// codeAttempts bounds the retries after a duplicate code, which needs a
// collision of about 2^-49 per existing certificate.
const codeAttempts = 5

// Store keeps certificate records and their PDFs.
type Store struct {
	certs, pdfs *mongo.Collection
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{certs: db.Collection(Collection), pdfs: db.Collection(PDFCollection)}
}

type pdfDoc struct {
	ID        string    `bson:"_id"` // the certificate's id
	HolderID  string    `bson:"holderId"`
	Data      []byte    `bson:"data"`
	CreatedAt time.Time `bson:"createdAt"`
}

// errCodeTaken means the insert lost on the code, not on the id.
var errCodeTaken = errors.New("certificates: code taken")

// claim inserts c, claiming its id. When a certificate with that id already
// exists, claim returns it and created is false. A duplicate code (the id
// being free) gets a new code and another try.
func (s *Store) claim(ctx context.Context, c *Certificate) (got *Certificate, created bool, err error) {
	for range codeAttempts {
		if c.Code, err = NewCode(); err != nil {
			return nil, false, err
		}
		_, err = s.certs.InsertOne(ctx, c)
		if err == nil {
			return c, true, nil
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
		err = errCodeTaken
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

// ByCode returns a certificate by its normalized code, in one query.
func (s *Store) ByCode(ctx context.Context, code string) (*Certificate, error) {
	var c Certificate
	if err := s.certs.FindOne(ctx, bson.M{"code": code}).Decode(&c); err != nil {
		return nil, database.Wrap(err, "certificates: by code")
	}
	return &c, nil
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
	update["$set"] = set
	res, err := s.certs.UpdateOne(ctx, bson.M{"_id": id, "revoked": !revoked}, update)
	if err != nil {
		return false, database.Wrap(err, "certificates: change state")
	}
	return res.MatchedCount == 1, nil
}

// markMailed records that the holder was notified.
func (s *Store) markMailed(ctx context.Context, id string, at time.Time) error {
	if _, err := s.certs.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"mailedAt": at}}); err != nil {
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
