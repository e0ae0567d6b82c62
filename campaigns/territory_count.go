package campaigns

import (
	"context"
	"errors"
	"slices"

	"ardoise/assessments"
	"ardoise/courses"
	"ardoise/internal/errkind"
)

// CountTest counts a finished test in the territory counters: it is the
// assessments' finish hook, run by the worker at least once per finished
// test. Anonymous tests, tests of people without an académie and tests
// without a result are not counted. The test counts where the person's
// territory is when the worker runs it (normally seconds after the test
// ends), in the school year the test ended in.
//
// The person's own document (schoolYear|userId) is the source of truth:
// under the person's lock, (1) the test is added to it, with the counter
// that held the person's row marked stale if the row moves; (2) the row is
// copied into its counter; (3) the row is removed from every stale
// counter; (4) the person is marked synced. Each step is idempotent and a
// retry redoes (2) to (4) until (4) is written, so a crash anywhere and a
// retry leave every counter exact (docs/territory.md).
func (s *Territories) CountTest(ctx context.Context, t *assessments.Test) error {
	return s.count(ctx, t, nil)
}

// Count steps, named for crash tests: the step just written.
const (
	stepPerson = "person"
	stepRow    = "row"
	stepStale  = "stale"
)

// count is CountTest; crash, when not nil, is asked after each write
// whether the process dies there (tests).
func (s *Territories) count(ctx context.Context, t *assessments.Test, crash func(step string) bool) error {
	if t.UserID == "" || t.Result == nil || t.FinishedAt.IsZero() {
		return nil
	}
	u, err := s.profile.User(ctx, t.UserID)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Deleted || u.Territory.Academie == "" {
		return nil
	}
	year := courses.SchoolYear(t.FinishedAt)
	id := personKey(year, u.ID)
	release, err := s.store.lockPerson(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	p, err := s.store.person(ctx, id)
	if err != nil {
		return err
	}
	if p == nil {
		p = &person{ID: id, SchoolYear: year, Row: PersonRow{UserID: u.ID, Levels: []PersonLevel{}}, Counted: []string{}}
	}
	if !slices.Contains(p.Counted, t.ID) {
		p.add(t, u.Territory)
		if err := s.store.putPerson(ctx, p); err != nil {
			return err
		}
		if crash != nil && crash(stepPerson) {
			return errCrash
		}
	}
	if p.Synced {
		return nil
	}
	return s.sync(ctx, p, crash)
}

// sync copies p's row into its counter, removes it from the stale ones,
// then marks p synced.
func (s *Territories) sync(ctx context.Context, p *person, crash func(string) bool) error {
	if err := s.store.putRow(ctx, p); err != nil {
		return err
	}
	if crash != nil && crash(stepRow) {
		return errCrash
	}
	for _, key := range p.Stale {
		if key == p.Key {
			continue
		}
		if err := s.store.dropRow(ctx, key, p); err != nil {
			return err
		}
		if crash != nil && crash(stepStale) {
			return errCrash
		}
	}
	p.Stale, p.Synced = nil, true
	return s.store.putPerson(ctx, p)
}

// errCrash is what count returns where a test makes the process die.
var errCrash = errors.New("territory: simulated crash")
