package certificates_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"ardoise/certificates"
	"ardoise/internal/database"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/internal/mail"
	"ardoise/internal/teststore"
)

// credentialService is a certificates service that issues credentials.
func credentialService(t *testing.T, db *database.DB) *certificates.Service {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	mailer, err := mail.New(db, "", teststore.Logger())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keyring.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return certificates.NewService(certificates.Deps{DB: db, Keys: keys, Mailer: mailer, Catalog: cat,
		BaseURL: "https://ardoise.example", Logger: teststore.Logger()})
}

// statusOf serves the service's own status lists to the verifier.
func statusOf(ctx context.Context, s *certificates.Service) certificates.StatusFetcher {
	return func(url string) (string, error) {
		return s.StatusList(ctx, strings.TrimPrefix(url, "https://ardoise.example/credentials/status/"))
	}
}

// TestCredentials: an attestation and a certification are issued as Open
// Badges 3.0 credentials that a second JOSE library (lestrrat-go/jwx)
// verifies with the published keys, with every required field and no
// address in clear; a tampered payload, an unknown kid, an expired
// credential and a suspended one are invalid; after a rotation, the old
// credential still verifies and new ones are signed with the new key.
func TestCredentials(t *testing.T) {
	teststore.ForEach(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := credentialService(t, db)
		c, err := s.Issue(ctx, request("cred-1"))
		if err != nil {
			t.Fatal(err)
		}
		token := c.CredentialJWT()
		if token == "" {
			t.Fatal("no credential issued")
		}
		set, err := s.JWKS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()

		// A second library verifies the signature with the published JWKS.
		rawSet, _ := json.Marshal(set)
		jset, err := jwk.Parse(rawSet)
		if err != nil {
			t.Fatal(err)
		}
		payload, err := jws.Verify([]byte(token), jws.WithKeySet(jset, jws.WithRequireKid(true)))
		if err != nil {
			t.Fatalf("jwx does not verify the credential: %v", err)
		}
		var raw map[string]any
		if err := json.Unmarshal(payload, &raw); err != nil {
			t.Fatal(err)
		}
		if p := certificates.RequiredFieldProblems(raw); len(p) > 0 {
			t.Fatalf("required fields: %v", p)
		}
		if strings.Contains(string(payload), "@ac-lyon.fr") || strings.Contains(string(payload), "u-claire") {
			t.Fatalf("the holder's address or id in clear: %s", payload)
		}
		subject := raw["credentialSubject"].(map[string]any)
		id := subject["identifier"].([]any)[0].(map[string]any)
		if id["identityType"] != "emailAddress" || !strings.HasPrefix(id["identityHash"].(string), "sha256$") {
			t.Fatalf("identifier %v", id)
		}
		a := subject["achievement"].(map[string]any)
		if a["creditsAvailable"] != 3.5 || a["version"] != "3" {
			t.Fatalf("achievement %v", a)
		}
		v := certificates.VerifyCredential(token, set, statusOf(ctx, s), now)
		if !v.Valid {
			t.Fatalf("own verification: %v %v", v.Problems, v.Findings)
		}

		// Tampered, unknown key, expired.
		parts := strings.Split(token, ".")
		body, _ := base64.RawURLEncoding.DecodeString(parts[1])
		forged := strings.Replace(string(body), "Évaluer avec le numérique", "Évaluer avec le numérique (expert)", 1)
		tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2]
		if v := certificates.VerifyCredential(tampered, set, statusOf(ctx, s), now); v.Valid || !slices.Contains(v.Problems, certificates.ProblemSignature) {
			t.Errorf("tampered: %v", v.Problems)
		}
		hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
		otherKid := strings.Replace(string(hdr), `"kid":"`, `"kid":"x`, 1)
		wrong := base64.RawURLEncoding.EncodeToString([]byte(otherKid)) + "." + parts[1] + "." + parts[2]
		if v := certificates.VerifyCredential(wrong, set, statusOf(ctx, s), now); v.Valid || !slices.Contains(v.Problems, certificates.ProblemUnknownKey) {
			t.Errorf("wrong kid: %v", v.Problems)
		}
		var oc certificates.OpenBadgeCredential
		if err := json.Unmarshal(body, &oc); err != nil {
			t.Fatal(err)
		}
		oc.ValidUntil, oc.Exp = now.Add(-time.Hour).UTC().Format(time.RFC3339), now.Add(-time.Hour).Unix()
		expired, err := s.SignForTest(ctx, oc)
		if err != nil {
			t.Fatal(err)
		}
		if v := certificates.VerifyCredential(expired, set, statusOf(ctx, s), now); v.Valid || !slices.Contains(v.Problems, certificates.ProblemExpired) {
			t.Errorf("expired: %v", v.Problems)
		}
		// The public verification (Verify, behind /verifier) reports it too.
		if err := s.ReplaceJWTForTest(ctx, c.ID, expired); err != nil {
			t.Fatal(err)
		}
		if pub, err := s.Verify(ctx, c.Code); err != nil || pub.Credential == nil || pub.Credential.Valid ||
			!slices.Contains(pub.Credential.Problems, certificates.ProblemExpired) {
			t.Errorf("public verification of an expired credential: %+v %v", pub, err)
		}
		if err := s.ReplaceJWTForTest(ctx, c.ID, token); err != nil {
			t.Fatal(err)
		}

		// Revoked: its bit set through SyncStatus (the task); reinstated: cleared.
		if _, err := s.Revoke(ctx, "admin", c.ID, "Fraude établie"); err != nil {
			t.Fatal(err)
		}
		if err := s.SyncStatus(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if v := certificates.VerifyCredential(token, set, statusOf(ctx, s), now); v.Valid || !slices.Contains(v.Problems, certificates.ProblemSuspended) {
			t.Errorf("revoked: %v", v.Problems)
		}
		if _, err := s.Reinstate(ctx, "admin", c.ID, "Erreur corrigée"); err != nil {
			t.Fatal(err)
		}
		if err := s.SyncStatus(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if v := certificates.VerifyCredential(token, set, statusOf(ctx, s), now); !v.Valid {
			t.Errorf("reinstated: %v", v.Problems)
		}

		// Rotation: the old credential still verifies; a new one uses the new key.
		kid, err := s.RotateKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		set, err = s.JWKS(ctx)
		if err != nil || len(set.Keys) != 2 {
			t.Fatalf("keys after rotation: %v %v", set, err)
		}
		if v := certificates.VerifyCredential(token, set, statusOf(ctx, s), now); !v.Valid {
			t.Errorf("old credential after rotation: %v", v.Problems)
		}
		c2, err := s.Issue(ctx, request("cred-2"))
		if err != nil {
			t.Fatal(err)
		}
		v2 := certificates.VerifyCredential(c2.CredentialJWT(), set, statusOf(ctx, s), time.Now())
		if !v2.Valid || v2.Kid != kid {
			t.Errorf("new credential: %v, kid %s want %s", v2.Problems, v2.Kid, kid)
		}
		var parsed *jose.JSONWebSignature
		if parsed, err = jose.ParseSigned(c2.CredentialJWT(), []jose.SignatureAlgorithm{jose.ES256}); err != nil || parsed.Signatures[0].Header.KeyID != kid {
			t.Errorf("new credential's kid: %v", err)
		}
	}, certificates.Indexes...)
}
