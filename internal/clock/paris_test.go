package clock

import (
	"testing"
	"time"
)

func TestParisOffsets(t *testing.T) {
	// Winter is UTC+1, summer UTC+2, from the embedded zone data.
	for _, c := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), 3600},
		{time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC), 7200},
	} {
		if _, off := c.at.In(Paris()).Zone(); off != c.want {
			t.Errorf("%s: offset %d, want %d", c.at, off, c.want)
		}
	}
	if Paris() != Paris() {
		t.Error("Paris() loads the zone again")
	}
}
