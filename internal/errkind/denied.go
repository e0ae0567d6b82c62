package errkind

// DeniedError says the caller may not do this yet for a stated reason they
// can fix (an unverified address): HTTP 403 with Code as the error code,
// e.g. "email_unverified". It wraps ErrForbidden.
type DeniedError struct {
	Code string
}

// Error names the reason.
func (d *DeniedError) Error() string { return "forbidden: " + d.Code }

// Unwrap makes errors.Is(err, ErrForbidden) true.
func (d *DeniedError) Unwrap() error { return ErrForbidden }

// CodeEmailUnverified is the reason of a DeniedError for an account whose
// address is not verified yet (enrolling, posting, previewing).
const CodeEmailUnverified = "email_unverified"

// EmailUnverified is the error of an action that needs a verified address.
func EmailUnverified() error { return &DeniedError{Code: CodeEmailUnverified} }
