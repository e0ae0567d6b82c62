package profile

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
)

// invisible reports characters that change how a text reads without being
// seen: bidirectional controls (U+202A–202E, U+2066–2069, U+200E/200F,
// U+061C), zero-width and other format characters (U+200B–200D, U+2060,
// U+FEFF, the soft hyphen: all of category Cf), line and paragraph
// separators, private-use characters, variation selectors, the combining
// grapheme joiner and the blank-looking fillers (Hangul, Braille).
func invisible(r rune) bool {
	switch {
	case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Variation_Selector):
		return true
	case r == 0x034F, r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, r == 0x2800, r == 0x180E:
		return true
	}
	return false
}

// control reports C0 and C1 control characters (below U+0020, U+007F–U+009F):
// a single-line field never holds one.
func control(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// scriptSet is a set of scripts, as UTS #39 resolves them: Han belongs to
// the Japanese, Korean and Chinese writing systems, kana to Japanese, Hangul
// to Korean, Bopomofo to Chinese, so that a Japanese name mixing kanji and
// kana is one script.
type scriptSet map[string]bool

// scriptsOf returns the resolved scripts of r, or nil for Common and
// Inherited characters (digits, punctuation, combining accents), which mix
// with anything.
func scriptsOf(r rune) scriptSet {
	switch {
	case r < 0x80 && !unicode.IsLetter(r):
		return nil
	case unicode.Is(unicode.Latin, r):
		return scriptSet{"Latin": true}
	case unicode.In(r, unicode.Common, unicode.Inherited):
		return nil
	case unicode.Is(unicode.Han, r):
		return scriptSet{"Jpan": true, "Kore": true, "Hanb": true}
	case unicode.In(r, unicode.Hiragana, unicode.Katakana):
		return scriptSet{"Jpan": true}
	case unicode.Is(unicode.Hangul, r):
		return scriptSet{"Kore": true}
	case unicode.Is(unicode.Bopomofo, r):
		return scriptSet{"Hanb": true}
	}
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return scriptSet{name: true}
		}
	}
	return nil
}

// mixedScripts reports whether one word of s mixes scripts ("Αdmin" with a
// Greek capital alpha); words of different scripts side by side are fine
// ("Ελένη Dupont").
func mixedScripts(s string) bool {
	for _, word := range strings.FieldsFunc(s, unicode.IsSpace) {
		var common scriptSet
		for _, r := range word {
			set := scriptsOf(r)
			if set == nil {
				continue
			}
			if common == nil {
				common = set
				continue
			}
			next := scriptSet{}
			for k := range common {
				if set[k] {
					next[k] = true
				}
			}
			if len(next) == 0 {
				return true
			}
			common = next
		}
	}
	return false
}

// checkName checks a person's name or display name after cleanText: no
// invisible character, no word mixing scripts. It adds the field error and
// reports whether the name passed.
func checkName(v interface{ Add(string, string) }, field, s string) bool {
	if mixedScripts(s) {
		v.Add(field, "mixed_scripts")
		return false
	}
	return true
}

// handleSkeleton is the key handles are compared by: the UTS #39 skeleton
// (from the Unicode confusables data that github.com/mtibben/confusables
// ships), lowercased and taken again, so that "adrnin", "admin", "paul0"
// and "paulo" each find their look-alike.
func handleSkeleton(h string) string {
	return confusables.Skeleton(strings.ToLower(confusables.Skeleton(strings.ToLower(h))))
}
