package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// maxFetch bounds what the verifier reads from a URL or a file (1 MB).
const maxFetch = 1 << 20

// fetchClient fetches keys and status lists for `credential verify`.
var fetchClient = &http.Client{Timeout: 10 * time.Second}

// isURL reports whether s is an http(s) address rather than a file name.
func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// fetchURL GETs an http(s) URL, at most maxFetch bytes, status 200 only.
func fetchURL(u string) ([]byte, error) {
	if !isURL(u) {
		return nil, fmt.Errorf("%q: not an http(s) URL", u)
	}
	resp, err := fetchClient.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", u, resp.StatusCode)
	}
	return readLimited(resp.Body, u)
}

// readFile reads a local file of at most maxFetch bytes.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, name)
}

// readLimited reads r whole, failing beyond maxFetch bytes.
func readLimited(r io.Reader, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFetch+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFetch {
		return nil, fmt.Errorf("%s: larger than %d bytes", what, maxFetch)
	}
	return b, nil
}

// issuerSuffix ends an Ardoise issuer id: <base>/credentials/issuer.
const issuerSuffix = "/credentials/issuer"

// jwksURLOf returns where the issuer of token publishes its keys, from the
// token's iss read without verifying it (the signature is checked later
// with the keys found there).
func jwksURLOf(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errors.New("not a compact JWT (three parts)")
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("payload: %w", err)
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(body, &claims); err != nil {
		return "", fmt.Errorf("payload: %w", err)
	}
	base, ok := strings.CutSuffix(claims.Iss, issuerSuffix)
	if !ok || !isURL(base) {
		return "", fmt.Errorf("iss %q is not an Ardoise issuer (…%s); give --jwks", claims.Iss, issuerSuffix)
	}
	return base + "/.well-known/jwks.json", nil
}

// loadJWKS reads a JSON Web Key Set from a file or an http(s) URL.
func loadJWKS(from string) (*jose.JSONWebKeySet, error) {
	var raw []byte
	var err error
	if isURL(from) {
		raw, err = fetchURL(from)
	} else {
		raw, err = readFile(from)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("keys %s: %w", from, err)
	}
	return &set, nil
}

// statusListPath is the file of DIR that stands for a status list URL: its
// last path segment, which must be digits only, so that nothing outside
// DIR is read.
func statusListPath(dir, listURL string) (string, error) {
	u, err := url.Parse(listURL)
	if err != nil {
		return "", fmt.Errorf("status list URL %q: %w", listURL, err)
	}
	name := path.Base(u.Path)
	if name == "" || strings.TrimLeft(name, "0123456789") != "" {
		return "", fmt.Errorf("status list URL %q: its last segment is not a list number", listURL)
	}
	return filepath.Join(dir, name), nil
}

// statusFromDir reads status lists from DIR (--status-url-override).
func statusFromDir(dir string) func(string) (string, error) {
	return func(listURL string) (string, error) {
		name, err := statusListPath(dir, listURL)
		if err != nil {
			return "", err
		}
		b, err := readFile(name)
		return string(b), err
	}
}

// statusFromWeb fetches status lists over HTTP.
func statusFromWeb(listURL string) (string, error) {
	b, err := fetchURL(listURL)
	return string(b), err
}
