package database

import (
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"ardoise/internal/errkind"
)

// Wrap prefixes a store error with the operation; a missing document
// becomes errkind.ErrNotFound, so no caller sees mongo.ErrNoDocuments.
func Wrap(err error, op string) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%s: %w", op, errkind.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", op, err)
}
