package certification

import (
	"strings"
	"testing"
)

const codeDraws = 10000

// checkDraws draws n codes and checks each against its positions'
// alphabets; it returns how often each symbol was seen per alphabet.
func checkDraws(t *testing.T, draw func() string, positions []string) map[string]map[rune]int {
	t.Helper()
	seen := map[string]map[rune]int{}
	for _, a := range positions {
		seen[a] = map[rune]int{}
	}
	for range codeDraws {
		c := draw()
		if len(c) != len(positions) {
			t.Fatalf("code %q: length %d, want %d", c, len(c), len(positions))
		}
		for i, r := range c {
			if !strings.ContainsRune(positions[i], r) {
				t.Fatalf("code %q: %q at %d is not in %q", c, r, i, positions[i])
			}
			seen[positions[i]][r]++
		}
	}
	return seen
}

// checkUniform fails if a symbol never appeared or is far off its
// expected count. Bounds are at least 8 standard deviations wide (the
// expected count is 1,300 or more, its deviation under 40), so a fair
// generator fails with a probability below 1e-14.
func checkUniform(t *testing.T, seen map[string]map[rune]int, draws map[string]int) {
	t.Helper()
	for alphabet, counts := range seen {
		expected := float64(draws[alphabet]) / float64(len(alphabet))
		for _, r := range alphabet {
			n := float64(counts[r])
			if n < expected*0.75 || n > expected*1.25 {
				t.Errorf("alphabet %q: %q drawn %v times, expected about %v", alphabet, r, n, expected)
			}
		}
	}
}

func TestNewAccessCode(t *testing.T) {
	L, D := accessCodeLetters, accessCodeDigits
	if len(L) != 24 || strings.ContainsAny(L, "IO") || len(D) != 8 || strings.ContainsAny(D, "01") {
		t.Fatalf("alphabets %q %q", L, D)
	}
	seen := checkDraws(t, NewAccessCode, []string{L, L, L, L, D, D})
	checkUniform(t, seen, map[string]int{L: 4 * codeDraws, D: 2 * codeDraws})
}

func TestNewInvigilatorPassword(t *testing.T) {
	A := invigilatorPasswordSet
	if len(A) != 25 || strings.ContainsAny(A, "0O1IL5S2Z8Babcdefghijklmnopqrstuvwxyz") {
		t.Fatalf("alphabet %q", A)
	}
	seen := checkDraws(t, NewInvigilatorPassword, []string{A, A, A, A, A, A})
	checkUniform(t, seen, map[string]int{A: 6 * codeDraws})
}

func TestCodesDiffer(t *testing.T) {
	codes := map[string]bool{}
	for range 1000 {
		codes[NewAccessCode()] = true
	}
	// 1,000 draws among 21 million codes: a handful of collisions at most.
	if len(codes) < 990 {
		t.Errorf("%d distinct codes in 1000 draws", len(codes))
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"kxqb47":        "KXQB47",
		" kxqb-47 ":     "KXQB47",
		"KX QB\u00a047": "KXQB47",
		"kx–qb—47\t":    "KXQB47",
		"":              "",
	} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}
