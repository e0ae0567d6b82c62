package campaigns

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"ardoise/assessments"
	"ardoise/courses"
	"ardoise/profile"
)

// Territories counts every finished test of signed-in people by school
// year and circonscription (the territory counters), and publishes them
// once a day as snapshots that the inspectors' territory dashboards read
// by _id. See docs/territory.md.
type Territories struct {
	store       *TerritoryStore
	profile     *profile.Service
	assessments *assessments.Service
	courses     *courses.Service
	now         func() time.Time
}

// TerritoryDeps are what Territories needs.
type TerritoryDeps struct {
	Store       *TerritoryStore
	Profile     *profile.Service
	Assessments *assessments.Service
	Courses     *courses.Service
}

// NewTerritories returns the territory counters' service.
func NewTerritories(d TerritoryDeps) *Territories {
	return &Territories{store: d.Store, profile: d.Profile, assessments: d.Assessments, courses: d.Courses,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}

// MaxLevel is the highest level of a competence or a framework; levels go
// from 0 to MaxLevel.
const MaxLevel = 8

// maxCounted bounds the test ids a person's row remembers: a retried task
// runs seconds or minutes after the first run, never 100 tests later.
const maxCounted = 100

// PersonLevel is a person's latest level on a competence of a framework
// (Competence "" for the framework's overall level), and when the test
// that measured it ended.
type PersonLevel struct {
	Framework  string    `bson:"framework" json:"framework"`
	Competence string    `bson:"competence,omitempty" json:"competence,omitempty"`
	Level      int       `bson:"level" json:"level"`
	At         time.Time `bson:"at" json:"at"`
	TestID     string    `bson:"testId" json:"testId"`
}

// PersonRow is what a counter document holds of one person for a school
// year: their school, how many tests they finished, their latest levels.
type PersonRow struct {
	UserID string        `bson:"userId" json:"userId"`
	UAI    string        `bson:"uai,omitempty" json:"uai,omitempty"`
	Tests  int           `bson:"tests" json:"tests"`
	Levels []PersonLevel `bson:"levels" json:"levels"`
	// LastAt and LastTest are the latest test counted (by end time, then id).
	LastAt   time.Time `bson:"lastAt" json:"lastAt"`
	LastTest string    `bson:"lastTest" json:"lastTest"`
}

// Counter is the counter document of a school year and a circonscription
// (as far as people's territories name it): one row per person tested.
type Counter struct {
	ID         string            `bson:"_id"`
	SchoolYear string            `bson:"schoolYear"`
	Territory  profile.Territory `bson:"territory"` // without the school
	People     []PersonRow       `bson:"people"`
}

// person is a person's own state for a school year, the source of truth
// that counters copy: the key of the counter holding their row, the row,
// the tests already counted, and the counters that may still hold an
// older copy of the row (a move not finished).
type person struct {
	ID         string            `bson:"_id"` // schoolYear|userId
	SchoolYear string            `bson:"schoolYear"`
	Key        string            `bson:"key"`
	Territory  profile.Territory `bson:"territory"`
	Row        PersonRow         `bson:"row"`
	Counted    []string          `bson:"counted"`
	Stale      []string          `bson:"stale,omitempty"`
	Synced     bool              `bson:"synced"`
}

// counterKey is the _id of the counter of a school year and a territory:
// school year, académie, département and circonscription.
func counterKey(year string, t profile.Territory) string {
	return strings.Join([]string{year, t.Academie, t.Departement, t.Circonscription}, "|")
}

// ScopeKey is the _id of the snapshot of a school year and an inspection
// scope. The circonscription is lowercased, as Territory.Contains compares it.
func ScopeKey(year string, scope profile.Territory) string {
	return strings.Join([]string{year, scope.Academie, scope.Departement, strings.ToLower(scope.Circonscription)}, "|")
}

func personKey(year, userID string) string { return year + "|" + userID }

// newer reports whether a test that ended at (at, id) is later than (lastAt, lastID).
func newer(at time.Time, id string, lastAt time.Time, lastID string) bool {
	return at.After(lastAt) || at.Equal(lastAt) && id > lastID
}

// add counts test t, which ended in territory terr, into p (not yet
// counted there). The row follows the person's latest test: its school
// and counter key are those of the latest test by end time.
func (p *person) add(t *assessments.Test, terr profile.Territory) {
	p.Row.Tests++
	p.Counted = append(p.Counted, t.ID)
	if len(p.Counted) > maxCounted {
		p.Counted = p.Counted[len(p.Counted)-maxCounted:]
	}
	for _, l := range testLevels(t) {
		i := -1
		for j, have := range p.Row.Levels {
			if have.Framework == l.Framework && have.Competence == l.Competence {
				i = j
			}
		}
		switch {
		case i < 0:
			p.Row.Levels = append(p.Row.Levels, l)
		case newer(l.At, l.TestID, p.Row.Levels[i].At, p.Row.Levels[i].TestID):
			p.Row.Levels[i] = l
		}
	}
	sortLevels(p.Row.Levels)
	if p.Key == "" || newer(t.FinishedAt, t.ID, p.Row.LastAt, p.Row.LastTest) {
		p.Row.LastAt, p.Row.LastTest, p.Row.UAI = t.FinishedAt, t.ID, terr.UAI
		key := counterKey(p.SchoolYear, terr)
		if p.Key != "" && p.Key != key && !slices.Contains(p.Stale, p.Key) {
			p.Stale = append(p.Stale, p.Key)
		}
		p.Key, p.Territory = key, terr.Scope()
	}
	p.Synced = false
}

// testLevels lists what a finished test measured: each competence's level,
// and the framework's overall level for a test of the whole framework.
func testLevels(t *assessments.Test) []PersonLevel {
	if t.Result == nil {
		return nil
	}
	var out []PersonLevel
	for _, c := range t.Result.Competences {
		out = append(out, PersonLevel{Framework: t.Scope.Framework, Competence: c.ID, Level: clampLevel(c.Level), At: t.FinishedAt, TestID: t.ID})
	}
	if t.Scope.Competence == "" && len(t.Scope.Competences) == 0 {
		out = append(out, PersonLevel{Framework: t.Scope.Framework, Level: clampLevel(t.Result.Level), At: t.FinishedAt, TestID: t.ID})
	}
	return out
}

func clampLevel(l int) int { return min(max(l, 0), MaxLevel) }

// sortLevels orders levels by framework, then competence (overall first).
func sortLevels(ls []PersonLevel) {
	slices.SortFunc(ls, func(a, b PersonLevel) int {
		return cmp.Or(strings.Compare(a.Framework, b.Framework), strings.Compare(a.Competence, b.Competence))
	})
}

// CounterOf reads the live counter of a school year and a territory (nil
// when nobody is counted there): for tests and operators, never shown.
func (s *Territories) CounterOf(ctx context.Context, year string, t profile.Territory) (*Counter, error) {
	return s.store.Counter(ctx, counterKey(year, t))
}
