package courses

import "time"

// Active time is measured by the server only, between two of its own
// instants; the client merely says when it is there.
//
//   - A heartbeat comes from a visible page every BeatEvery while its
//     reader is active (the page's script stops beating after IdleAfter
//     without input, or when the page is hidden). A beat counts only when
//     at least beatMin has passed since the last counted event, and it
//     counts the time since that event, at most BeatEvery: a client beating
//     faster gains nothing, one that was away gains at most one beat.
//   - Without JavaScript, a page view counts the time since the previous
//     counted event, bounded by the page cap: reading a page takes a while,
//     and the server clock bounds what can be claimed.
//   - No page ever counts more than its cap (PageCap), so a tab left open
//     cannot fill the declared duration on its own.
const (
	BeatEvery = 15 * time.Second
	IdleAfter = 60 * time.Second
	beatMin   = 14 * time.Second
)

// PageCap is the most active time one page may count: twice its share of
// the declared duration, and at least two minutes.
func (m *Module) PageCap() time.Duration {
	if len(m.Pages) == 0 {
		return 0
	}
	c := 2 * time.Duration(m.DurationMinutes) * time.Minute / time.Duration(len(m.Pages))
	return max(c, 2*time.Minute)
}

// event kinds that count time.
type activity int

const (
	actBeat     activity = iota // heartbeat from a visible, active page
	actViewJS                   // page view from a page whose script beats
	actViewNoJS                 // page view without JavaScript
)

// countTime credits the time since the last counted event to the page it
// was spent on, following the rules above, and moves the clock to now on
// page. It returns the seconds credited.
func (e *Enrolment) countTime(m *Module, kind activity, page string, now time.Time) int {
	since := now.Sub(e.Clock)
	if e.Clock.IsZero() || since < 0 {
		since = 0
	}
	var bound time.Duration
	switch kind {
	case actBeat:
		if since < beatMin || e.ClockPage != page {
			if e.ClockPage != page {
				// A beat from another page (two tabs): restart the clock there.
				e.Clock, e.ClockPage = now, page
			}
			return 0
		}
		bound = BeatEvery
	case actViewJS:
		bound = BeatEvery
	case actViewNoJS:
		bound = m.PageCap()
	}
	credit := min(since, bound)
	seconds := 0
	if p := e.Page(e.ClockPage); p != nil && credit > 0 {
		room := int(m.PageCap()/time.Second) - p.ActiveSeconds
		seconds = max(0, min(int(credit/time.Second), room))
		p.ActiveSeconds += seconds
		e.ActiveSeconds += seconds
	}
	e.Clock, e.ClockPage = now, page
	return seconds
}

// markSeen records a first view of a page.
func (e *Enrolment) markSeen(pg *Page, now time.Time) {
	if e.Page(pg.ID) == nil {
		e.Pages = append(e.Pages, PageProgress{ID: pg.ID, Hash: pg.Hash, SeenAt: now})
	}
}
