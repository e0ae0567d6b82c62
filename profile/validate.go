package profile

import (
	"net/mail"
	"regexp"
	"strings"
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
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsFunc(s, func(r rune) bool { return control(r) || invisible(r) }) {
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

// cleanText trims a one-line text and checks its length and characters: no
// control character (so no line break: it may end up in a mail header), no
// invisible or bidirectional-control character.
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
		if control(r) {
			v.Add(field, "bad_text")
			return ""
		}
	}
	for _, r := range s {
		if invisible(r) {
			v.Add(field, "invisible_char")
			return ""
		}
	}
	return s
}

// cleanName is cleanText for a person's name or display name, which must
// also not mix scripts within one word.
func cleanName(v *errkind.ValidationError, field, s string, required bool, max int) string {
	s = cleanText(v, field, s, required, max)
	if s != "" && !checkName(v, field, s) {
		return ""
	}
	return s
}

// reservedSkeletons are the skeletons of the reserved handles, so that
// "adrnin" is as reserved as "admin".
var reservedSkeletons = func() map[string]bool {
	m := map[string]bool{}
	for h := range reservedHandles {
		m[handleSkeleton(h)] = true
	}
	return m
}()

// normalizeHandle checks a handle and returns it in lowercase. A handle is
// a few ASCII letters, digits, "-" and "_": no invisible, bidirectional or
// look-alike character from another script can get in.
func normalizeHandle(v *errkind.ValidationError, field, s string) string {
	h := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@"))
	if !handleRe.MatchString(h) {
		v.Add(field, "bad_handle")
		return ""
	}
	if reservedHandles[h] || reservedSkeletons[handleSkeleton(h)] {
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
