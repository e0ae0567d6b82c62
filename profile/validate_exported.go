package profile

import "ardoise/internal/errkind"

// NormalizeTerritory checks a territory another package received (a
// certification centre's) with the rules of a person's territory, and
// returns it in canonical form (académie code, upper-case département).
// Field errors are added to v under prefix ("territory." for the API); an
// empty académie is not an error here: the caller says whether it is
// required.
func NormalizeTerritory(v *errkind.ValidationError, prefix string, t Territory) Territory {
	return t.normalize(v, prefix)
}

// CleanText trims a one-line text another package received and checks it
// as profile fields are checked: required, at most max runes, no control,
// invisible or bidirectional-control character. Field errors are added to v.
func CleanText(v *errkind.ValidationError, field, s string, required bool, max int) string {
	return cleanText(v, field, s, required, max)
}
