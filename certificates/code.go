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

// NewCode returns a random verification code from crypto/rand, with
// rejection sampling so that every character is equally likely.
func NewCode() (string, error) {
	const n = len(CodeAlphabet)
	const limit = 256 - 256%n // bytes at or above limit would bias the modulo
	out := make([]byte, 0, CodeLength)
	buf := make([]byte, 2*CodeLength)
	for len(out) < CodeLength {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("certificates: random code: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, CodeAlphabet[int(b)%n])
			if len(out) == CodeLength {
				break
			}
		}
	}
	return string(out), nil
}

// NormalizeCode returns the stored form of a code as a person typed it:
// uppercased, without spaces and dashes. It reports false unless the result
// is CodeLength characters of CodeAlphabet.
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
	if b.Len() != CodeLength {
		return "", false
	}
	return b.String(), true
}

// DisplayCode groups a code for reading: "ABCDE-FGHJK". Display only: the
// stored form has no dash.
func DisplayCode(code string) string {
	if len(code) != CodeLength {
		return code
	}
	return code[:5] + "-" + code[5:]
}
