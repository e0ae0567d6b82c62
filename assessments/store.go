package assessments

import (
	"context"
	"errors"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
)

// Collections owned by this package.
const (
	// TestsCollection holds tests in progress (and finished ones until the
	// worker archives them): FerretDB scans a collection for every query,
	// so the answer path's collection stays as small as the tests running.
	TestsCollection = "assessment_tests"
	// ResultsCollection holds finished tests.
	ResultsCollection   = "assessment_results"
	ContentCollection   = "content_versions"
	ParamsCollection    = "item_params"
	ResponsesCollection = "responses"
	// ReportsCollection holds the latest calibration's items report.
	ReportsCollection = "item_reports"
)

// Indexes are the indexes the assessments' queries rely on.
var Indexes = []database.Index{
	{Collection: TestsCollection, Keys: []string{"userId", "scope.framework", "-createdAt"}},
	{Collection: TestsCollection, Keys: []string{"anonKey", "scope.framework", "-createdAt"}, Sparse: true},
	{Collection: TestsCollection, Keys: []string{"createdAt"}},
	{Collection: ResultsCollection, Keys: []string{"userId", "scope.framework", "-createdAt"}},
	{Collection: ResultsCollection, Keys: []string{"anonKey", "scope.framework", "-createdAt"}, Sparse: true},
	{Collection: ResultsCollection, Keys: []string{"createdAt"}},
	{Collection: ContentCollection},
	{Collection: ParamsCollection, Keys: []string{"createdAt"}},
	{Collection: ResponsesCollection, Keys: []string{"challengeId"}},
	{Collection: ResponsesCollection, Keys: []string{"testId"}},
	{Collection: HeadsCollection, Keys: []string{"owner"}},
	{Collection: ReportsCollection},
	{Collection: HeadsCollection, Keys: []string{"anonymous", "createdAt"}, Sparse: true},
}

// Store reads and writes tests, content versions and item parameters.
type Store struct {
	tests, results, content, params, responses *mongo.Collection
	heads, reports                             *mongo.Collection
	// locks serialize the writers of one head (set by NewService).
	locks *claim.Claims
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{tests: db.Collection(TestsCollection), results: db.Collection(ResultsCollection), content: db.Collection(ContentCollection),
		params: db.Collection(ParamsCollection), responses: db.Collection(ResponsesCollection), heads: db.Collection(HeadsCollection),
		reports: db.Collection(ReportsCollection)}
}

func wrap(err error, what string) error { return database.Wrap(err, "assessments: "+what) }

// test finds a test among those running, then among the archived.
func (s *Store) test(ctx context.Context, id string) (*Test, error) {
	var t Test
	err := s.tests.FindOne(ctx, bson.M{"_id": id}).Decode(&t)
	if errors.Is(err, mongo.ErrNoDocuments) {
		err = s.results.FindOne(ctx, bson.M{"_id": id}).Decode(&t)
	}
	if err != nil {
		return nil, wrap(err, "test "+id)
	}
	return &t, nil
}

// running finds a test among those running only (the answer path).
func (s *Store) running(ctx context.Context, id string) (*Test, error) {
	var t Test
	if err := s.tests.FindOne(ctx, bson.M{"_id": id}).Decode(&t); err != nil {
		return nil, wrap(err, "test "+id)
	}
	return &t, nil
}

// latest returns the newest test of an owner in a scope, or nil: from the
// owner's head (store_heads.go), by _id.
func (s *Store) latest(ctx context.Context, o Owner, scope Scope) (*Test, error) {
	return s.latestByHead(ctx, o, scope)
}

// finishedOf lists a user's finished tests, newest first.
func (s *Store) finishedOf(ctx context.Context, userID string, limit int) ([]Test, error) {
	var out []Test
	seen := map[string]bool{}
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		// Certification results are the jury's (certification/), not
		// part of the positioning history.
		cur, err := coll.Find(ctx, bson.M{"userId": userID, "state": StateFinished, "scope.certification": bson.M{"$exists": false}},
			options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(int64(limit)).
				SetProjection(bson.M{"answers": 0}))
		if err != nil {
			return nil, wrap(err, "history")
		}
		var page []Test
		if err := cur.All(ctx, &page); err != nil {
			return nil, wrap(err, "history")
		}
		for _, t := range page {
			if !seen[t.ID] { // a test being archived may be in both
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// contentVersion is a stored version of the content files.
type contentVersion struct {
	ID        string        `bson:"_id"`
	Files     []contentFile `bson:"files"` // a list: file names hold dots, which keys may not
	CreatedAt time.Time     `bson:"createdAt"`
}

type contentFile struct {
	Path string `bson:"path"`
	Text string `bson:"text"`
}

// SaveContent stores a content version once (idempotent: same files, same id).
func (s *Store) SaveContent(ctx context.Context, src Sources) error {
	var files []contentFile
	for k, v := range src.Files {
		files = append(files, contentFile{Path: k, Text: string(v)})
	}
	doc := contentVersion{ID: src.Version(), Files: files, CreatedAt: time.Now().UTC()}
	_, err := s.content.UpdateOne(ctx, bson.M{"_id": doc.ID}, bson.M{"$setOnInsert": doc}, upsert())
	if err != nil {
		return wrap(err, "save content")
	}
	return nil
}

func (s *Store) loadContent(ctx context.Context, version string) (Sources, error) {
	var doc contentVersion
	if err := s.content.FindOne(ctx, bson.M{"_id": version}).Decode(&doc); err != nil {
		return Sources{}, wrap(err, "content version "+version)
	}
	src := Sources{Files: map[string][]byte{}}
	for _, f := range doc.Files {
		src.Files[f.Path] = []byte(f.Text)
	}
	return src, nil
}

// latestParams returns the newest calibrated parameters, or the initial ones.
func (s *Store) latestParams(ctx context.Context) (*ItemParams, error) {
	var p ItemParams
	err := s.params.FindOne(ctx, bson.M{}, options.FindOne().SetSort(bson.D{{Key: "createdAt", Value: -1}})).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &ItemParams{Version: initialParamsVersion}, nil
	}
	if err != nil {
		return nil, wrap(err, "item parameters")
	}
	return &p, nil
}

func (s *Store) paramsByVersion(ctx context.Context, version string) (*ItemParams, error) {
	if version == initialParamsVersion {
		return &ItemParams{Version: initialParamsVersion}, nil
	}
	var p ItemParams
	if err := s.params.FindOne(ctx, bson.M{"_id": version}).Decode(&p); err != nil {
		return nil, wrap(err, "item parameters "+version)
	}
	return &p, nil
}

func upsert() *options.UpdateOneOptionsBuilder { return options.UpdateOne().SetUpsert(true) }
