package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/certificates"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestAdminRevokesAndReinstates: an admin finds an attestation by its code,
// revokes it with a reason (the public page then says it is revoked and
// when, never why; the admin still reads the reason), and reinstates
// it; its holder downloads the PDF, nobody else does.
func TestAdminRevokesAndReinstates(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	holder := env.CreateUser(t, profile.RoleLearner)
	cert, err := env.Sys.Certificates.Issue(ctx, certificates.Request{SourceID: "ligne-essai", HolderID: holder.ID, HolderName: holder.Name,
		Title: "Module d'essai", Slug: "module-essai", Version: 1, Nature: certificates.NatureDistance, DeclaredMinutes: 90,
		CompletedAt: time.Now(), Issuer: "Réseau Canopé — Ardoise"})
	if err != nil {
		t.Fatal(err)
	}
	admin := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	if _, body := get(t, env, admin, "/admin/attestations?code="+strings.ToLower(cert.Code)); !strings.Contains(body, holder.Name) {
		t.Fatal("the admin does not find the attestation by its code")
	}
	if resp, body := env.PostForm(t, admin, "/admin/attestations/"+cert.ID+"/revoquer", url.Values{"motif": {""}, "code": {cert.Code}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "obligatoire") {
		t.Fatalf("revoke without a reason: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, admin, "/admin/attestations/"+cert.ID+"/revoquer", url.Values{"motif": {"Fraude constatée"}, "code": {cert.Code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	anon := env.Client()
	if _, body := get(t, env, anon, "/verifier/"+cert.Code); !strings.Contains(body, "Attestation révoquée") {
		t.Fatal("the public page does not show the revocation")
	} else if strings.Contains(body, "Fraude constatée") {
		t.Fatal("the public page shows the revocation's reason")
	}
	if _, body := get(t, env, admin, "/admin/attestations?code="+cert.Code); !strings.Contains(body, "Fraude constatée") {
		t.Fatal("the admin no longer sees the reason")
	}
	if resp, _ := env.PostForm(t, admin, "/admin/attestations/"+cert.ID+"/retablir", url.Values{"motif": {"Erreur de saisie"}, "code": {cert.Code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reinstate: %d", resp.StatusCode)
	}
	if _, body := get(t, env, anon, "/verifier/"+cert.Code); !strings.Contains(body, "Attestation valide") {
		t.Fatal("the public page does not show the reinstatement")
	}
	if resp, _ := get(t, env, env.LoggedIn(t, holder), "/profil/attestations/"+cert.ID+".pdf"); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("holder's PDF: %d", resp.StatusCode)
	}
	if resp, _ := get(t, env, env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner)), "/profil/attestations/"+cert.ID+".pdf"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's PDF: %d", resp.StatusCode)
	}
}

// TestTrainerAddsCoOwner: a trainer adds a co-author, who can then edit the module.
func TestTrainerAddsCoOwner(t *testing.T) {
	env := testenv.New(t)
	owner, other := env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer)
	apiModule(t, env, "module-coauteur")
	c := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	if resp, _ := env.PostForm(t, c, "/formation/modules/module-coauteur/coproprietaires", url.Values{"email": {owner.Email}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add co-owner: %d", resp.StatusCode)
	}
	oc := env.LoggedIn(t, owner)
	if resp, _ := get(t, env, oc, "/formation/modules/module-coauteur/fichiers/module.md"); resp.StatusCode != 200 {
		t.Fatalf("the co-author cannot edit: %d", resp.StatusCode)
	}
	if resp, _ := get(t, env, env.LoggedIn(t, other), "/formation/modules/module-coauteur/fichiers/module.md"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another trainer edits: %d", resp.StatusCode)
	}
	if resp, body := env.PostForm(t, oc, "/formation/modules/module-coauteur/coproprietaires", url.Values{"email": {"personne@nulle.part"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Aucun compte formateur") {
		t.Fatalf("unknown co-author: %d", resp.StatusCode)
	}
}
