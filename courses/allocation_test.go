package courses_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"ardoise/courses"
)

func TestBuiltInAllocationHasAYearlyCap(t *testing.T) {
	a, err := courses.LoadAllocation("")
	if err != nil {
		t.Fatal(err)
	}
	r, ok := a.On("2026-10-19")
	if !ok || r.HourlyCents != 2000 || r.HalfDayCapCents != 6000 || r.DayCapCents != 12000 || r.YearlyCapCents != 60000 {
		t.Fatalf("built-in rate: %+v %v", r, ok)
	}
	bad := filepath.Join(t.TempDir(), "rates.json")
	if err := os.WriteFile(bad, []byte(`{"rates":[{"from":"2019-09-01","hourly_cents":2000,"half_day_cap_cents":6000,"day_cap_cents":12000,"yearly_cap_cents":-1,"reference":"x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := courses.LoadAllocation(bad); err == nil {
		t.Fatal("a negative yearly cap was accepted")
	}
}

// TestSessionEnds: a session ends with its last half-day, at 12:00 for a
// morning and 17:00 for an afternoon, Paris time, summer or winter.
func TestSessionEnds(t *testing.T) {
	for _, tt := range []struct {
		halfDays string
		want     time.Time
	}{
		{"2027-02-15-am", time.Date(2027, 2, 15, 11, 0, 0, 0, time.UTC)},
		{"2027-02-15-am 2027-02-15-pm", time.Date(2027, 2, 15, 16, 0, 0, 0, time.UTC)},
		{"2027-07-06-pm, 2027-07-05-am", time.Date(2027, 7, 6, 15, 0, 0, 0, time.UTC)},
		{"2027-07-06-am 2027-07-05-pm", time.Date(2027, 7, 6, 10, 0, 0, 0, time.UTC)},
	} {
		hd, err := courses.ParseHalfDays(tt.halfDays)
		if err != nil {
			t.Fatal(err)
		}
		ss := courses.Session{HalfDays: hd}
		if got := ss.Ends(); !got.Equal(tt.want) {
			t.Errorf("%s ends %s, want %s", tt.halfDays, got.UTC(), tt.want)
		}
	}
}
