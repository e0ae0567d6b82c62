package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/assessments/irt"
	"ardoise/campaigns"
	"ardoise/internal/database"
)

// The campaign scenario's prefill writes campaigns.Participation
// documents, and the member lists the join keeps, straight into their
// collections in batches, as counted participations (Seq 1…N, no pending
// marker); the counters and shared pages are then built by the service's
// own RebuildCampaign.

// campaignPlan is who the prefilled participations are.
type campaignPlan struct {
	participants, shared int
	// sharers are the measured people's ids: each gets one finished,
	// unshared participation, among the last ones.
	sharers []string
}

// campaignPrefill is what the prefill wrote.
type campaignPrefill struct {
	finished int
	// fresh are the sharers' participations, in the order of plan.sharers.
	fresh []string
}

// isShared spreads plan.shared shared participations evenly over the
// participants: i is shared when it crosses a multiple of participants.
func (pl campaignPlan) isShared(i int) bool {
	return (i+1)*pl.shared/pl.participants > i*pl.shared/pl.participants
}

// isFinished: every shared participation, and three in four of the others.
func (pl campaignPlan) isFinished(i int) bool { return pl.isShared(i) || i%4 != 0 }

// prefillCampaign writes the plan's participations of campaign c: joined
// one after the other over the month before now, finished 20 minutes
// after joining with levels drawn per target competence from a person's
// θ (correlation 0.7 between competences, Ardoise's cut points), shared a
// minute after finishing.
func prefillCampaign(ctx context.Context, db *database.DB, c *campaigns.Campaign, pl campaignPlan, out io.Writer) (campaignPrefill, error) {
	var res campaignPrefill
	owner := make([]string, pl.participants)
	for i := range owner {
		owner[i] = fmt.Sprintf("su%08d", i)
	}
	// The sharers own the last finished, unshared participations.
	for i, k := pl.participants-1, len(pl.sharers)-1; k >= 0; i-- {
		if i < 0 {
			return res, fmt.Errorf("%d participants with %d shared leave fewer than %d finished, unshared participations to share",
				pl.participants, pl.shared, len(pl.sharers))
		}
		if pl.isFinished(i) && !pl.isShared(i) {
			owner[i] = pl.sharers[k]
			res.fresh = append([]string{participationID(i)}, res.fresh...)
			k--
		}
	}
	scoring := irt.DefaultScoring()
	rng := rand.New(rand.NewPCG(uint64(pl.participants), 14))
	const rho = 0.7
	now := time.Now().UTC().Truncate(time.Millisecond)
	step := 30 * 24 * time.Hour / time.Duration(pl.participants)
	base := now.Add(-30 * 24 * time.Hour)
	ps := make([]campaigns.Participation, pl.participants)
	for i := range ps {
		joined := base.Add(time.Duration(i) * step)
		p := campaigns.Participation{ID: participationID(i), CampaignID: c.ID, UserID: owner[i], Seq: i + 1, JoinedAt: joined}
		if pl.isFinished(i) {
			res.finished++
			p.FinishedAt = joined.Add(20 * time.Minute)
			theta := rng.NormFloat64()
			for _, t := range c.Targets {
				tc := rho*theta + math.Sqrt(1-rho*rho)*rng.NormFloat64()
				p.Levels = append(p.Levels, campaigns.Level{Competence: t.Competence, Level: scoring.Level(tc), Theta: tc})
			}
		}
		if pl.isShared(i) {
			p.SharedAt, p.Name = p.FinishedAt.Add(time.Minute), fmt.Sprintf("Personne %05d", i)
		}
		ps[i] = p
	}
	pf := &prefiller{db: db, out: out}
	if err := pf.insert(ctx, campaigns.ParticipationsCollection, len(ps), func(i int) any { return &ps[i] }); err != nil {
		return res, err
	}
	// The member lists the join writes, as campaigns' member (campaign|person).
	err := pf.insert(ctx, campaigns.MembersCollection, len(ps), func(i int) any {
		return bson.M{"_id": c.ID + "|" + ps[i].UserID, "participations": []string{ps[i].ID}}
	})
	return res, err
}

func participationID(i int) string { return fmt.Sprintf("lgc%07d", i) }
