// Package i18n is Ardoise's message catalog: every text a person reads comes
// from here, in French first and English second, so handlers and templates
// hold keys, not sentences.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed catalog/*.json
var files embed.FS

// Default is the language used when nothing else is chosen.
const Default = "fr"

// Languages lists the available languages, default first.
var Languages = []string{"fr", "en"}

// Catalog holds the messages of every language.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load parses the embedded catalogs and checks that every language has the
// same keys as French, so a missing translation fails the start, not a page.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		raw, err := files.ReadFile("catalog/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	var missing []string
	for k := range c.msgs[Default] {
		for _, lang := range Languages[1:] {
			if _, ok := c.msgs[lang][k]; !ok {
				missing = append(missing, lang+":"+k)
			}
		}
	}
	for _, lang := range Languages[1:] {
		for k := range c.msgs[lang] {
			if _, ok := c.msgs[Default][k]; !ok {
				missing = append(missing, Default+":"+k)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("i18n: missing translations: %s", strings.Join(missing, ", "))
	}
	return c, nil
}

// MustLoad is Load for tests and commands where the embedded catalog must be valid.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Supported returns lang when it is available, else the default.
func Supported(lang string) string {
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return Default
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[Default][key]
	return ok
}

// T returns the message key in lang with {name} placeholders replaced by the
// pairs in args ("name", value, …). An unknown key returns the key itself, so
// a mistake shows on the page instead of an empty string.
func (c *Catalog) T(lang, key string, args ...any) string {
	m, ok := c.msgs[Supported(lang)][key]
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(m, "{") {
		return m
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(m)
}
