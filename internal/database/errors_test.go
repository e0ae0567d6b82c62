package database

import (
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"ardoise/internal/errkind"
)

// TestWrapClassifies: a missing document is not found; FerretDB's timed-out
// PostgreSQL read is unavailable, with its cause kept; other server errors
// stay what they are.
func TestWrapClassifies(t *testing.T) {
	if err := Wrap(mongo.ErrNoDocuments, "x"); !errors.Is(err, errkind.ErrNotFound) {
		t.Errorf("no documents: %v", err)
	}
	timeout := mongo.CommandError{Code: 1, Name: "InternalError",
		Message: "[msg_update.go:133 handler.(*Handler).updateDocument] timeout: read tcp 127.0.0.1:51568->127.0.0.1:5432: i/o timeout"}
	err := Wrap(timeout, "courses: hours list head")
	var ce mongo.CommandError
	if !errors.Is(err, errkind.ErrUnavailable) || !errkind.Retryable(err) || !errors.As(err, &ce) {
		t.Errorf("backend timeout: %v", err)
	}
	other := mongo.CommandError{Code: 1, Name: "InternalError", Message: "[x.go:1 f] something else"}
	if err := Wrap(other, "x"); errors.Is(err, errkind.ErrUnavailable) || errkind.Retryable(err) {
		t.Errorf("another internal error: %v", err)
	}
	dup := mongo.CommandError{Code: 11000, Name: "DuplicateKey", Message: "timeout: in a key"}
	if err := Wrap(dup, "x"); errors.Is(err, errkind.ErrUnavailable) {
		t.Errorf("a duplicate key: %v", err)
	}
}
