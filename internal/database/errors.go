package database

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"ardoise/internal/errkind"
)

// Wrap prefixes a store error with the operation; a missing document
// becomes errkind.ErrNotFound, so no caller sees mongo.ErrNoDocuments,
// and a store that did not answer becomes errkind.ErrUnavailable (503, and
// a task runs again), its cause kept.
func Wrap(err error, op string) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%s: %w", op, errkind.ErrNotFound)
	}
	if unanswered(err) {
		return fmt.Errorf("%s: %w: %w", op, errkind.ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// unanswered reports whether err says the store, or the database behind
// FerretDB, did not answer: a network error between us and the store, or
// FerretDB's InternalError for a timed-out read on its PostgreSQL
// connection ("timeout: read tcp …: i/o timeout", seen under load in CI).
// The write it interrupted is rolled back or done whole, never half done:
// running it again is safe where the write is (every task is).
func unanswered(err error) bool {
	if mongo.IsNetworkError(err) {
		return true
	}
	var ce mongo.CommandError
	return errors.As(err, &ce) && ce.Name == "InternalError" && strings.Contains(ce.Message, "timeout: ")
}
