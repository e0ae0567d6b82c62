package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ardoise/internal/i18n"
)

// TestCatalogCoversEveryKey reads every template and every Go file for the
// message keys they use, and checks the catalog has them: a missing key
// would show as a raw key on a page.
func TestCatalogCoversEveryKey(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	tmplKey := regexp.MustCompile(`t \$?\.Lang "([a-z_.0-9]+)"`)
	fieldKeys := regexp.MustCompile(`\(field \. "[^"]*" "[^"]*" "([^"]*)" "[^"]*" (?:true|false) "([^"]*)"\)`)
	entries, _ := fs.Glob(templateFS, "templates/*.html")
	for _, e := range entries {
		raw, _ := templateFS.ReadFile(e)
		for _, m := range tmplKey.FindAllStringSubmatch(string(raw), -1) {
			keys[m[1]] = e
		}
		for _, m := range fieldKeys.FindAllStringSubmatch(string(raw), -1) {
			for _, k := range m[1:] {
				if k != "" {
					keys[k] = e
				}
			}
		}
	}
	// Field rule codes and page keys written in Go.
	goCode := regexp.MustCompile(`(?:Add|Invalid)\([^,]+, "([a-z_]+)"\)|FieldError\{Field: "[^"]+", Code: "([a-z_]+)"\}`)
	goKey := regexp.MustCompile(`"((?:profile|register|login|forgot|reset|verify|delete|admin|home|mail)\.[a-z_.]+)"`)
	root := filepath.Join("..")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		raw, _ := os.ReadFile(p)
		for _, m := range goCode.FindAllStringSubmatch(string(raw), -1) {
			code := m[1] + m[2]
			keys["field."+code] = p
		}
		for _, m := range goKey.FindAllStringSubmatch(string(raw), -1) {
			if !strings.HasSuffix(m[1], ".") {
				keys[m[1]] = p
			}
		}
		return nil
	})
	for _, code := range []string{"invalid", "not_found", "unauthenticated", "forbidden", "conflict", "unavailable", "too_large", "internal", "rate_limited"} {
		keys["error."+code] = "errors.go"
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for k, where := range keys {
		if !cat.Has(k) {
			t.Errorf("%s uses %q, missing from the catalog", where, k)
		}
	}
}
