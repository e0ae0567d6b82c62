package campaigns

import "crypto/rand"

// CodeAlphabet holds the characters of a campaign code: capitals and
// digits without those read alike (0/O, 1/I/L, 5/S, 2/Z, 8/B), so a code
// read aloud or copied from paper is typed right. 25 characters.
const CodeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// CodeLength is the number of characters of a code: 25⁸ ≈ 1.5 × 10¹¹
// codes, so guessing one at random takes billions of tries.
const CodeLength = 8

// newCode draws a code from crypto/rand, without modulo bias (a byte is
// kept only below the largest multiple of the alphabet's size).
func newCode() string {
	const n = len(CodeAlphabet)
	limit := 256 - 256%n
	out := make([]byte, 0, CodeLength)
	buf := make([]byte, 2*CodeLength)
	for len(out) < CodeLength {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < CodeLength {
				out = append(out, CodeAlphabet[int(b)%n])
			}
		}
	}
	return string(out)
}

// NormalizeCode reads a code as a person may type it: lower case, spaces
// and dashes are accepted.
func NormalizeCode(s string) string {
	out := make([]byte, 0, CodeLength)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
		case c == ' ' || c == '-' || c == '\t':
		default:
			out = append(out, c)
		}
	}
	return string(out)
}
