package campaigns

import "time"

// firstShared returns the participation shared first among ps, up to and
// including until (nil when none is); ties go to the smaller id.
func firstShared(ps []Participation, until time.Time) *Participation {
	var first *Participation
	for i := range ps {
		p := &ps[i]
		if !p.Shared() || p.SharedAt.After(until) {
			continue
		}
		if first == nil || p.SharedAt.Before(first.SharedAt) || p.SharedAt.Equal(first.SharedAt) && p.ID < first.ID {
			first = p
		}
	}
	return first
}
