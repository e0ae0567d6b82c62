package campaigns

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// rebuildTTL bounds the lock a rebuild holds on one campaign's counters:
// it reads every participation of the campaign.
const rebuildTTL = 10 * time.Minute

// Rebuild recomputes every campaign's counters and shared pages from the
// participations (`ardoise aggregates rebuild`). Participations not
// counted yet (no Seq) are left to their pending count task, so a rebuild
// after the queue is drained equals the incremental state.
func (s *Service) Rebuild(ctx context.Context) (int, error) {
	ids, err := s.store.allCampaignIDs(ctx)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := s.RebuildCampaign(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// RebuildCampaign recomputes one campaign's counters and shared pages
// from its participations, under the counters' lock, and returns them.
func (s *Service) RebuildCampaign(ctx context.Context, id string) (*Counters, error) {
	release, err := s.store.locks.Lock(ctx, CountersCollection+":"+id, rebuildTTL)
	if err != nil {
		return nil, err
	}
	defer release()
	c, err := s.store.campaign(ctx, id)
	if err != nil || c == nil {
		return nil, err
	}
	var ps []Participation
	err = s.store.eachParticipation(ctx, id, func(p *Participation) error {
		if p.Seq > 0 {
			ps = append(ps, *p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ps, func(a, b Participation) int { return cmp.Compare(a.Seq, b.Seq) })
	k := newCounters(c, s.Measured(c))
	var shared []SharedEntry
	collect := func(_ context.Context, _ string, ord int, e SharedEntry) error {
		shared = append(shared[:ord], e)
		return nil
	}
	for i := range ps {
		if err := s.apply(ctx, c, k, &ps[i], collect); err != nil {
			return nil, err
		}
	}
	for n := 0; n*PageSize < len(shared); n++ {
		if err := s.store.putPage(ctx, id, n, shared[n*PageSize:min(len(shared), (n+1)*PageSize)]); err != nil {
			return nil, err
		}
	}
	if err := s.store.deletePagesFrom(ctx, id, (len(shared)+PageSize-1)/PageSize); err != nil {
		return nil, err
	}
	k.UpdatedAt = s.now()
	if err := s.store.saveCounters(ctx, k); err != nil {
		return nil, err
	}
	return k, nil
}
