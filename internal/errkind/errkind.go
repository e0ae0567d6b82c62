// Package errkind holds the few error kinds every domain wraps, so that the
// web layer can map any error to one HTTP status in one place.
package errkind

import (
	"errors"
	"sort"
	"strings"
	"time"
)

var (
	// ErrNotFound means the thing asked for does not exist (HTTP 404).
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the caller may not do this (HTTP 403).
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means the caller must sign in first (HTTP 401).
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrConflict means the request clashes with stored state, such as a
	// duplicate email or a stale version (HTTP 409).
	ErrConflict = errors.New("conflict")
	// ErrInvalid means the input breaks a rule (HTTP 400 for the API, the
	// form again with messages for the web).
	ErrInvalid = errors.New("invalid input")
	// ErrUnavailable means a dependency (store, queue) does not answer (HTTP 503).
	ErrUnavailable = errors.New("unavailable")
)

// FieldError names a field and the rule it breaks. Code is a stable
// machine-readable rule name ("required", "too_long", "taken"…) that is also
// the key of the French message in the i18n catalog ("field.<code>").
type FieldError struct {
	Field string
	Code  string
}

// ValidationError lists every field that failed validation. It wraps ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the fields and rules, sorted, for logs.
func (v *ValidationError) Error() string {
	parts := make([]string, 0, len(v.Fields))
	for _, f := range v.Fields {
		parts = append(parts, f.Field+": "+f.Code)
	}
	sort.Strings(parts)
	return "invalid input: " + strings.Join(parts, ", ")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (v *ValidationError) Unwrap() error { return ErrInvalid }

// Add records that field breaks rule code.
func (v *ValidationError) Add(field, code string) {
	v.Fields = append(v.Fields, FieldError{Field: field, Code: code})
}

// Has reports whether field already has an error.
func (v *ValidationError) Has(field string) bool {
	for _, f := range v.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when no field failed, the ValidationError otherwise.
func (v *ValidationError) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return v
}

// Invalid returns a ValidationError for a single field.
func Invalid(field, code string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code}}}
}

// RateLimitedError says the caller must wait before trying again (HTTP 429).
type RateLimitedError struct {
	RetryAfter time.Duration
}

// Error says how long to wait.
func (r *RateLimitedError) Error() string {
	return "rate limited: retry after " + r.RetryAfter.Round(time.Second).String()
}

// IsNotFound reports whether err wraps ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// RefusedError says a well-formed request is refused by a rule about the
// caller (a new account's limits, a repeated post): HTTP 422 with Code as
// the error code, e.g. "duplicate_post" or "trust_links".
type RefusedError struct {
	Code string
}

// Error names the rule.
func (r *RefusedError) Error() string { return "refused: " + r.Code }

// Retryable reports whether an operation that failed with err may succeed
// if run again unchanged, as the worker runs a failed task again: a lock
// held past its wait (ErrConflict) or a store that did not answer
// (ErrUnavailable).
func Retryable(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrUnavailable)
}
