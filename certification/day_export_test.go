package certification

import "context"

// PutSession stores a session as given, with its number claimed: the day's
// tests start from a session in a chosen state.
func (s *Store) PutSession(ctx context.Context, x *Session) error {
	if _, err := s.claimNumber(ctx, x.Number, x.ID); err != nil {
		return err
	}
	return s.insertSession(ctx, x)
}

// Replace stores a session as given, whole (no lock, no version check),
// claiming its number if it is new.
func (s *Store) Replace(ctx context.Context, x *Session) (*Session, error) {
	_, err := s.sessions.ReplaceOne(ctx, map[string]any{"_id": x.ID}, x)
	return x, err
}

// Session reads a session as stored.
func (s *Store) Session(ctx context.Context, id string) (*Session, error) { return s.session(ctx, id) }
