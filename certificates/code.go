package certificates

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// CodeAlphabet is the verification code's alphabet: digits and capitals
// without the look-alikes 0/O, 1/I/L, so a code read aloud or copied from
// paper comes out right.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the number of characters of a code: 31^10 ≈ 2^49.5, so a
// code cannot be guessed, and verification needs no other secret.
const CodeLength = 10

// CertificationPrefix starts a certification's code ("C-XXXXXXXX"), which
// has CertificationCodeLength random characters after it: 31^8 ≈ 2^39.6.
const (
	CertificationPrefix     = "C"
	CertificationCodeLength = 8
)

// NewCode returns a random verification code from crypto/rand, with
// rejection sampling so that every character is equally likely.
func NewCode() (string, error) { return newCode(CodeLength) }

// NewCertificationCode returns a random certification code in its stored
// form: CertificationPrefix and CertificationCodeLength characters.
func NewCertificationCode() (string, error) {
	c, err := newCode(CertificationCodeLength)
	return CertificationPrefix + c, err
}

// newCode returns length random characters of CodeAlphabet.
func newCode(length int) (string, error) {
	const n = len(CodeAlphabet)
	const limit = 256 - 256%n // bytes at or above limit would bias the modulo
	out := make([]byte, 0, length)
	buf := make([]byte, 2*length)
	for len(out) < length {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("certificates: random code: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, CodeAlphabet[int(b)%n])
			if len(out) == length {
				break
			}
		}
	}
	return string(out), nil
}

// NormalizeCode returns the stored form of a code as a person typed it:
// uppercased, without spaces and dashes. It reports false unless the result
// is CodeLength characters of CodeAlphabet (an attestation's), or
// CertificationPrefix and CertificationCodeLength of them (a
// certification's, "C-XXXXXXXX").
func NormalizeCode(s string) (string, bool) {
	if len(s) > 4*CodeLength {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r < 128 && strings.IndexByte(CodeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	out := b.String()
	if len(out) != CodeLength && !isCertificationCode(out) {
		return "", false
	}
	return out, true
}

// isCertificationCode reports whether a normalized code has the form of a
// certification's.
func isCertificationCode(code string) bool {
	return len(code) == len(CertificationPrefix)+CertificationCodeLength && strings.HasPrefix(code, CertificationPrefix)
}

// DisplayCode groups a code for reading: "ABCDE-FGHJK", or "C-XXXXXXXX"
// for a certification. Display only: the stored form has no dash.
func DisplayCode(code string) string {
	if isCertificationCode(code) {
		return CertificationPrefix + "-" + code[len(CertificationPrefix):]
	}
	if len(code) != CodeLength {
		return code
	}
	return code[:5] + "-" + code[5:]
}
