package profile

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"ardoise/internal/errkind"
)

// Limits on what people type.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
	MaxNameLen     = 100
	MaxEmailLen    = 254
)

var handleRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{2,29}$`)

// reservedHandles cannot be taken: they would confuse mentions or impersonate staff.
var reservedHandles = map[string]bool{
	"admin": true, "ardoise": true, "moderation": true, "support": true,
	"canope": true, "tous": true, "all": true, "everyone": true, "here": true,
}

// normalizeEmail checks an address and returns it trimmed and its lowercase key.
func normalizeEmail(v *errkind.ValidationError, field, s string) (string, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		v.Add(field, "required")
		return "", ""
	case len(s) > MaxEmailLen:
		v.Add(field, "too_long")
		return "", ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		v.Add(field, "bad_email")
		return "", ""
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.ContainsAny(s, " <>") {
		v.Add(field, "bad_email")
		return "", ""
	}
	return s, strings.ToLower(s)
}

func checkPassword(v *errkind.ValidationError, field, p string) {
	n := utf8.RuneCountInString(p)
	switch {
	case p == "":
		v.Add(field, "required")
	case n < MinPasswordLen:
		v.Add(field, "password_short")
	case len(p) > MaxPasswordLen:
		v.Add(field, "too_long")
	}
}

// cleanText trims a one-line text and checks its length and characters.
func cleanText(v *errkind.ValidationError, field, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "required")
		}
		return ""
	}
	if !utf8.ValidString(s) {
		v.Add(field, "bad_text")
		return ""
	}
	if utf8.RuneCountInString(s) > max {
		v.Add(field, "too_long")
		return ""
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			v.Add(field, "bad_text")
			return ""
		}
	}
	return s
}

// normalizeHandle checks a handle and returns it in lowercase.
func normalizeHandle(v *errkind.ValidationError, field, s string) string {
	h := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@"))
	if !handleRe.MatchString(h) {
		v.Add(field, "bad_handle")
		return ""
	}
	if reservedHandles[h] {
		v.Add(field, "taken")
		return ""
	}
	return h
}

// handleFrom derives a handle candidate from a name: "Anne-Marie Dupré" → "anne-marie-dupre".
func handleFrom(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range fold(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 24 {
			break
		}
	}
	h := strings.Trim(b.String(), "-")
	for len(h) < 3 {
		h += "x"
	}
	return h
}
