package web

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxTarget bounds the length of a redirect target.
const maxTarget = 512

// localTarget keeps a redirect on this site. It accepts only a clean
// relative path: one leading "/", no "//", no "\", no control character
// (below 0x20, 0x7f to 0x9f), valid UTF-8, and the same once percent-decoded,
// so that neither the browser's URL parser nor a second decoding can turn it
// into another origin or a header. Anything else gives fallback. Non-ASCII
// characters are percent-encoded, so the Location header carries ASCII only.
func localTarget(s, fallback string) string {
	if len(s) > maxTarget || !cleanPath(s) {
		return fallback
	}
	if decoded, err := url.PathUnescape(s); err != nil || !cleanPath(decoded) {
		return fallback
	}
	return asciiTarget(s)
}

// cleanPath reports whether s is a path on this site by the rules of localTarget.
func cleanPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.Contains(s, "//") || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\\' {
			return false
		}
	}
	return true
}

// asciiTarget percent-encodes the bytes of s above 0x7e.
func asciiTarget(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x7f {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}
