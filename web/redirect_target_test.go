package web

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// escapes reports whether a browser following Location: target from
// https://ardoise.test/connexion would leave the site, or whether the
// target could break out of its header. It reads the target as browsers do:
// tabs and newlines removed, backslashes taken for slashes.
func escapes(target string) bool {
	for i := 0; i < len(target); i++ {
		if c := target[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return true
		}
	}
	base, _ := url.Parse("https://ardoise.test/connexion")
	for _, s := range []string{target, strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(target)} {
		u, err := url.Parse(s)
		if err != nil {
			return true
		}
		r := base.ResolveReference(u)
		if r.Scheme != "https" || r.Host != "ardoise.test" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
			return true
		}
		if d, err := url.PathUnescape(s); err != nil || strings.Contains(d, "//") || strings.Contains(d, `\`) {
			return true
		}
	}
	return false
}

func TestLocalTargetRefuses(t *testing.T) {
	for _, s := range []string{
		"", "profil", "https://evil.example/", "//evil.example", "/\\evil.example", "/%5Cevil.example",
		"/\t/evil.example", "/%09/127.0.0.1:18668/x", "/\r\nSet-Cookie: ardoise_session=x",
		"/%0d%0aSet-Cookie:%20ardoise_session=x", "/a//b", "/%2F/evil.example", "/%2f%2fevil.example",
		"/\x7f", "/\u0085x", "/%C2%85", "/\xff", "/%ff", "/%zz", "/" + strings.Repeat("a", 600),
	} {
		if got := localTarget(s, "/fallback"); got != "/fallback" {
			t.Errorf("localTarget(%q) = %q, want the fallback", s, got)
		}
	}
	for s, want := range map[string]string{
		"/profil": "/profil", "/modules/x?p=2#q": "/modules/x?p=2#q", "/communautes/recherche?q=%C3%A9co": "/communautes/recherche?q=%C3%A9co",
		"/recherche?q=éco": "/recherche?q=%C3%A9co", "/": "/",
	} {
		if got := localTarget(s, "/fallback"); got != want {
			t.Errorf("localTarget(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestLocalTargetProperty: whatever bytes come in, what comes out is the
// fallback or a target that stays on the site and in its header.
func TestLocalTargetProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("/\\%.:@?#&=;aZ09\t\r\n \x00\x7f\x85\xc2\xe2\x80\xae0dDaA2fF5cC")
	for i := 0; i < 200000; i++ {
		n := rng.IntN(12)
		b := make([]byte, n)
		for j := range b {
			if rng.IntN(4) == 0 {
				b[j] = byte(rng.IntN(256))
			} else {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		s := string(b)
		if rng.IntN(2) == 0 {
			s = "/" + s
		}
		if got := localTarget(s, "/profil"); escapes(got) {
			t.Fatalf("localTarget(%q) = %q escapes the site", s, got)
		}
	}
}

func FuzzLocalTarget(f *testing.F) {
	for _, s := range []string{"/profil", "//x", "/\\x", "/%09/x", "/%0d%0aA: b", "/é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := localTarget(s, "/profil"); escapes(got) {
			t.Fatalf("localTarget(%q) = %q escapes the site", s, got)
		}
	})
}
