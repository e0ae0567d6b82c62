package certification

import "context"

// PutCentre stores a centre as given (after the session's tests).
func (s *Store) PutCentre(ctx context.Context, c *Centre) error { return s.insertCentre(ctx, c) }

// SetMark sets the first pass's mark of a test's jury line and clears its
// decision, as a first pass that found an error would.
func (s *Store) SetMark(ctx context.Context, sessionID, testID, mark string) error {
	_, err := s.update(ctx, sessionID, func(x *Session) error {
		for i := range x.Jury {
			if x.Jury[i].TestID == testID {
				x.Jury[i].Mark, x.Jury[i].Decision = mark, ""
			}
		}
		return nil
	})
	return err
}
