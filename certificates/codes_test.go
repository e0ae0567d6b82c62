package certificates_test

import (
	"fmt"
	"testing"

	"ardoise/certificates"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
)

// TestCodesFromBeforeCodeDocuments: certificates issued before code
// documents existed are not found by their code until the start-up
// migration gives each its code document; it runs once, and a second
// start does nothing. Issuing keeps one code document per certificate.
func TestCodesFromBeforeCodeDocuments(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture, s *certificates.Service) {
		ctx := testenv.Ctx(t)
		store := certificates.NewStore(fx.DB)
		var issued []*certificates.Certificate
		for i := range 5 {
			c, err := s.Issue(ctx, request(fmt.Sprintf("line-%d", i)))
			if err != nil {
				t.Fatal(err)
			}
			issued = append(issued, c)
		}
		if n, err := store.CountCodes(ctx); err != nil || n != 5 {
			t.Fatalf("%d code documents for 5 certificates: %v", n, err)
		}
		if err := store.ForgetCodes(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Verify(ctx, issued[0].Code); !errkind.IsNotFound(err) {
			t.Fatalf("a code without its document verified: %v", err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range issued {
			p, err := s.Verify(ctx, c.Code)
			if err != nil || p.Code != certificates.DisplayCode(c.Code) && p.Code != c.Code {
				t.Fatalf("after the migration, %s: %+v %v", c.Code, p, err)
			}
		}
		if n, err := store.IndexCodes(ctx); err != nil || n != 0 {
			t.Fatalf("a second migration indexed %d codes: %v", n, err)
		}
		if n, err := store.CountCodes(ctx); err != nil || n != 5 {
			t.Fatalf("%d code documents after the migration, want 5: %v", n, err)
		}
	})
}
