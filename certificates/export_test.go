package certificates

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
)

// Store methods for this package's tests only.

// CountBySource counts the certificate records of a source: one at most,
// however many times it is issued.
func (s *Store) CountBySource(ctx context.Context, sourceID string) (int64, error) {
	n, err := s.certs.CountDocuments(ctx, bson.M{"sourceId": sourceID})
	if err != nil {
		return 0, database.Wrap(err, "certificates: count by source")
	}
	return n, nil
}

// LosePDF deletes the stored PDF of certificate id, as a lost file would be.
func (s *Store) LosePDF(ctx context.Context, id string) error {
	if _, err := s.pdfs.DeleteOne(ctx, bson.M{"_id": id}); err != nil {
		return database.Wrap(err, "certificates: delete pdf")
	}
	return nil
}

// ForgetCodes deletes every code document, as before they existed: the
// certificates keep their codes.
func (s *Store) ForgetCodes(ctx context.Context) error {
	if _, err := s.codes.DeleteMany(ctx, bson.M{}); err != nil {
		return database.Wrap(err, "certificates: forget codes")
	}
	return nil
}

// CountCodes counts the code documents (the marker of IndexCodes apart).
func (s *Store) CountCodes(ctx context.Context) (int64, error) {
	n, err := s.codes.CountDocuments(ctx, bson.M{"_id": bson.M{"$ne": codesIndexed}})
	if err != nil {
		return 0, database.Wrap(err, "certificates: count codes")
	}
	return n, nil
}

// SignForTest signs any payload as the service signs credentials.
func (s *Service) SignForTest(ctx context.Context, payload any) (string, error) {
	return s.sign(ctx, payload)
}

// ReplaceJWTForTest replaces a certificate's stored credential, as an
// altered store would hold it.
func (s *Service) ReplaceJWTForTest(ctx context.Context, id, jwt string) error {
	_, err := s.store.certs.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"credential.jwt": jwt}})
	return err
}
