package certificates_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"ardoise/certificates"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
)

func TestIssueIsIdempotent(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		req := request("line-1")
		first, err := s.Issue(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if first.ID != "att-line-1" || first.Kind != certificates.KindTraining || len(first.Code) != certificates.CodeLength {
			t.Fatalf("issued %+v", first)
		}
		again, err := s.Issue(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if again.Code != first.Code || !again.IssuedAt.Equal(first.IssuedAt) {
			t.Errorf("second issue: code %s at %v, first %s at %v", again.Code, again.IssuedAt, first.Code, first.IssuedAt)
		}

		// Concurrently, on another source: one record, one code, one PDF, one mail.
		req = request("line-2")
		codes := make([]string, 8)
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				c, err := s.Issue(ctx, req)
				errs[i] = err
				if c != nil {
					codes[i] = c.Code
				}
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("issuer %d: %v", i, err)
			}
			if codes[i] != codes[0] {
				t.Fatalf("codes differ: %v", codes)
			}
		}
		for _, src := range []string{"line-1", "line-2"} {
			id := certificates.CertificateID(src)
			store := certificates.NewStore(fx.DB)
			n, err := store.CountBySource(ctx, src)
			if err != nil || n != 1 {
				t.Errorf("%s: %d records (%v)", src, n, err)
			}
			if _, err := store.PDF(ctx, id); err != nil { // one at most: the PDF's id is the certificate's
				t.Errorf("%s: no PDF (%v)", src, err)
			}
			mails, err := fx.Mailer.To(ctx, request(src).HolderEmail)
			if err != nil || len(mails) != 1 {
				t.Fatalf("%s: %d mails (%v)", src, len(mails), err)
			}
			m := mails[0]
			c, _ := store.ByID(ctx, id)
			for _, want := range []string{"http://localhost/verifier/" + c.Code, "http://localhost/profil/attestations/" + id + ".pdf", "Évaluer avec le numérique", certificates.DisplayCode(c.Code)} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("%s: mail body lacks %q:\n%s", src, want, m.Body)
				}
			}
			if !strings.Contains(m.Subject, "attestation") {
				t.Errorf("mail subject %q", m.Subject)
			}
		}
		list, err := s.ForHolder(ctx, "u-claire")
		if err != nil || len(list) != 2 || list[0].ID != "att-line-2" {
			t.Errorf("ForHolder: %d certificates, %v", len(list), err)
		}

		// No address: issued without a mail.
		req = request("line-3")
		req.HolderEmail = ""
		if _, err := s.Issue(ctx, req); err != nil {
			t.Fatal(err)
		}
		// A bad request is refused.
		req = request("line-4")
		req.Nature = "online"
		if _, err := s.Issue(ctx, req); !errors.Is(err, errkind.ErrInvalid) {
			t.Errorf("bad nature: %v", err)
		}
	})
}

func TestVerifyRevokeReinstate(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		req := request("line-9")
		c, err := s.Issue(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		// As typed by a person: lower case, grouped.
		p, err := s.Verify(ctx, strings.ToLower(certificates.DisplayCode(c.Code)))
		if err != nil {
			t.Fatal(err)
		}
		if !p.Valid || p.Revoked || p.HolderName != "Claire Dupré-Lefèvre" || p.Title != req.Title || p.Hours != 3.5 || p.Code != c.Code {
			t.Errorf("public %+v", p)
		}
		raw, _ := json.Marshal(p)
		var keys map[string]any
		_ = json.Unmarshal(raw, &keys)
		got := make([]string, 0, len(keys))
		for k := range keys {
			got = append(got, k)
		}
		slices.Sort(got)
		if want := []string{"code", "completedAt", "holderName", "hours", "issuedAt", "kind", "revoked", "title", "valid"}; !slices.Equal(got, want) {
			t.Errorf("public JSON keys %v, want %v", got, want)
		}

		unknown := "ZZZZZZZZZZ"
		if unknown == c.Code {
			unknown = "YYYYYYYYYY"
		}
		for _, code := range []string{unknown, "not-a-code", "", "0000000000"} {
			if _, err := s.Verify(ctx, code); !errkind.IsNotFound(err) {
				t.Errorf("Verify(%q): %v, want not found", code, err)
			}
		}

		// Admin revocation: a reason is required.
		if _, err := s.Revoke(ctx, "u-admin", c.ID, " x "); !errors.Is(err, errkind.ErrInvalid) {
			t.Errorf("revoke without reason: %v", err)
		}
		if _, err := s.Revoke(ctx, "u-admin", c.ID, strings.Repeat("a", 501)); !errors.Is(err, errkind.ErrInvalid) {
			t.Errorf("revoke with a long reason: %v", err)
		}
		if _, err := s.Revoke(ctx, "u-admin", "att-nothing", "Erreur de saisie"); !errkind.IsNotFound(err) {
			t.Errorf("revoke unknown: %v", err)
		}
		r, err := s.Revoke(ctx, "u-admin", c.ID, "Erreur de saisie")
		if err != nil || !r.Revoked || r.RevokedBy != "u-admin" {
			t.Fatalf("revoke: %+v, %v", r, err)
		}
		p, err = s.Verify(ctx, c.Code)
		if err != nil || p.Valid || !p.Revoked || p.RevokedAt.IsZero() {
			t.Errorf("revoked public %+v, %v", p, err)
		}
		// The reason stays in the record (holder, admins), never in the public view.
		if stored, _ := certificates.NewStore(fx.DB).ByID(ctx, c.ID); stored == nil || stored.RevokedReason != "Erreur de saisie" {
			t.Errorf("the record lost the reason: %+v", stored)
		}
		if raw, _ := json.Marshal(p); strings.Contains(string(raw), "Erreur de saisie") || strings.Contains(string(raw), "revokedReason") {
			t.Errorf("the public view shows the reason: %s", raw)
		}
		// Revoking again changes nothing; the source does not lift an admin's revocation.
		if _, err := s.Revoke(ctx, "u-admin", c.ID, "Encore"); err != nil {
			t.Fatal(err)
		}
		if again, err := s.Issue(ctx, req); err != nil || !again.Revoked {
			t.Errorf("issue after an admin's revocation: revoked=%v, %v", again != nil && again.Revoked, err)
		}
		r, err = s.Reinstate(ctx, "u-admin", c.ID, "Vérification faite")
		if err != nil || r.Revoked || r.RevokedReason != "" {
			t.Fatalf("reinstate: %+v, %v", r, err)
		}

		// The source revokes and reinstates.
		rev := req
		rev.Revoked, rev.RevokeReason = true, "Ligne d'heures rejetée"
		r, err = s.Issue(ctx, rev)
		if err != nil || !r.Revoked || r.RevokedBy != certificates.SystemActor || r.RevokedReason != "Ligne d'heures rejetée" {
			t.Fatalf("issue revoked: %+v, %v", r, err)
		}
		if _, err := s.Issue(ctx, rev); err != nil {
			t.Fatal(err)
		}
		r, err = s.Issue(ctx, req)
		if err != nil || r.Revoked {
			t.Fatalf("issue again: %+v, %v", r, err)
		}
		if p, err := s.Verify(ctx, c.Code); err != nil || !p.Valid {
			t.Errorf("reinstated public %+v, %v", p, err)
		}
		var actions []string
		for _, e := range r.History {
			actions = append(actions, e.Action+":"+e.By)
		}
		want := []string{"issued:system", "revoked:u-admin", "reinstated:u-admin", "revoked:system", "reinstated:system"}
		if !slices.Equal(actions, want) {
			t.Errorf("history %v, want %v", actions, want)
		}
		if r.Code != c.Code {
			t.Errorf("code changed: %s → %s", c.Code, r.Code)
		}

		// A revoked request for a source never issued issues nothing.
		nothing := request("line-never")
		nothing.Revoked = true
		if c, err := s.Issue(ctx, nothing); err != nil || c != nil {
			t.Errorf("revoked, never issued: %+v, %v", c, err)
		}
		if _, err := certificates.NewStore(fx.DB).ByID(ctx, "att-line-never"); !errkind.IsNotFound(err) {
			t.Errorf("never issued: %v", err)
		}
	})
}

func TestPDF(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		c, err := s.Issue(ctx, request("line-pdf"))
		if err != nil {
			t.Fatal(err)
		}
		data, got, err := s.PDF(ctx, c.ID, "u-claire", false)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("PDF: %d bytes", len(data))
		if got.ID != c.ID {
			t.Errorf("record %s", got.ID)
		}
		if !strings.HasPrefix(string(data), "%PDF-") {
			t.Errorf("header %q", data[:8])
		}
		if !strings.Contains(string(data), "/Count 1\n") {
			t.Errorf("PDF is not one page")
		}
		if len(data) >= 60*1024 {
			t.Errorf("PDF is %d bytes, want under 60 KB", len(data))
		}
		text := testenv.PDFText(data)
		for _, want := range []string{
			certificates.DisplayCode(c.Code), "/verifier/" + c.Code,
			"Attestation de formation", "3 h 30", "29 novembre 2026", "Quiz r\xe9ussi : 80 %",
			"Dupr\xe9-Lef\xe8vre", "\xc9valuer avec le num\xe9rique", "Concevoir un quiz",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}

		// Letters outside cp1252 fall back to their base letter.
		intl := request("line-intl")
		intl.HolderID, intl.HolderName = "u-lukasz", "Łukasz Nguyễn"
		ci, err := s.Issue(ctx, intl)
		if err != nil {
			t.Fatal(err)
		}
		if data, _, err := s.PDF(ctx, ci.ID, "u-lukasz", false); err != nil || !strings.Contains(testenv.PDFText(data), "Lukasz Nguyen") {
			t.Errorf("PDF of Łukasz Nguyễn lacks \"Lukasz Nguyen\" (%v)", err)
		}

		if _, _, err := s.PDF(ctx, c.ID, "u-other", false); !errkind.IsNotFound(err) {
			t.Errorf("another holder: %v", err)
		}
		if _, _, err := s.PDF(ctx, c.ID, "", false); !errkind.IsNotFound(err) {
			t.Errorf("nobody: %v", err)
		}
		if _, _, err := s.PDF(ctx, c.ID, "u-admin", true); err != nil {
			t.Errorf("admin: %v", err)
		}

		// A lost PDF is regenerated, identical.
		store := certificates.NewStore(fx.DB)
		if err := store.LosePDF(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		again, _, err := s.PDF(ctx, c.ID, "u-claire", false)
		if err != nil || string(again) != string(data) {
			t.Errorf("regenerated PDF differs (%d vs %d bytes), %v", len(again), len(data), err)
		}
		if _, err := store.PDF(ctx, c.ID); err != nil {
			t.Errorf("no PDF stored after regeneration: %v", err)
		}
	})
}

func TestRGPD(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		c, err := s.Issue(ctx, request("line-rgpd"))
		if err != nil {
			t.Fatal(err)
		}
		other := request("line-other")
		other.HolderID, other.HolderName = "u-other", "Marc Petit"
		if _, err := s.Issue(ctx, other); err != nil {
			t.Fatal(err)
		}
		exp, err := s.ExportFor(ctx, "u-claire")
		if err != nil || len(exp) != 1 || exp[0].Code != c.Code {
			t.Fatalf("export: %+v, %v", exp, err)
		}
		if err := s.DeleteFor(ctx, "u-claire"); err != nil {
			t.Fatal(err)
		}
		store := certificates.NewStore(fx.DB)
		if _, err := store.PDF(ctx, c.ID); !errkind.IsNotFound(err) {
			t.Errorf("PDF kept after erasure (%v)", err)
		}
		p, err := s.Verify(ctx, c.Code)
		if err != nil || p.HolderName != certificates.DeletedName || !p.Valid {
			t.Errorf("after erasure: %+v, %v", p, err)
		}
		if _, err := store.PDF(ctx, "att-line-other"); err != nil {
			t.Errorf("another holder's PDF deleted (%v)", err)
		}
		data, _, err := s.PDF(ctx, c.ID, "", true)
		if err != nil || strings.Contains(testenv.PDFText(data), "Claire") {
			t.Errorf("regenerated PDF after erasure still names the holder (%v)", err)
		}
	})
}
