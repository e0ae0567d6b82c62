package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/community"
	"ardoise/internal/errkind"
	"ardoise/internal/i18n"
	"ardoise/profile"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets maps a static file name to its content-hashed URL and back, so
// files can be cached for a year and still change with each release.
type assets struct {
	urls  map[string]string // "app.css" → "/static/app.3f2a…css"
	files map[string]asset  // "app.3f2a…css" → content
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a.urls[name] = "/static/" + hashed
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}[ext]
		a.files[hashed] = asset{body: body, contentType: ct}
		return nil
	})
	return a, err
}

// views holds one parsed template set per page, each with the layout.
type views struct {
	pages map[string]*template.Template
}

// page is what every template receives.
type page struct {
	Lang    string
	Title   string
	User    *profile.User
	CSRF    string
	Path    string
	Flash   string
	Form    map[string]string
	Errors  map[string]string
	Data    any
	Section string
}

// fieldView is one labelled form input with its hint and error.
type fieldView struct {
	Name, Type, Label, Autocomplete, Value, Error, Hint, RequiredText string
	Required                                                          bool
}

func parseViews(cat *i18n.Catalog, a *assets) (*views, error) {
	funcs := template.FuncMap{
		"t": func(lang, key string, args ...any) string { return cat.T(lang, key, args...) },
		"static": func(name string) (string, error) {
			u, ok := a.urls[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return u, nil
		},
		"has": func(u *profile.User, role string) bool { return u.Has(profile.Role(role)) },
		"field": func(p page, name, typ, labelKey, autocomplete string, required bool, hintKey string) fieldView {
			f := fieldView{Name: name, Type: typ, Label: cat.T(p.Lang, labelKey), Autocomplete: autocomplete,
				Required: required, Value: p.Form[name], Error: p.Errors[name]}
			if required {
				f.RequiredText = cat.T(p.Lang, "form.required")
			}
			if hintKey != "" {
				f.Hint = cat.T(p.Lang, hintKey)
			}
			return f
		},
		"academie":  profile.AcademieName,
		"day":       frenchDay,
		"inc":       func(i int) int { return i + 1 },
		"dec":       func(i int) int { return i - 1 },
		"list":      func(s ...string) []string { return s },
		"reactions": func() []string { return community.Reactions },
		"minutes":   durationText,
		"percent":   func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + " %" },
		"euros": func(cents int) string {
			return strings.Replace(fmt.Sprintf("%.2f €", float64(cents)/100), ".", ",", 1)
		},
		// trusted marks HTML that internal/markdown sanitized when the
		// content was loaded; nothing else may go through it.
		"trusted": func(s string) template.HTML { return template.HTML(s) },
		"date": func(lang string, t interface{ Format(string) string }) string {
			if lang == "en" {
				return t.Format("2006-01-02 15:04")
			}
			return t.Format("02/01/2006 15:04")
		},
	}
	layout, err := templateFS.ReadFile("templates/layout.html")
	if err != nil {
		return nil, err
	}
	partials, err := templateFS.ReadFile("templates/_fields.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, e := range entries {
		name := strings.TrimSuffix(path.Base(e), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		body, err := templateFS.ReadFile(e)
		if err != nil {
			return nil, err
		}
		t := template.New("layout").Funcs(funcs)
		if _, err := t.Parse(string(layout)); err != nil {
			return nil, fmt.Errorf("web: template layout: %w", err)
		}
		if _, err := t.Parse(string(partials)); err != nil {
			return nil, fmt.Errorf("web: template _fields: %w", err)
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

// durationText writes minutes as "45 min", "2 h" or "1 h 30".
func durationText(lang string, minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return strconv.Itoa(m) + " min"
	case m == 0:
		return strconv.Itoa(h) + " h"
	}
	return fmt.Sprintf("%d h %02d", h, m)
}

// render writes a full page with status.
func (a *App) render(c *fiber.Ctx, status int, name string, p page) error {
	t, ok := a.views.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	p.Lang = lang(c)
	p.User = currentUser(c)
	p.CSRF = a.csrfToken(c)
	p.Path = c.Path()
	if p.Title != "" && a.catalog.Has(p.Title) {
		p.Title = a.catalog.T(p.Lang, p.Title)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// formErrors turns a validation error into messages per field, in the page's language.
func (a *App) formErrors(c *fiber.Ctx, err error) map[string]string {
	out := map[string]string{}
	if v, ok := asValidation(err); ok {
		for _, f := range v.Fields {
			if _, dup := out[f.Field]; !dup {
				out[f.Field] = a.catalog.T(lang(c), "field."+f.Code)
			}
		}
	}
	return out
}

func asValidation(err error) (*errkind.ValidationError, bool) {
	var v *errkind.ValidationError
	ok := errors.As(err, &v)
	return v, ok
}
