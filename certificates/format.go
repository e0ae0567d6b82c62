package certificates

import (
	"strconv"
	"time"

	"ardoise/internal/clock"
	"ardoise/internal/i18n"
)

// formatDate writes a date in words: "29 novembre 2026" in French.
func formatDate(cat *i18n.Catalog, lang string, t time.Time) string {
	t = t.In(clock.Paris()) // the dates printed on attestations
	return cat.T(lang, "cert.date", "day", t.Day(),
		"month", cat.T(lang, "cert.month."+strconv.Itoa(int(t.Month()))), "year", t.Year())
}

// formatDuration writes minutes as "3 h 30", "3 h" or "45 min".
func formatDuration(cat *i18n.Catalog, lang string, minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return cat.T(lang, "cert.duration.m", "m", m)
	case m == 0:
		return cat.T(lang, "cert.duration.h", "h", h)
	}
	mm := strconv.Itoa(m)
	if m < 10 {
		mm = "0" + mm
	}
	return cat.T(lang, "cert.duration.hm", "h", h, "m", mm)
}

// natureLabel names a training's nature.
func natureLabel(cat *i18n.Catalog, lang, nature string) string {
	switch nature {
	case NatureDistance, NatureHybrid, NatureSession:
		return cat.T(lang, "cert.nature."+nature)
	}
	return nature
}
