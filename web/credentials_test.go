package web_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/certificates"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestCredentialRoutes: the holder downloads their credential (API, .jwt
// and its JSON), nobody else does; another JOSE library verifies it with
// the served JWKS; the issuer Profile and the status list are served; the
// public page says the signature and the status verify, and, once an admin
// revokes the attestation and the worker writes its bit, that it is
// suspended.
func TestCredentialRoutes(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	holder := env.CreateUser(t, profile.RoleLearner)
	cert, err := env.Sys.Certificates.Issue(ctx, certificates.Request{SourceID: "ligne-cred", HolderID: holder.ID, HolderName: holder.Name,
		Title: "Module d'essai", Slug: "module-essai", Version: 2, Nature: certificates.NatureDistance, DeclaredMinutes: 90,
		CompletedAt: time.Now(), Issuer: "Réseau Canopé — Ardoise"})
	if err != nil {
		t.Fatal(err)
	}
	me := env.LoggedIn(t, holder)
	resp, token := get(t, env, me, "/api/v1/certificates/"+cert.ID+"/credential")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/jwt" || strings.Count(token, ".") != 2 {
		t.Fatalf("API credential: %d %q %.80s", resp.StatusCode, resp.Header.Get("Content-Type"), token)
	}
	if resp, file := get(t, env, me, "/profil/attestations/"+cert.ID+".jwt"); resp.StatusCode != 200 || file != token ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="attestation-`+cert.Code+`.jwt"`) {
		t.Fatalf(".jwt: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if resp, body := get(t, env, me, "/profil/attestations/"+cert.ID+".json"); resp.StatusCode != 200 || !strings.Contains(body, `"OpenBadgeCredential"`) {
		t.Fatalf(".json: %d %.200s", resp.StatusCode, body)
	}
	if _, body := get(t, env, me, "/profil"); !strings.Contains(body, `href="/profil/attestations/`+cert.ID+`.jwt"`) ||
		!strings.Contains(body, `/verifier/`+cert.Code+`" spellcheck="false"`) {
		t.Fatal("the profile does not offer the credential and the link to copy")
	}
	other := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	if resp, _ := get(t, env, other, "/api/v1/certificates/"+cert.ID+"/credential"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's credential: %d", resp.StatusCode)
	}

	// A second library verifies it with the served keys.
	anon := env.Client()
	resp, keys := get(t, env, anon, "/.well-known/jwks.json")
	if resp.StatusCode != 200 {
		t.Fatalf("jwks: %d", resp.StatusCode)
	}
	set, err := jwk.Parse([]byte(keys))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := jws.Verify([]byte(token), jws.WithKeySet(set, jws.WithRequireKid(true)))
	if err != nil {
		t.Fatalf("jwx: %v", err)
	}
	var oc certificates.OpenBadgeCredential
	if err := json.Unmarshal(payload, &oc); err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(oc.Issuer.ID, "/credentials/issuer") // the configured public address
	if base == oc.Issuer.ID || !strings.HasPrefix(oc.CredentialStatus.StatusListCredential, base+"/credentials/status/") {
		t.Fatalf("issuer %q, status %q", oc.Issuer.ID, oc.CredentialStatus.StatusListCredential)
	}
	if resp, body := get(t, env, anon, "/credentials/issuer"); resp.StatusCode != 200 || !strings.Contains(body, `"Profile"`) {
		t.Fatalf("issuer: %d %s", resp.StatusCode, body)
	}
	listPath := strings.TrimPrefix(oc.CredentialStatus.StatusListCredential, base)
	if resp, list := get(t, env, anon, listPath); resp.StatusCode != 200 || strings.Count(list, ".") != 2 {
		t.Fatalf("status list: %d", resp.StatusCode)
	} else if _, err := jws.Verify([]byte(list), jws.WithKeySet(set, jws.WithRequireKid(true))); err != nil {
		t.Fatalf("status list signature: %v", err)
	}
	if _, body := get(t, env, anon, "/verifier/"+cert.Code); !strings.Contains(body, "Signature vérifiée") {
		t.Fatal("the public page does not say the credential verifies")
	}

	// Revoked by an admin: the worker writes the bit; the page says it is suspended.
	admin := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	if resp, _ := env.PostForm(t, admin, "/admin/attestations/"+cert.ID+"/revoquer", url.Values{"motif": {"Fraude constatée"}, "code": {cert.Code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	env.DrainQueues(t, 30*time.Second)
	if _, body := get(t, env, anon, "/verifier/"+cert.Code); !strings.Contains(body, "suspendu dans la liste de statut") {
		t.Fatal("the public page does not show the suspended status")
	}
	req, _ := http.NewRequest("GET", env.URL+"/api/v1/certificates/"+cert.Code, nil)
	r, err := anon.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(raw), `"problems":["suspended"]`) {
		t.Fatalf("API verification: %s", raw)
	}

	// A stored credential altered (its payload, or its key id) is reported on the page.
	parts := strings.Split(token, ".")
	body, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(body), "Module d'essai", "Module d'expert", 1)))
	head, _ := base64.RawURLEncoding.DecodeString(parts[0])
	otherKid := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(head), `"kid":"`, `"kid":"x`, 1)))
	for jwt, want := range map[string]string{
		parts[0] + "." + forged + "." + parts[2]:   "sa signature ne correspond pas à son contenu",
		otherKid + "." + parts[1] + "." + parts[2]: "aucune clé publiée ne correspond à sa signature",
	} {
		if _, err := env.Sys.DB.Collection(certificates.Collection).UpdateOne(ctx, bson.M{"_id": cert.ID},
			bson.M{"$set": bson.M{"credential.jwt": jwt}}); err != nil {
			t.Fatal(err)
		}
		if _, body := get(t, env, anon, "/verifier/"+cert.Code); !strings.Contains(body, "Le justificatif numérique ne se vérifie pas") ||
			!strings.Contains(body, want) {
			t.Errorf("altered credential: the page does not say %q", want)
		}
	}
}
