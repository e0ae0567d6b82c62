package campaigns

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hibiken/asynq"

	"ardoise/internal/queue"
)

// TypeCount brings a campaign's counters up to date with one
// participation: joined, finished, shared. Its marker is written by the
// join, the finish hook and the share, and cleared once counted.
const TypeCount = "campaigns:count"

const markerCount = "count"

type countPayload struct {
	Participation string `json:"p"`
}

// NewCountTask returns the task that counts a participation.
func NewCountTask(id string) (*asynq.Task, error) {
	p, err := json.Marshal(countPayload{Participation: id})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeCount, p), nil
}

// Markers are the campaigns' pending work, registered with the outbox.
var Markers = []queue.Marker{
	{Collection: ParticipationsCollection, Name: markerCount, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewCountTask(id) }},
}

// HandleCount counts a participation in its campaign's counters.
func (s *Service) HandleCount(ctx context.Context, t *asynq.Task) error {
	var p countPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Participation == "" {
		return fmt.Errorf("campaigns: count payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return s.Count(ctx, p.Participation)
}

// Count brings the counters of a participation's campaign up to date
// with it, exactly once whatever the number of runs and wherever an
// earlier run stopped:
//
//  1. under the participation's lock, then the campaign's counter lock,
//     it reads both;
//  2. a participation counted for the first time gets the next Seq: the
//     counters reserve it, then the participation records it, before
//     anything is counted (a crash between burns a number; a crash after
//     leaves a Seq that the next run reuses);
//  3. a shared participation not yet in SharedBits is written at rank
//     Shared of the shared pages (a crash after leaves an entry that the
//     next run overwrites at the same rank);
//  4. the counters, bits included, are written in one document: that
//     write is the count;
//  5. the marker is cleared.
func (s *Service) Count(ctx context.Context, id string) error {
	releaseP, err := s.store.lockParticipation(ctx, id)
	if err != nil {
		return err
	}
	defer releaseP()
	p, err := s.store.participation(ctx, id)
	if err != nil || p == nil || !slices.Contains(p.Pending, markerCount) {
		return err
	}
	c, err := s.store.campaign(ctx, p.CampaignID)
	if err != nil {
		return err
	}
	if c == nil {
		return s.store.clearMarker(ctx, id) // the campaign is gone: nothing to count in
	}
	if !p.Erased {
		if err := s.store.addMember(ctx, p); err != nil {
			return err
		}
	}
	releaseC, err := s.store.lockCounters(ctx, c.ID)
	if err != nil {
		return err
	}
	defer releaseC()
	k, err := s.countersOf(ctx, c)
	if err != nil {
		return err
	}
	if p.Seq == 0 {
		// Reserve the number in the counters first: a crash before the
		// participation has it burns a number, never gives it twice.
		k.NextSeq++
		if err := s.store.saveCounters(ctx, k); err != nil {
			return err
		}
		p.Seq = k.NextSeq
		if err := s.store.saveParticipation(ctx, p); err != nil {
			return err
		}
		if err := s.failAfter("seq"); err != nil {
			return err
		}
	}
	put := func(ctx context.Context, campaignID string, ord int, e SharedEntry) error {
		if err := s.store.putShared(ctx, campaignID, ord, e); err != nil {
			return err
		}
		return s.failAfter("page")
	}
	if err := s.apply(ctx, c, k, p, put); err != nil {
		return err
	}
	k.UpdatedAt = s.now()
	if err := s.store.saveCounters(ctx, k); err != nil {
		return err
	}
	if err := s.failAfter("counters"); err != nil {
		return err
	}
	return s.store.clearMarker(ctx, id)
}

// failAfter is the crash a test injects after a step (nil in service).
func (s *Service) failAfter(step string) error {
	if s.fault == nil {
		return nil
	}
	return s.fault(step)
}

// countersOf reads a campaign's counters, or makes them empty.
func (s *Service) countersOf(ctx context.Context, c *Campaign) (*Counters, error) {
	k, err := s.store.counters(ctx, c.ID)
	if err != nil || k != nil {
		return k, err
	}
	return newCounters(c, s.Measured(c)), nil
}

// Measured lists the competences a campaign's test measures: its target
// profile's, or its whole framework's.
func (s *Service) Measured(c *Campaign) []string {
	var out []string
	if len(c.Targets) > 0 {
		for _, t := range c.Targets {
			out = append(out, t.Competence)
		}
		return out
	}
	if f, ok := s.assessments.Bank().Framework(c.Framework); ok {
		for _, comp := range f.Competences {
			out = append(out, comp.ID)
		}
	}
	return out
}

// apply adds to k what of p it does not hold yet; put writes a shared
// entry at its rank (the pages, or nothing for a rebuild that writes them
// itself).
func (s *Service) apply(ctx context.Context, c *Campaign, k *Counters, p *Participation,
	put func(ctx context.Context, campaignID string, ord int, e SharedEntry) error) error {
	k.NextSeq = max(k.NextSeq, p.Seq)
	if !has(k.JoinedBits, p.Seq) {
		k.JoinedBits = set(k.JoinedBits, p.Seq)
		k.Joined++
	}
	if p.Finished() && !has(k.FinishedBits, p.Seq) {
		k.FinishedBits = set(k.FinishedBits, p.Seq)
		k.Finished++
	}
	if !p.Shared() || has(k.SharedBits, p.Seq) {
		return nil
	}
	if err := put(ctx, c.ID, k.Shared, SharedEntry{Participation: p.ID, Name: p.Name, SharedAt: p.SharedAt, Levels: p.Levels, Erased: p.Erased}); err != nil {
		return err
	}
	k.addShared(p.Levels)
	if c.Before != "" && !p.Erased {
		before, err := s.pairOf(ctx, c, p)
		if err != nil {
			return err
		}
		if before != nil {
			k.addGain(before.Levels, p.Levels)
		}
	}
	k.SharedBits = set(k.SharedBits, p.Seq)
	k.Shared++
	return nil
}

// pairOf returns the "avant" participation paired with p, a shared
// participation of the "après" campaign c: when p is its person's first
// share in c, their first share in the "avant" campaign made before p's.
// Both are read from the data, so any order of counting pairs the same.
func (s *Service) pairOf(ctx context.Context, c *Campaign, p *Participation) (*Participation, error) {
	mine, err := s.store.participationsOf(ctx, c.ID, p.UserID)
	if err != nil {
		return nil, err
	}
	if first := firstShared(mine, p.SharedAt); first == nil || first.ID != p.ID {
		return nil, nil
	}
	pre, err := s.store.participationsOf(ctx, c.Before, p.UserID)
	if err != nil {
		return nil, err
	}
	first := firstShared(pre, p.SharedAt)
	if first == nil || !first.SharedAt.Before(p.SharedAt) {
		return nil, nil
	}
	return first, nil
}
