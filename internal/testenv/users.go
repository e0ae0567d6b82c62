package testenv

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"ardoise/profile"
)

// TestPassword is the password of accounts made by CreateUser.
const TestPassword = "mot de passe de test"

var userSeq atomic.Int64

// CreateUser makes a verified account with role r and returns it.
func (e *Env) CreateUser(t testing.TB, r profile.Role) *profile.User {
	t.Helper()
	n := userSeq.Add(1)
	u, err := e.Sys.Profile.Create(Ctx(t), profile.CreateInput{Role: r, RegisterInput: profile.RegisterInput{
		Email: fmt.Sprintf("%s%d@test.ardoise.fr", r, n), Password: TestPassword,
		Name: fmt.Sprintf("Test %s %d", r, n), Kind: string(profile.KindTeacher),
		Territory: profile.Territory{Academie: "lyon", Departement: "69"},
	}})
	if err != nil {
		t.Fatalf("testenv: create %s: %v", r, err)
	}
	return u
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// CSRF loads path with client and returns the CSRF token of its forms.
func (e *Env) CSRF(t testing.TB, c *http.Client, path string) string {
	t.Helper()
	resp, err := c.Get(e.URL + path)
	if err != nil {
		t.Fatalf("testenv: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		t.Fatalf("testenv: no CSRF token on %s (status %d)", path, resp.StatusCode)
	}
	return string(m[1])
}

// PostForm posts values to path with a valid CSRF token taken from the home page.
func (e *Env) PostForm(t testing.TB, c *http.Client, path string, values url.Values) (*http.Response, string) {
	t.Helper()
	if values == nil {
		values = url.Values{}
	}
	values.Set("_csrf", e.CSRF(t, c, "/"))
	resp, err := c.PostForm(e.URL+path, values)
	if err != nil {
		t.Fatalf("testenv: POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// Login signs c in as the account with email and password, failing t otherwise.
func (e *Env) Login(t testing.TB, c *http.Client, email, password string) {
	t.Helper()
	resp, body := e.PostForm(t, c, "/connexion", url.Values{"email": {email}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("testenv: login %s: status %d: %s", email, resp.StatusCode, firstLines(body))
	}
}

// LoggedIn returns a new client signed in as u (created with TestPassword).
func (e *Env) LoggedIn(t testing.TB, u *profile.User) *http.Client {
	t.Helper()
	c := e.Client()
	e.Login(t, c, u.Email, TestPassword)
	return c
}

func firstLines(s string) string {
	if len(s) > 600 {
		s = s[:600]
	}
	return strings.TrimSpace(s)
}
