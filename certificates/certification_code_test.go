package certificates_test

import (
	"strings"
	"testing"

	"ardoise/certificates"
)

// TestCertificationCodes: a certification's code is "C-" and 8 characters
// of the alphabet; verification accepts it typed in any case, with or
// without its dash, beside the attestations' 10 characters.
func TestCertificationCodes(t *testing.T) {
	for range 200 {
		c, err := certificates.NewCertificationCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != 9 || c[0] != 'C' || strings.Trim(c, certificates.CodeAlphabet) != "" {
			t.Fatalf("code %q", c)
		}
		shown := certificates.DisplayCode(c)
		if shown != "C-"+c[1:] {
			t.Fatalf("DisplayCode(%q) = %q", c, shown)
		}
		if n, ok := certificates.NormalizeCode(strings.ToLower(shown)); !ok || n != c {
			t.Fatalf("NormalizeCode(%q) = %q, %v", shown, n, ok)
		}
	}
	for _, bad := range []string{"C-ABCDEFG", "D-ABCDEFGH", "C-ABCDEFG0"} {
		if n, ok := certificates.NormalizeCode(bad); ok {
			t.Errorf("NormalizeCode(%q) = %q, accepted", bad, n)
		}
	}
}
