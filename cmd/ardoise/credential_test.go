package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ardoise/certificates"
)

// credentialIssuer opens the system as the commands do, on a fresh data
// dir, with baseURL as ARDOISE_BASE_URL, and returns its certificates.
func credentialIssuer(t *testing.T, baseURL string) *certificates.Service {
	t.Helper()
	t.Setenv("ARDOISE_DATA_DIR", t.TempDir())
	t.Setenv("ARDOISE_DEMO", "false")
	t.Setenv("ARDOISE_BASE_URL", baseURL)
	sys, err := openForCommand(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sys.Close(context.Background()) })
	return sys.Certificates
}

// issueCredential issues an attestation with its credential.
func issueCredential(t *testing.T, s *certificates.Service) *certificates.Certificate {
	t.Helper()
	c, err := s.Issue(context.Background(), certificates.Request{
		SourceID: "cli-1", HolderID: "u-claire", HolderName: "Claire Dupré", HolderEmail: "claire@ac-lyon.fr",
		Title: "Évaluer avec le numérique", Slug: "evaluer-numerique", Version: 1, Objectives: []string{"Concevoir un quiz"},
		Nature: certificates.NatureDistance, DeclaredMinutes: 60, CompletedAt: time.Date(2026, 11, 29, 15, 4, 0, 0, time.UTC),
		Issuer: "Réseau Canopé — Ardoise",
	})
	if err != nil || c.CredentialJWT() == "" {
		t.Fatalf("issue: %v", err)
	}
	return c
}

// writeFile writes a test file and returns its name.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestCredentialVerifyCommand: `ardoise credential verify` says "valide"
// and exits 0 for an issued credential checked against its JWKS and
// status list files; a tampered payload, a suspended credential, a
// missing file and bad flags are refused with exit 1, 1, 2 and 2.
func TestCredentialVerifyCommand(t *testing.T) {
	ctx := context.Background()
	s := credentialIssuer(t, "https://ardoise.example")
	c := issueCredential(t, s)
	dir := t.TempDir()
	lists := filepath.Join(dir, "lists")
	if err := os.Mkdir(lists, 0o700); err != nil {
		t.Fatal(err)
	}
	writeList := func() {
		list, err := s.StatusList(ctx, "1")
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(lists, "1"), list)
	}
	writeList()
	set, err := s.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rawSet, _ := json.Marshal(set)
	jwks := writeFile(t, filepath.Join(dir, "jwks.json"), string(rawSet))
	token := writeFile(t, filepath.Join(dir, "badge.jwt"), c.CredentialJWT()+"\n")

	code, out, errs := cli(t, "", "credential", "verify", token, "--jwks", jwks, "--status-url-override", lists)
	if code != 0 || !strings.HasPrefix(out, "valide\n") || !strings.Contains(out, "Évaluer avec le numérique") ||
		!strings.Contains(out, "https://ardoise.example/credentials/issuer") || !strings.Contains(out, "clé : "+set.Keys[0].KeyID) {
		t.Fatalf("valid: %d %q %q", code, out, errs)
	}
	// Flags first, FILE last.
	if code, out, errs := cli(t, "", "credential", "verify", "--jwks", jwks, "--status-url-override", lists, token); code != 0 {
		t.Errorf("flags first: %d %q %q", code, out, errs)
	}

	parts := strings.Split(c.CredentialJWT(), ".")
	body, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(body), "Évaluer", "Evaluer", 1)
	tampered := writeFile(t, filepath.Join(dir, "tampered.jwt"),
		parts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(forged))+"."+parts[2])
	if code, out, _ := cli(t, "", "credential", "verify", tampered, "--jwks", jwks, "--status-url-override", lists); code != 1 ||
		!strings.HasPrefix(out, "invalide\n") || !strings.Contains(out, "problème signature") {
		t.Errorf("tampered: %d %q", code, out)
	}

	if _, err := s.Revoke(ctx, "admin", c.ID, "Fraude établie"); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncStatus(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	writeList()
	if code, out, _ := cli(t, "", "credential", "verify", token, "--jwks", jwks, "--status-url-override", lists); code != 1 ||
		!strings.HasPrefix(out, "invalide\n") || !strings.Contains(out, "problème suspended") {
		t.Errorf("suspended: %d %q", code, out)
	}

	for _, args := range [][]string{
		{"credential", "verify", filepath.Join(dir, "missing.jwt"), "--jwks", jwks},
		{"credential", "verify"},
		{"credential", "check", token},
		{"credential", "verify", token, "--jwks"},
		{"credential", "verify", token, "--unknown", "x"},
		{"credential", "verify", token, token},
		{"credential", "verify", token, "--status-url-override", filepath.Join(dir, "none")},
	} {
		if code, _, errs := cli(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d %q", args, code, errs)
		}
	}
}

// TestCredentialVerifyOverHTTP: without flags, the keys come from the
// issuer's /.well-known/jwks.json and the status list from its URL; an
// issuer that cannot be reached gives exit 1, and an answer over 1 MB is
// refused.
func TestCredentialVerifyOverHTTP(t *testing.T) {
	ctx := context.Background()
	var s *certificates.Service
	var big atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case big.Load():
			_, _ = w.Write(make([]byte, maxFetch+1))
		case r.URL.Path == "/.well-known/jwks.json":
			set, err := s.JWKS(ctx)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			_ = json.NewEncoder(w).Encode(set)
		case strings.HasPrefix(r.URL.Path, "/credentials/status/"):
			list, err := s.StatusList(ctx, strings.TrimPrefix(r.URL.Path, "/credentials/status/"))
			if err != nil {
				http.Error(w, err.Error(), 404)
				return
			}
			w.Header().Set("Content-Type", "application/jwt")
			_, _ = w.Write([]byte(list))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	s = credentialIssuer(t, srv.URL)
	c := issueCredential(t, s)
	token := writeFile(t, filepath.Join(t.TempDir(), "badge.jwt"), c.CredentialJWT())
	if code, out, errs := cli(t, "", "credential", "verify", token); code != 0 || !strings.HasPrefix(out, "valide\n") {
		t.Fatalf("over HTTP: %d %q %q", code, out, errs)
	}
	big.Store(true)
	if code, out, errs := cli(t, "", "credential", "verify", token); code != 1 || !strings.Contains(errs, "larger than") {
		t.Errorf("over 1 MB: %d %q %q", code, out, errs)
	}
	srv.Close()
	if code, out, errs := cli(t, "", "credential", "verify", token); code != 1 || !strings.Contains(errs, "keys:") {
		t.Errorf("issuer unreachable: %d %q %q", code, out, errs)
	}
}

// TestCredentialStatusListPath: --status-url-override reads DIR/<digits>
// only, never a name that could leave DIR.
func TestCredentialStatusListPath(t *testing.T) {
	for u, want := range map[string]string{
		"https://ardoise.example/credentials/status/1":   filepath.Join("/lists", "1"),
		"https://ardoise.example/credentials/status/042": filepath.Join("/lists", "042"),
	} {
		if got, err := statusListPath("/lists", u); err != nil || got != want {
			t.Errorf("%s: %q %v", u, got, err)
		}
	}
	for _, u := range []string{
		"https://ardoise.example/credentials/status/..",
		"https://ardoise.example/credentials/status/%2e%2e",
		"https://ardoise.example/credentials/status/..%2fetc",
		"https://ardoise.example/credentials/status/",
		"https://ardoise.example/credentials/status/1a",
		"https://ardoise.example/credentials/status/-1",
		"https://ardoise.example",
		"",
	} {
		if got, err := statusListPath("/lists", u); err == nil {
			t.Errorf("%q accepted: %q", u, got)
		}
	}
}

// TestCredentialIssuerKeysURL: without --jwks the keys come from the
// issuer named by iss.
func TestCredentialIssuerKeysURL(t *testing.T) {
	jwt := func(claims string) string {
		return "e30." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2ln"
	}
	if got, err := jwksURLOf(jwt(`{"iss":"https://ardoise.example/credentials/issuer"}`)); err != nil || got != "https://ardoise.example/.well-known/jwks.json" {
		t.Errorf("iss: %q %v", got, err)
	}
	for _, bad := range []string{jwt(`{"iss":"https://other.example/issuer"}`), jwt(`{}`), jwt(`{"iss":"/credentials/issuer"}`), "a.b", "a.!.c"} {
		if got, err := jwksURLOf(bad); err == nil {
			t.Errorf("%q: %q", bad, got)
		}
	}
}

// TestKeysRotateCommand: `ardoise keys rotate` prints the new kid and the
// published keys, the older ones kept.
func TestKeysRotateCommand(t *testing.T) {
	t.Setenv("ARDOISE_DATA_DIR", t.TempDir())
	t.Setenv("ARDOISE_DEMO", "false")
	code, out, errs := cli(t, "", "keys", "rotate")
	first, ok := strings.CutPrefix(strings.SplitN(out, "\n", 2)[0], "nouvelle clé : ")
	if code != 0 || !ok || first == "" || !strings.Contains(out, "clés publiées :\n") || !strings.Contains(out, "  "+first+" (ES256)\n") {
		t.Fatalf("rotate: %d %q %q", code, out, errs)
	}
	code, out, errs = cli(t, "", "keys", "rotate")
	second, _ := strings.CutPrefix(strings.SplitN(out, "\n", 2)[0], "nouvelle clé : ")
	if code != 0 || second == "" || second == first || !strings.Contains(out, "  "+first+" (ES256)\n") || !strings.Contains(out, "  "+second+" (ES256)\n") {
		t.Fatalf("second rotate: %d %q %q", code, out, errs)
	}
	if code, _, _ := cli(t, "", "keys"); code != 2 {
		t.Errorf("no subcommand: exit %d", code)
	}
	if code, _, _ := cli(t, "", "keys", "rotate", "now"); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
}
