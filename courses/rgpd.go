package courses

import "context"

// PersonalData is what the courses domain stores about a person.
type PersonalData struct {
	Enrolments []Enrolment `json:"enrolments"`
	Hours      []Line      `json:"hoursLedger"`
}

// ExportFor gathers a person's enrolments and ledger lines.
func (s *Service) ExportFor(ctx context.Context, userID string) (*PersonalData, error) {
	es, err := s.store.EnrolmentsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	years, err := s.HoursOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := &PersonalData{Enrolments: es, Hours: []Line{}}
	for _, y := range years {
		out.Hours = append(out.Hours, y.Lines...)
	}
	return out, nil
}

// DeleteFor erases a person's learning traces: enrolments (progress, time,
// answers) are deleted, and the person leaves the cohorts of open sessions
// where nothing was recorded for them. Ledger lines are payment records the
// administration must keep (10 years): they stay as they are, name
// included, tied to the account's anonymous tombstone; nothing in them is
// rewritten.
func (s *Service) DeleteFor(ctx context.Context, userID string) error {
	if err := s.store.deleteEnrolmentsOf(ctx, userID); err != nil {
		return err
	}
	return s.store.leaveSessions(ctx, userID)
}
