package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"ardoise/assessments"
)

// TestContentLinksReportsBrokenURLs: against a local HTTPS server, the
// command lists the URL that answers 404 with the challenge citing it, not
// the one that answers 200 (a redirect followed), and fails.
func TestContentLinksReportsBrokenURLs(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ancienne":
			http.Redirect(w, r, "/bonne", http.StatusMovedPermanently)
		case "/bonne":
			w.WriteHeader(http.StatusOK)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	challenge := func(id, url string) string {
		return "\n  - id: " + id + "\n    skill: t@1\n    type: qcu\n    prompt: Une question.\n    proposals:\n      - id: a\n        text: Oui\n      - id: b\n        text: Non\n" +
			"    solution: a\n    explanation: Parce que.\n    tutorial:\n      title: Aide\n      url: " + url + "\n"
	}
	src := assessments.Sources{Files: map[string][]byte{
		"crcn/framework.yaml": []byte("id: crcn\ntitle: T\ndescription: D.\nareas:\n  - id: \"1\"\n    title: A\n    competences: [\"1.1\"]\n"),
		"crcn/1.1.yaml": []byte("competence: \"1.1\"\ntitle: C\ndescription: D.\ntubes:\n  - id: t\n    title: T\n    skills:\n      1: S\nchallenges:" +
			challenge("ok", srv.URL+"/ancienne") + challenge("casse", srv.URL+"/disparue")),
	}}
	bank, problems := assessments.Load(src)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var out, errs bytes.Buffer
	err := checkLinks(context.Background(), bank, srv.Client(), time.Second, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "1 of 2") {
		t.Fatalf("want 1 of 2 failing, got %v", err)
	}
	if got := out.String(); !strings.Contains(got, "/disparue: HTTP 404") || !strings.Contains(got, "casse") || strings.Contains(got, "/ancienne") {
		t.Fatalf("output:\n%s", got)
	}
}
