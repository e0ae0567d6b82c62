package certification

import (
	"crypto/rand"
	"strings"
	"unicode"
)

// Alphabets of the codes. Access codes drop I and O (read as 1 and 0) and
// the digits 0 and 1; invigilator passwords drop every look-alike pair
// (0/O, 1/I/L, 5/S, 2/Z, 8/B).
const (
	accessCodeLetters      = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	accessCodeDigits       = "23456789"
	invigilatorPasswordSet = "ACDEFGHJKMNPQRTUVWXY34679"
	invigilatorPasswordLen = 6
)

// NewAccessCode returns a fresh candidate access code: four upper-case
// letters then two digits, such as "KXQB47", drawn from crypto/rand.
func NewAccessCode() string {
	return randomString(accessCodeLetters, 4) + randomString(accessCodeDigits, 2)
}

// NewInvigilatorPassword returns a fresh six-character invigilator password
// drawn from crypto/rand over an alphabet without look-alike characters.
func NewInvigilatorPassword() string {
	return randomString(invigilatorPasswordSet, invigilatorPasswordLen)
}

// NormalizeCode returns a code as the user typed it in the form it is
// stored: upper-case, without spaces or hyphens (any dash).
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '\u2212' {
			return -1
		}
		return r
	}, strings.ToUpper(s))
}

// randomString draws n characters uniformly from alphabet (ASCII, fewer
// than 256 characters). Bytes at or above the largest multiple of the
// alphabet's length are rejected, so the modulo leaves no bias.
func randomString(alphabet string, n int) string {
	size := len(alphabet)
	limit := 256 - 256%size
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		// crypto/rand.Read never fails (Go 1.24+): it crashes the program
		// rather than return a short read.
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%size])
			}
		}
	}
	return string(out)
}
