package certification

import (
	"fmt"
	"time"

	"ardoise/internal/clock"
	"ardoise/internal/errkind"
)

// Durations and limits of the day (docs/certification.md).
const (
	// TestDuration is the certification test's time, before extra time.
	TestDuration = 105 * time.Minute
	// checkInBefore is how long before its start a session takes check-ins.
	checkInBefore = 30 * time.Minute
	// supervisionTries is how many invigilator passwords a session takes
	// per supervisionWindow; checkInTries how many check-ins an account
	// makes per hour.
	supervisionTries  = 5
	supervisionWindow = 15 * time.Minute
	checkInTries      = 10
)

// Refusal codes of the day; each has its French message in the catalog
// (error.<code>).
const (
	CodeNotOpen      = "certification_not_open"
	CodeOutsideHours = "certification_outside_hours"
	CodeNotOnList    = "certification_not_on_list"
	CodeAccessCode   = "certification_access_code"
	CodeNotConfirmed = "certification_not_confirmed"
	CodeTestOver     = "certification_test_over"
	CodeSessionOver  = "certification_session_over"
)

func refused(code string) error { return &errkind.RefusedError{Code: code} }

// window returns when check-in opens (30 minutes before the start) and
// when it closes (the end of the session's day), in Paris time.
func (x *Session) window() (from, to time.Time, err error) {
	start, err := time.ParseInLocation("2006-01-02 15:04", x.Date+" "+x.Time, clock.Paris())
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("certification: session %s date %q %q: %w", x.ID, x.Date, x.Time, err)
	}
	day, _ := time.ParseInLocation("2006-01-02", x.Date, clock.Paris())
	return start.Add(-checkInBefore), day.AddDate(0, 0, 1), nil
}

// dayOpen checks that the session takes check-ins and starts at now: it is
// open, and now is within its window.
func (x *Session) dayOpen(now time.Time) error {
	switch x.Status {
	case StatusCreated:
		return refused(CodeNotOpen)
	case StatusOpen:
	default:
		return refused(CodeSessionOver)
	}
	return x.withinHours(now)
}

// withinHours checks that now is within the session's check-in window:
// from 30 minutes before its start to the end of its day.
func (x *Session) withinHours(now time.Time) error {
	from, to, err := x.window()
	if err != nil {
		return err
	}
	if now.Before(from) || !now.Before(to) {
		return refused(CodeOutsideHours)
	}
	return nil
}

// deadline is when a candidate's test stops taking answers.
func (c *Candidate) deadline(start time.Time) time.Time {
	return start.Add(TestDuration + TestDuration*time.Duration(c.ExtraTime)/100)
}

// event appends a line to the session's log.
func (x *Session) event(at time.Time, kind, candidate, detail string) {
	x.Events = append(x.Events, Event{At: at, Kind: kind, CandidateID: candidate, Detail: detail})
}
