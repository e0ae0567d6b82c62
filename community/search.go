package community

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxTokens is the most tokens Tokens returns for one document: the first
// MaxTokens distinct tokens in order of appearance are kept.
const MaxTokens = 200

// MaxQueryTokens is the most tokens QueryTokens returns for one query.
const MaxQueryTokens = 8

const (
	// minTokenRunes is the shortest token kept.
	minTokenRunes = 2
	// maxTokenRunes is the longest token kept; longer runs of letters and
	// digits (hashes, base64, keyboard mashing) are dropped rather than
	// indexed, to keep index keys small.
	maxTokenRunes = 64
	// stemMinRunes is the length a token must exceed before a final plural
	// "s" or "x" is stripped.
	stemMinRunes = 3
)

// stopWords are folded French words too common to be worth indexing. They are
// matched before stemming.
var stopWords = map[string]struct{}{
	"le": {}, "la": {}, "les": {}, "un": {}, "une": {}, "des": {}, "du": {},
	"de": {}, "et": {}, "ou": {}, "en": {}, "au": {}, "aux": {}, "a": {},
	"est": {}, "sont": {}, "pour": {}, "par": {}, "sur": {}, "dans": {},
	"avec": {}, "ce": {}, "cet": {}, "cette": {}, "ces": {}, "qui": {},
	"que": {}, "quoi": {}, "ne": {}, "pas": {}, "plus": {}, "se": {},
	"sa": {}, "son": {}, "ses": {}, "leur": {}, "leurs": {}, "il": {},
	"elle": {}, "ils": {}, "elles": {}, "on": {}, "nous": {}, "vous": {},
	"je": {}, "tu": {}, "me": {}, "te": {}, "y": {}, "d": {}, "l": {},
	"s": {}, "n": {}, "qu": {}, "c": {}, "j": {}, "m": {}, "t": {},
}

// ligatures expands the letters that Unicode decomposition leaves whole.
// Texts are lowercased before it is applied.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss")

// Tokens returns the distinct search tokens of texts, sorted, for storing in
// an indexed field: the texts are lowercased and accent-folded (é→e, ç→c,
// œ→oe, æ→ae), split on every rune that is not a letter or a digit (so
// "l'élève" gives "l" and "eleve"), tokens shorter than 2 runes and French
// stop words are dropped, and a final plural "s" or "x" is stripped from
// tokens longer than 3 runes ("élèves"→"eleve", "tableaux"→"tableau").
// Only the first MaxTokens distinct tokens in order of appearance are kept.
// The result is never nil, so it is stored as an empty array rather than null.
func Tokens(texts ...string) []string {
	return tokens(MaxTokens, texts...)
}

// QueryTokens returns the search tokens of the query q, treated as Tokens
// treats a document so that "Élèves" matches a text containing "élève". Only
// the first MaxQueryTokens distinct tokens are kept. The result is never nil;
// it is empty when q holds no searchable word, which callers should treat as
// "no query" rather than match against.
func QueryTokens(q string) []string {
	return tokens(MaxQueryTokens, q)
}

// tokens returns the first limit distinct tokens of texts, sorted.
func tokens(limit int, texts ...string) []string {
	out := []string{}
	seen := make(map[string]struct{})
	for _, text := range texts {
		for _, field := range strings.FieldsFunc(foldText(text), isSeparator) {
			tok, ok := normalizeToken(field)
			if !ok {
				continue
			}
			if _, dup := seen[tok]; dup {
				continue
			}
			seen[tok] = struct{}{}
			out = append(out, tok)
			if len(out) == limit {
				slices.Sort(out)
				return out
			}
		}
	}
	slices.Sort(out)
	return out
}

// foldText lowercases s, expands ligatures and removes diacritics.
func foldText(s string) string {
	s = ligatures.Replace(strings.ToLower(s))
	tr := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(tr, s)
	if err != nil {
		return s
	}
	return out
}

// isSeparator reports whether r splits tokens: anything but a letter, a digit
// or a (spacing) combining mark that survived folding.
func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
}

// normalizeToken applies the length limits, the stop-word list and the plural
// stemming to one folded word, reporting whether it is kept.
func normalizeToken(tok string) (string, bool) {
	n := utf8.RuneCountInString(tok)
	if n < minTokenRunes || n > maxTokenRunes {
		return "", false
	}
	if _, stop := stopWords[tok]; stop {
		return "", false
	}
	if n > stemMinRunes && (strings.HasSuffix(tok, "s") || strings.HasSuffix(tok, "x")) {
		tok = tok[:len(tok)-1]
	}
	return tok, true
}
