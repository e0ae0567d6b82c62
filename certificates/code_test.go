package certificates_test

import (
	"strings"
	"testing"

	"ardoise/certificates"
)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 10000 {
		c, err := certificates.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != certificates.CodeLength {
			t.Fatalf("code %q: length %d", c, len(c))
		}
		for _, r := range c {
			if !strings.ContainsRune(certificates.CodeAlphabet, r) {
				t.Fatalf("code %q: %q not in the alphabet", c, r)
			}
			counts[r]++
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice", c)
		}
		seen[c] = true
		if n, ok := certificates.NormalizeCode(c); !ok || n != c {
			t.Fatalf("NormalizeCode(%q) = %q, %v", c, n, ok)
		}
	}
	for _, r := range "0O1IL" {
		if strings.ContainsRune(certificates.CodeAlphabet, r) {
			t.Errorf("alphabet has the look-alike %q", r)
		}
	}
	// 100,000 characters over 31 symbols: about 3,226 each; a modulo bias
	// or a stuck symbol would be far outside ±20 %.
	if len(counts) != len(certificates.CodeAlphabet) {
		t.Errorf("only %d symbols used", len(counts))
	}
	for r, n := range counts {
		if n < 2580 || n > 3870 {
			t.Errorf("symbol %q drawn %d times", r, n)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"abcde-fghjk":         "ABCDEFGHJK",
		"ABCDE FGHJK":         "ABCDEFGHJK",
		" 23456-789ab ":       "23456789AB",
		"a-b-c-d-e-f-g-h-j-k": "ABCDEFGHJK",
	} {
		if got, ok := certificates.NormalizeCode(in); !ok || got != want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "ABCDE", "ABCDEFGHJKM", "ABCDE-FGHJ0", "ABCDEFGHJI", "OBCDEFGHJK", "abcde_fghjk", "ABCDÉFGHJK", "ABCDE/FGHJ", strings.Repeat("-", 100) + "ABCDEFGHJK"} {
		if got, ok := certificates.NormalizeCode(in); ok {
			t.Errorf("NormalizeCode(%q) = %q, accepted", in, got)
		}
	}
	if got := certificates.DisplayCode("ABCDEFGHJK"); got != "ABCDE-FGHJK" {
		t.Errorf("DisplayCode = %q", got)
	}
}
