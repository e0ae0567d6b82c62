package courses

import (
	"math/rand/v2"
	"testing"
	"time"
)

func twoPageModule() *Module {
	return &Module{DurationMinutes: 10, Pages: []Page{{ID: "01-a", Hash: "a"}, {ID: "02-b", Hash: "b"}}}
}

func TestCountTimeRules(t *testing.T) {
	m := twoPageModule()
	if m.PageCap() != 10*time.Minute {
		t.Fatalf("page cap %v, want 2×10min/2", m.PageCap())
	}
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	e := &Enrolment{}
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	e.countTime(m, actViewJS, "01-a", at(0))
	e.markSeen(&m.Pages[0], at(0))
	steps := []struct {
		kind activity
		page string
		at   time.Duration
		want int // total active seconds after the event
	}{
		{actBeat, "01-a", 5 * time.Second, 0},   // too soon: not counted
		{actBeat, "01-a", 15 * time.Second, 15}, // one beat
		{actBeat, "01-a", 20 * time.Second, 15}, // too soon again
		{actBeat, "01-a", 30 * time.Second, 30},
		{actBeat, "01-a", 10 * time.Minute, 45}, // away for minutes: one beat at most
		{actViewJS, "02-b", 10*time.Minute + 40*time.Second, 60},
		{actBeat, "01-a", 11 * time.Minute, 60}, // a beat from another tab restarts the clock there
	}
	for i, s := range steps {
		if s.kind != actBeat {
			pg, _, _ := m.Page(s.page)
			e.markSeen(pg, at(s.at))
		}
		e.countTime(m, s.kind, s.page, at(s.at))
		if e.ActiveSeconds != s.want {
			t.Fatalf("step %d: %d s active, want %d", i, e.ActiveSeconds, s.want)
		}
	}
	// Without JavaScript a view counts the time since the last event, up to the page cap.
	e.countTime(m, actViewNoJS, "02-b", at(25*time.Minute))
	if got := e.Page("01-a").ActiveSeconds; got != 10*60 {
		t.Errorf("page 01-a counted %d s, want its cap of 600", got)
	}
	e.countTime(m, actViewNoJS, "01-a", at(25*time.Minute+90*time.Second))
	if got := e.Page("02-b").ActiveSeconds; got != 90 {
		t.Errorf("page 02-b counted %d s, want 90", got)
	}
}

// Whatever a client sends, in any order and at any pace, the time counted
// never exceeds the time the server saw pass, nor the pages' caps.
func TestCountTimeNeverExceedsServerClock(t *testing.T) {
	m := twoPageModule()
	r := rand.New(rand.NewPCG(1, 2))
	for run := range 200 {
		e := &Enrolment{}
		t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
		now := t0
		for range 300 {
			now = now.Add(time.Duration(r.IntN(40_000)) * time.Millisecond)
			pg := &m.Pages[r.IntN(2)]
			kind := activity(r.IntN(3))
			if kind != actBeat {
				e.markSeen(pg, now)
			}
			e.countTime(m, kind, pg.ID, now)
		}
		if elapsed := int(now.Sub(t0) / time.Second); e.ActiveSeconds > elapsed {
			t.Fatalf("run %d: %d s counted in %d s", run, e.ActiveSeconds, elapsed)
		}
		for _, p := range e.Pages {
			if p.ActiveSeconds > int(m.PageCap()/time.Second) {
				t.Fatalf("run %d: page %s over its cap: %d", run, p.ID, p.ActiveSeconds)
			}
		}
	}
}

func TestSchoolYear(t *testing.T) {
	for in, want := range map[string]string{
		"2026-08-31T21:59:00Z": "2025-2026", // 23:59 in Paris
		"2026-08-31T22:30:00Z": "2026-2027", // 00:30 on 1 September in Paris
		"2027-06-30T12:00:00Z": "2026-2027",
		"2027-01-01T00:00:00Z": "2026-2027",
	} {
		at, _ := time.Parse(time.RFC3339, in)
		if got := SchoolYear(at); got != want {
			t.Errorf("SchoolYear(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestAllocationAmounts(t *testing.T) {
	a, err := LoadAllocation("")
	if err != nil {
		t.Fatal(err)
	}
	r, ok := a.On("2027-02-15")
	if !ok || r.HourlyCents != 2000 {
		t.Fatalf("rate on 2027-02-15: %+v %v", r, ok)
	}
	if _, ok := a.On("2018-01-01"); ok {
		t.Error("a rate before the decree")
	}
	hd := func(s string) []HalfDay { h, _ := ParseHalfDays(s); return h }
	cases := []struct {
		halfDays string
		minutes  int
		want     int
	}{
		{"2027-02-15-am", 120, 4000},                              // 2 h: 40 €
		{"2027-02-15-am", 240, 6000},                              // 4 h: capped at 60 € the half-day
		{"2027-02-15-am 2027-02-15-pm", 360, 12000},               // 6 h in a day: 120 €
		{"2027-02-15-am 2027-02-15-pm", 600, 12000},               // 10 h in a day: capped at 120 €
		{"2027-02-15-am 2027-02-16-am 2027-02-16-pm", 540, 18000}, // 3 h each: 60 + 120
		{"2027-02-15-am 2027-02-15-pm", 90, 3000},                 // 1 h 30: 30 €
	}
	for _, c := range cases {
		if got := r.Amount(hd(c.halfDays), c.minutes); got != c.want {
			t.Errorf("%s, %d min: %d cents, want %d", c.halfDays, c.minutes, got, c.want)
		}
	}
	for _, bad := range []string{"", "2027-02-15", "2027-02-30-am", "2027-02-15-soir"} {
		if _, err := ParseHalfDays(bad); err == nil {
			t.Errorf("half-days %q accepted", bad)
		}
	}
}
