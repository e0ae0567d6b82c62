package certificates_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"ardoise/certificates"
	"ardoise/internal/testenv"
)

func TestHandleIssue(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		src := newSource()
		src.reqs["line-7"] = request("line-7")
		s.SetSource(src)

		task, err := certificates.NewIssueTask("line-7")
		if err != nil {
			t.Fatal(err)
		}
		if task.Type() != certificates.TypeIssue {
			t.Errorf("task %s", task.Type())
		}
		for range 2 { // a retried task changes nothing
			if err := s.HandleIssue(ctx, task); err != nil {
				t.Fatal(err)
			}
		}
		if n := src.doneCount("line-7"); n != 2 {
			t.Errorf("AttestationDone called %d times", n)
		}
		list, err := s.ForHolder(ctx, "u-claire")
		if err != nil || len(list) != 1 || list[0].SourceID != "line-7" {
			t.Fatalf("issued: %+v, %v", list, err)
		}

		// The source rejects the line: the same task revokes.
		r := request("line-7")
		r.Revoked, r.RevokeReason = true, "Heures non validées"
		src.mu.Lock()
		src.reqs["line-7"] = r
		src.mu.Unlock()
		if err := s.HandleIssue(ctx, task); err != nil {
			t.Fatal(err)
		}
		if p, err := s.Verify(ctx, list[0].Code); err != nil || !p.Revoked {
			t.Errorf("after rejection: %+v, %v", p, err)
		}

		// An unknown source: nothing to do, nothing marked done.
		gone, _ := certificates.NewIssueTask("line-gone")
		if err := s.HandleIssue(ctx, gone); err != nil {
			t.Errorf("unknown source: %v", err)
		}
		if src.doneCount("line-gone") != 0 {
			t.Errorf("done called for an unknown source")
		}
		// A bad payload is not retried.
		if err := s.HandleIssue(ctx, asynq.NewTask(certificates.TypeIssue, []byte("{"))); !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("bad payload: %v", err)
		}
	})
}

// TestErasureDuringIssue: the holder's account is erased after the source
// described the attestation (with the name) and before the record was
// stored, so the erasure found nothing to anonymize. Issue asks the source
// again once the record exists: the record and its PDF name nobody, and no
// mail goes to the old address.
func TestErasureDuringIssue(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		src := newSource()
		src.erased["u-claire"] = true
		s.SetSource(src)
		req := request("line-erased")
		c, err := s.Issue(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := certificates.NewStore(fx.DB).ByID(ctx, c.ID)
		if err != nil || c.HolderName != certificates.DeletedName || stored.HolderName != certificates.DeletedName {
			t.Fatalf("issued during erasure: %q, stored %+v %v", c.HolderName, stored, err)
		}
		pdf, _, err := s.PDF(ctx, c.ID, "", true)
		if err != nil {
			t.Fatal(err)
		}
		if text := testenv.PDFText(pdf); strings.Contains(text, "Claire") {
			t.Error("the PDF names the erased holder")
		}
		if msgs, _ := fx.Mailer.To(ctx, req.HolderEmail); len(msgs) != 0 {
			t.Errorf("mailed the erased holder: %d", len(msgs))
		}
		// A later request that already says "Compte supprimé" keeps it so.
		req.HolderName = certificates.DeletedName
		if again, err := s.Issue(ctx, req); err != nil || again.HolderName != certificates.DeletedName {
			t.Fatalf("again: %+v %v", again, err)
		}
	})
}
