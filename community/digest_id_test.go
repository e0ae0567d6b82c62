package community

import (
	"testing"
	"time"
)

// TestDigestIDNamesItsNotifications: a retried digest of the same
// notifications has the same mail id (the outbox keeps one message), one
// with a notification more has another (it is sent, not lost).
func TestDigestIDNamesItsNotifications(t *testing.T) {
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	a := digestID("daily", day, "u1", []string{"n1", "n2"})
	if b := digestID("daily", day, "u1", []string{"n1", "n2"}); a != b {
		t.Errorf("same notifications, ids %q and %q", a, b)
	}
	for _, other := range []string{
		digestID("daily", day, "u1", []string{"n1", "n2", "n3"}),
		digestID("daily", day, "u2", []string{"n1", "n2"}),
		digestID("weekly", day, "u1", []string{"n1", "n2"}),
		digestID("daily", day.AddDate(0, 0, 1), "u1", []string{"n1", "n2"}),
	} {
		if other == a {
			t.Errorf("different digests share the id %q", a)
		}
	}
}
