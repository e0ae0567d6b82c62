package campaigns

import (
	"context"
	"slices"
	"strconv"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Results is what an organiser's dashboard shows of a campaign.
type Results struct {
	Campaign *Campaign
	Counters *Counters
	// Participants is one page of shared participations, newest first.
	Participants []SharedEntry
	// Next is the cursor of the page before ("" on the oldest page).
	Next string
}

// Results returns a campaign's counters and one page of its shared
// participations, newest first, to its organiser: three reads by _id
// (the campaign, its counters, one page) whatever the number of
// participants. after is the cursor Next gave ("" for the newest page).
func (s *Service) Results(ctx context.Context, u *profile.User, id, after string) (*Results, error) {
	c, err := s.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	k, err := s.countersOf(ctx, c)
	if err != nil {
		return nil, err
	}
	r := &Results{Campaign: c, Counters: k, Participants: []SharedEntry{}}
	last := (k.Shared - 1) / PageSize
	n := last
	if after != "" {
		n, err = strconv.Atoi(after)
		if err != nil || n < 0 || n > last {
			return nil, errkind.Invalid("after", "bad_cursor")
		}
	}
	if k.Shared == 0 {
		return r, nil
	}
	pg, err := s.store.page(ctx, c.ID, n)
	if err != nil {
		return nil, err
	}
	if pg != nil {
		// Entries past the counters' rank are a crashed count's, not counted.
		r.Participants = pg.Entries[:min(len(pg.Entries), k.Shared-n*PageSize)]
		slices.Reverse(r.Participants)
	}
	if n > 0 {
		r.Next = strconv.Itoa(n - 1)
	}
	return r, nil
}

// Shared returns every shared participation of a campaign to its
// organiser, oldest first (the CSV export: one read per PageSize).
func (s *Service) Shared(ctx context.Context, u *profile.User, id string) (*Campaign, []SharedEntry, error) {
	c, err := s.Get(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	k, err := s.countersOf(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	out := make([]SharedEntry, 0, k.Shared)
	for n := 0; n*PageSize < k.Shared; n++ {
		pg, err := s.store.page(ctx, c.ID, n)
		if err != nil {
			return nil, nil, err
		}
		if pg != nil {
			out = append(out, pg.Entries[:min(len(pg.Entries), k.Shared-n*PageSize)]...)
		}
	}
	return c, out, nil
}
