package certification

import "context"

// SetPending sets a session's pending marker again, as a task whose
// clearing write was lost would leave it.
func (s *Store) SetPending(ctx context.Context, sessionID, marker string) error {
	_, err := s.update(ctx, sessionID, func(x *Session) error {
		x.Pending = append(x.Pending, marker)
		return nil
	})
	return err
}
