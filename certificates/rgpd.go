package certificates

import "context"

// ExportFor returns a holder's certificate records for their RGPD export
// (the PDFs are derived from them and downloadable one by one).
func (s *Service) ExportFor(ctx context.Context, holderID string) ([]Certificate, error) {
	return s.store.ByHolder(ctx, holderID)
}

// DeleteFor erases a holder's personal data from their certificates: the
// PDFs (which print the name) are deleted, and the name in the records
// becomes DeletedName. The records stay, with their codes, state and
// history: a verifier who holds a printed attestation still learns that it
// was issued and whether it is valid, without the page naming anyone, and
// the hours it attests stay auditable. A PDF asked for afterwards (by an
// admin) is regenerated without the name.
func (s *Service) DeleteFor(ctx context.Context, holderID string) error {
	return s.store.anonymize(ctx, holderID)
}
