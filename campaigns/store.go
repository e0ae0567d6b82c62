package campaigns

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
)

// Collections owned by this package.
const (
	// Collection holds the campaigns, by _id.
	Collection = "campaigns"
	// CodesCollection maps a code (_id) to its campaign: inserting it is
	// the claim that makes a code unique.
	CodesCollection = "campaign_codes"
	// ListsCollection holds, per organiser (_id), a copy of their
	// campaigns, newest first: listing reads one document by _id (a
	// campaign does not change once created).
	ListsCollection = "campaign_lists"
)

// Indexes are this package's indexes: every read is by _id, but for the
// rebuild's read of a campaign's participations.
var Indexes = []database.Index{{Collection: Collection}, {Collection: CodesCollection}, {Collection: ListsCollection},
	{Collection: ParticipationsCollection, Keys: []string{"campaignId"}}, {Collection: ParticipationsCollection, Keys: []string{"userId"}}, {Collection: MembersCollection},
	{Collection: CountersCollection}, {Collection: PagesCollection}}

// Store reads and writes campaigns.
type Store struct {
	campaigns, codes, lists                     *mongo.Collection
	participations, members, counterDocs, pages *mongo.Collection
	locks                                       *claim.Claims
}

// NewStore returns a store on db; locks serialize the writers of one
// organiser's list (FerretDB runs $push as a read and an overwrite).
func NewStore(db *database.DB, locks *claim.Claims) *Store {
	return &Store{campaigns: db.Collection(Collection), codes: db.Collection(CodesCollection), lists: db.Collection(ListsCollection),
		participations: db.Collection(ParticipationsCollection), members: db.Collection(MembersCollection),
		counterDocs: db.Collection(CountersCollection), pages: db.Collection(PagesCollection), locks: locks}
}

type codeDoc struct {
	Code       string `bson:"_id"`
	CampaignID string `bson:"campaignId"`
}

type listDoc struct {
	OrganiserID string     `bson:"_id"`
	Campaigns   []Campaign `bson:"campaigns"`
}

// claimCode inserts the code's document: false when the code is taken.
func (s *Store) claimCode(ctx context.Context, code, campaignID string) (bool, error) {
	_, err := s.codes.InsertOne(ctx, codeDoc{Code: code, CampaignID: campaignID})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, database.Wrap(err, "campaigns: claim code")
	}
	return true, nil
}

// insert stores a campaign whose code is claimed, then adds it to its
// organiser's list under the list's lock.
func (s *Store) insert(ctx context.Context, c *Campaign) error {
	if _, err := s.campaigns.InsertOne(ctx, c); err != nil {
		return database.Wrap(err, "campaigns: insert")
	}
	release, err := s.locks.Lock(ctx, ListsCollection+":"+c.OrganiserID, 5*time.Second)
	if err != nil {
		return err
	}
	defer release()
	l, err := database.FindByID[listDoc](ctx, "campaigns: list", s.lists, c.OrganiserID)
	if err != nil {
		return err
	}
	if l == nil {
		l = &listDoc{OrganiserID: c.OrganiserID}
	}
	l.Campaigns = append([]Campaign{*c}, l.Campaigns...)
	if _, err := s.lists.ReplaceOne(ctx, bson.M{"_id": l.OrganiserID}, l, upsert()); err != nil {
		return database.Wrap(err, "campaigns: list")
	}
	return nil
}

// campaign reads a campaign by id (nil when there is none).
func (s *Store) campaign(ctx context.Context, id string) (*Campaign, error) {
	return database.FindByID[Campaign](ctx, "campaigns: campaign", s.campaigns, id)
}

// byCode reads the campaign of a code (nil when the code is unknown).
func (s *Store) byCode(ctx context.Context, code string) (*Campaign, error) {
	cd, err := database.FindByID[codeDoc](ctx, "campaigns: code", s.codes, code)
	if err != nil || cd == nil {
		return nil, err
	}
	return s.campaign(ctx, cd.CampaignID)
}

// listOf reads an organiser's campaigns, newest first.
func (s *Store) listOf(ctx context.Context, organiserID string) ([]Campaign, error) {
	l, err := database.FindByID[listDoc](ctx, "campaigns: list", s.lists, organiserID)
	if err != nil || l == nil {
		return []Campaign{}, err
	}
	return l.Campaigns, nil
}

func upsert() *options.ReplaceOptionsBuilder { return options.Replace().SetUpsert(true) }

var errNoCode = errors.New("campaigns: no free code after several draws")
