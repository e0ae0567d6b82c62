package assessments

import "context"

// ExportFor returns every test of a person, with its answers, for the RGPD export.
func (s *Service) ExportFor(ctx context.Context, userID string) ([]Test, error) {
	return s.store.testsOf(ctx, userID)
}

// DeleteFor deletes a person's tests when their account is erased: a
// positioning result is theirs alone. The copies in the responses
// collection that calibration reads carry no person, only a test id.
func (s *Service) DeleteFor(ctx context.Context, userID string) error {
	return s.store.deleteTestsOf(ctx, userID)
}
