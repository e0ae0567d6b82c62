package campaigns

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Collections of participations and counters.
const (
	// ParticipationsCollection holds the participations, by _id (the test's).
	ParticipationsCollection = "campaign_participations"
	// MembersCollection lists, per (campaign, person), their participations.
	MembersCollection = "campaign_members"
	// CountersCollection holds one Counters document per campaign.
	CountersCollection = "campaign_counters"
	// PagesCollection holds the shared participations, PageSize per
	// document, by _id (campaign:page number).
	PagesCollection = "campaign_pages"
)

// lockTTL bounds the locks of this package: longer than any locked write.
const lockTTL = 10 * time.Second

// SharedEntry is one shared participation as the organiser sees it.
type SharedEntry struct {
	Participation string    `bson:"participation" json:"-"`
	Name          string    `bson:"name" json:"name"`
	SharedAt      time.Time `bson:"sharedAt" json:"sharedAt"`
	Levels        []Level   `bson:"levels" json:"levels"`
	// Erased marks the entry of a person who erased their account.
	Erased bool `bson:"erased,omitempty" json:"-"`
}

// sharedPage is one page of shared participations, as the service reads it.
type sharedPage struct {
	ID      string
	Entries []SharedEntry
}

// pageDoc is a page as stored: its entries packed in one binary field.
// FerretDB's cost of reading a document grows with the number of values
// in it, not with its bytes: a page of 50 entries as an array of
// documents (some 700 values) took 36 ms to read on PostgreSQL, packed
// 1.7 ms (docs/benchmarks.md, "Campaigns").
type pageDoc struct {
	ID     string `bson:"_id"`
	Packed []byte `bson:"packed"`
}

type packedEntries struct {
	Entries []SharedEntry `bson:"e"`
}

func pageID(campaignID string, n int) string { return fmt.Sprintf("%s:%06d", campaignID, n) }

// lockParticipation serializes the writers of one participation (the
// share, the finish hook, the counting task).
func (s *Store) lockParticipation(ctx context.Context, id string) (func(), error) {
	return s.locks.Lock(ctx, ParticipationsCollection+":"+id, lockTTL)
}

// participation reads a participation (nil when there is none).
func (s *Store) participation(ctx context.Context, id string) (*Participation, error) {
	return database.FindByID[Participation](ctx, "campaigns: participation", s.participations, id)
}

// insertParticipation stores p unless it is there (a resumed test's).
func (s *Store) insertParticipation(ctx context.Context, p *Participation) error {
	_, err := s.participations.UpdateOne(ctx, bson.M{"_id": p.ID}, bson.M{"$setOnInsert": p}, options.UpdateOne().SetUpsert(true))
	if err != nil && !database.IsDuplicate(err) {
		return database.Wrap(err, "campaigns: join")
	}
	return nil
}

// saveParticipation rewrites p whole; its caller holds p's lock.
func (s *Store) saveParticipation(ctx context.Context, p *Participation) error {
	if _, err := s.participations.ReplaceOne(ctx, bson.M{"_id": p.ID}, p, upsert()); err != nil {
		return database.Wrap(err, "campaigns: participation")
	}
	return nil
}

// share records the sharing of p with its marker, in one update; the
// caller holds p's lock.
func (s *Store) share(ctx context.Context, p *Participation) error {
	_, err := s.participations.UpdateOne(ctx, bson.M{"_id": p.ID}, bson.M{"$set": bson.M{
		"sharedAt": p.SharedAt, "name": p.Name, "pending": p.Pending, "pendingAt": p.PendingAt}})
	if err != nil {
		return database.Wrap(err, "campaigns: share")
	}
	return nil
}

// addMember adds a participation to its person's list in the campaign,
// under the list's lock (idempotent).
func (s *Store) addMember(ctx context.Context, p *Participation) error {
	id := memberID(p.CampaignID, p.UserID)
	release, err := s.locks.Lock(ctx, MembersCollection+":"+id, lockTTL)
	if err != nil {
		return err
	}
	defer release()
	m, err := database.FindByID[member](ctx, "campaigns: member", s.members, id)
	if err != nil {
		return err
	}
	if m == nil {
		m = &member{ID: id}
	}
	if slices.Contains(m.Participations, p.ID) {
		return nil
	}
	m.Participations = append(m.Participations, p.ID)
	if _, err := s.members.ReplaceOne(ctx, bson.M{"_id": id}, m, upsert()); err != nil {
		return database.Wrap(err, "campaigns: member")
	}
	return nil
}

// participationsOf reads a person's participations in a campaign.
func (s *Store) participationsOf(ctx context.Context, campaignID, userID string) ([]Participation, error) {
	m, err := database.FindByID[member](ctx, "campaigns: member", s.members, memberID(campaignID, userID))
	if err != nil || m == nil || len(m.Participations) == 0 {
		return nil, err
	}
	return database.FindAll[Participation](ctx, "campaigns: participations", s.participations, bson.M{"_id": bson.M{"$in": m.Participations}})
}

// counters reads a campaign's counters (nil when nothing was counted).
func (s *Store) counters(ctx context.Context, campaignID string) (*Counters, error) {
	return database.FindByID[Counters](ctx, "campaigns: counters", s.counterDocs, campaignID)
}

// saveCounters rewrites a campaign's counters whole; the caller holds the
// campaign's counter lock.
func (s *Store) saveCounters(ctx context.Context, k *Counters) error {
	if _, err := s.counterDocs.ReplaceOne(ctx, bson.M{"_id": k.CampaignID}, k, upsert()); err != nil {
		return database.Wrap(err, "campaigns: counters")
	}
	return nil
}

// lockCounters serializes the writers of a campaign's counters and pages.
func (s *Store) lockCounters(ctx context.Context, campaignID string) (func(), error) {
	return s.locks.Lock(ctx, CountersCollection+":"+campaignID, lockTTL)
}

// page reads one page of shared participations (nil when there is none).
func (s *Store) page(ctx context.Context, campaignID string, n int) (*sharedPage, error) {
	d, err := database.FindByID[pageDoc](ctx, "campaigns: shared page", s.pages, pageID(campaignID, n))
	if err != nil || d == nil {
		return nil, err
	}
	var p packedEntries
	if err := bson.Unmarshal(d.Packed, &p); err != nil {
		return nil, fmt.Errorf("campaigns: shared page %s: %w", d.ID, err)
	}
	return &sharedPage{ID: d.ID, Entries: p.Entries}, nil
}

// savePage writes a page whole, its entries packed.
func (s *Store) savePage(ctx context.Context, pg *sharedPage) error {
	packed, err := bson.Marshal(packedEntries{Entries: pg.Entries})
	if err != nil {
		return fmt.Errorf("campaigns: shared page %s: %w", pg.ID, err)
	}
	if _, err := s.pages.ReplaceOne(ctx, bson.M{"_id": pg.ID}, pageDoc{ID: pg.ID, Packed: packed}, upsert()); err != nil {
		return database.Wrap(err, "campaigns: shared page")
	}
	return nil
}

// putShared writes e at rank ord of a campaign's shared participations,
// dropping whatever a crashed earlier write left after it (the counters,
// written next, are what says which ranks are taken).
func (s *Store) putShared(ctx context.Context, campaignID string, ord int, e SharedEntry) error {
	n, pos := ord/PageSize, ord%PageSize
	pg, err := s.page(ctx, campaignID, n)
	if err != nil {
		return err
	}
	if pg == nil {
		pg = &sharedPage{ID: pageID(campaignID, n)}
	}
	pg.Entries = append(pg.Entries[:min(pos, len(pg.Entries))], e)
	if len(pg.Entries) != pos+1 {
		return fmt.Errorf("campaigns: shared page %s has %d entries before rank %d", pg.ID, len(pg.Entries)-1, pos)
	}
	return s.savePage(ctx, pg)
}

// putPage writes page n of a campaign's shared participations whole (the
// rebuild's).
func (s *Store) putPage(ctx context.Context, campaignID string, n int, entries []SharedEntry) error {
	return s.savePage(ctx, &sharedPage{ID: pageID(campaignID, n), Entries: entries})
}

// clearMarker removes markerCount from a participation; its caller holds
// the participation's lock.
func (s *Store) clearMarker(ctx context.Context, id string) error {
	if _, err := s.participations.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$pull": bson.M{"pending": markerCount}}); err != nil {
		return database.Wrap(err, "campaigns: participation counted")
	}
	return nil
}

// eachParticipation calls fn with every participation of a campaign (the
// rebuild's full read).
func (s *Store) eachParticipation(ctx context.Context, campaignID string, fn func(*Participation) error) error {
	cur, err := s.participations.Find(ctx, bson.M{"campaignId": campaignID})
	if err != nil {
		return database.Wrap(err, "campaigns: participations")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var p Participation
		if err := cur.Decode(&p); err != nil {
			return database.Wrap(err, "campaigns: participations")
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return database.Wrap(err, "campaigns: participations")
	}
	return nil
}

// participationsByUser reads a person's participations (erasure and
// export only: a read of every participation on SQLite).
func (s *Store) participationsByUser(ctx context.Context, userID string) ([]Participation, error) {
	return database.FindAll[Participation](ctx, "campaigns: participations of a person", s.participations, bson.M{"userId": userID})
}

// deleteMembersOf deletes a person's member lists of the campaigns of ps.
func (s *Store) deleteMembersOf(ctx context.Context, ps []Participation, userID string) error {
	var ids []string
	for _, p := range ps {
		ids = append(ids, memberID(p.CampaignID, userID))
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.members.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": ids}}); err != nil {
		return database.Wrap(err, "campaigns: delete members")
	}
	return nil
}

// eraseShared clears the name of a participation's entry in its
// campaign's shared pages; the caller holds the counters' lock.
func (s *Store) eraseShared(ctx context.Context, campaignID, participationID string) error {
	for n := 0; ; n++ {
		pg, err := s.page(ctx, campaignID, n)
		if err != nil || pg == nil {
			return err
		}
		for i := range pg.Entries {
			if pg.Entries[i].Participation == participationID {
				pg.Entries[i].Name, pg.Entries[i].Erased = "", true
				return s.putPage(ctx, campaignID, n, pg.Entries)
			}
		}
	}
}

// deletePagesFrom deletes a campaign's shared pages from page n on.
func (s *Store) deletePagesFrom(ctx context.Context, campaignID string, n int) error {
	if _, err := s.pages.DeleteMany(ctx, bson.M{"_id": bson.M{"$gte": pageID(campaignID, n), "$lt": campaignID + ";"}}); err != nil {
		return database.Wrap(err, "campaigns: shared pages")
	}
	return nil
}

// allCampaignIDs lists every campaign's id (the rebuild's).
func (s *Store) allCampaignIDs(ctx context.Context) ([]string, error) {
	cs, err := database.FindAll[Campaign](ctx, "campaigns: all", s.campaigns, bson.M{}, options.Find().SetProjection(bson.M{"_id": 1}))
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids, err
}
