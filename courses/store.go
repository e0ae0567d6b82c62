package courses

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// Collections owned by this package.
const (
	ModulesCollection  = "modules"
	VersionsCollection = "module_versions"
	// FilesCollection holds file contents by SHA-256: drafts and versions
	// refer to them, so a module far larger than a document fits, and a
	// file shared by versions is stored once.
	FilesCollection = "module_files"
)

// Indexes are the indexes the courses' queries rely on.
var Indexes = []database.Index{
	{Collection: ModulesCollection, Keys: []string{"owners"}},
	{Collection: ModulesCollection, Keys: []string{"published", "audience"}},
	{Collection: VersionsCollection, Keys: []string{"slug", "-number"}},
	{Collection: FilesCollection},
	{Collection: RendersCollection},
	{Collection: EnrolmentsCollection, Keys: []string{"userId", "-enrolledAt"}},
	{Collection: LedgerCollection, Keys: []string{"learnerId", "schoolYear"}},
	{Collection: LedgerCollection, Keys: []string{"territory.academie", "territory.departement", "schoolYear", "_id"}},
	{Collection: LinePagesCollection}, // read and written by _id only
	{Collection: SessionsCollection, Keys: []string{"trainerId", "-createdAt"}},
	{Collection: SessionsCollection, Keys: []string{"participants.userId"}},
}

// FileRef is one file of a draft or version: its path and content hash.
type FileRef struct {
	Path string `bson:"path"`
	Hash string `bson:"hash"`
	Size int    `bson:"size"`
}

// ModuleDoc is a module's record: its owners, its draft, and what the
// catalogue shows of its latest published version.
type ModuleDoc struct {
	Slug        string    `bson:"_id"`
	Owners      []string  `bson:"owners"`
	Draft       []FileRef `bson:"draft"`
	DraftAt     time.Time `bson:"draftAt"`
	DraftBy     string    `bson:"draftBy"`
	Published   bool      `bson:"published"`
	Latest      int       `bson:"latest"`
	Title       string    `bson:"title"`
	Audience    string    `bson:"audience"`
	Competences []string  `bson:"competences"`
	CreatedAt   time.Time `bson:"createdAt"`
}

// Version is an immutable published version.
type Version struct {
	ID            string    `bson:"_id"` // slug@number
	Slug          string    `bson:"slug"`
	Number        int       `bson:"number"`
	Hash          string    `bson:"hash"`
	Files         []FileRef `bson:"files"`
	PolicyVersion string    `bson:"policyVersion"`
	PublishedBy   string    `bson:"publishedBy"`
	PublishedAt   time.Time `bson:"publishedAt"`
	Note          string    `bson:"note"`
}

// Store keeps every collection of the courses domain. Its methods are
// grouped by what they are about: modules, versions, files and renderings
// (store.go, store_modules.go), enrolments (store_learning.go), the hours
// ledger (store_ledger.go) and training sessions (store_sessions.go).
type Store struct {
	modules, versions, files, enrolments, ledger, sessions, renders, pages *mongo.Collection
	claims                                                                 *claim.Claims
}

// NewStore returns a store on db; claims lock the ledger lines and the
// pages of the hours list, whose updates must not interleave.
func NewStore(db *database.DB, claims *claim.Claims) *Store {
	return &Store{modules: db.Collection(ModulesCollection), versions: db.Collection(VersionsCollection), files: db.Collection(FilesCollection),
		enrolments: db.Collection(EnrolmentsCollection), ledger: db.Collection(LedgerCollection), sessions: db.Collection(SessionsCollection),
		renders: db.Collection(RendersCollection), pages: db.Collection(LinePagesCollection), claims: claims}
}

var upsertOne = options.UpdateOne().SetUpsert(true)

type fileDoc struct {
	Hash string `bson:"_id"`
	Data []byte `bson:"data"`
}

// putFiles stores the files not stored yet and returns their references.
func (s *Store) putFiles(ctx context.Context, src Source) ([]FileRef, error) {
	var refs []FileRef
	var models []mongo.WriteModel
	for _, n := range src.names() {
		sum := sha256.Sum256(src.Files[n])
		h := hex.EncodeToString(sum[:])
		refs = append(refs, FileRef{Path: n, Hash: h, Size: len(src.Files[n])})
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": h}).
			SetUpdate(bson.M{"$setOnInsert": fileDoc{Hash: h, Data: src.Files[n]}}).SetUpsert(true))
	}
	if len(models) > 0 {
		if _, err := s.files.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return nil, database.Wrap(err, "courses: store files")
		}
	}
	return refs, nil
}

// FileStored reports whether a file with content data is stored (files
// are kept by the hash of their content, whichever module sent them).
func (s *Store) FileStored(ctx context.Context, data []byte) (bool, error) {
	sum := sha256.Sum256(data)
	n, err := s.files.CountDocuments(ctx, bson.M{"_id": hex.EncodeToString(sum[:])})
	if err != nil {
		return false, database.Wrap(err, "courses: file stored")
	}
	return n > 0, nil
}

// source reads the files of references back into a Source.
func (s *Store) source(ctx context.Context, refs []FileRef) (Source, error) {
	hashes := make([]string, 0, len(refs))
	for _, r := range refs {
		hashes = append(hashes, r.Hash)
	}
	docs, err := database.FindAll[fileDoc](ctx, "courses: read files", s.files, bson.M{"_id": bson.M{"$in": hashes}})
	if err != nil {
		return Source{}, err
	}
	data := map[string][]byte{}
	for _, d := range docs {
		data[d.Hash] = d.Data
	}
	src := Source{Files: map[string][]byte{}}
	for _, r := range refs {
		b, ok := data[r.Hash]
		if !ok {
			return Source{}, fmt.Errorf("courses: file %s (%s) missing: %w", r.Path, r.Hash, errkind.ErrNotFound)
		}
		src.Files[r.Path] = b
	}
	return src, nil
}

// Module returns a module's record.
func (s *Store) Module(ctx context.Context, slug string) (*ModuleDoc, error) {
	var m ModuleDoc
	if err := s.modules.FindOne(ctx, bson.M{"_id": slug}).Decode(&m); err != nil {
		return nil, database.Wrap(err, "courses: module "+slug)
	}
	return &m, nil
}

// Versions lists a module's published versions, newest first.
func (s *Store) Versions(ctx context.Context, slug string) ([]Version, error) {
	out, err := database.FindAll[Version](ctx, "courses: versions", s.versions, bson.M{"slug": slug}, options.Find().SetSort(bson.D{{Key: "number", Value: -1}}))
	if err != nil {
		return nil, err
	}
	return out, nil
}

func canEdit(m *ModuleDoc, userID string, admin bool) bool {
	return admin || slices.Contains(m.Owners, userID)
}

// sortRefs keeps references in path order, so equal sources compare equal.
func sortRefs(refs []FileRef) {
	sort.Slice(refs, func(i, j int) bool { return refs[i].Path < refs[j].Path })
}

// PublishedModules lists the published modules, by slug.
func (s *Store) PublishedModules(ctx context.Context) ([]ModuleDoc, error) {
	out, err := database.FindAll[ModuleDoc](ctx, "courses: catalogue", s.modules, bson.M{"published": true},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.M{"draft": 0}).SetLimit(500))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ModulesOf lists the modules a trainer owns or co-owns (every module for
// an admin), by slug.
func (s *Store) ModulesOf(ctx context.Context, a Author) ([]ModuleDoc, error) {
	filter := bson.M{"owners": a.ID}
	if a.Admin {
		filter = bson.M{}
	}
	out, err := database.FindAll[ModuleDoc](ctx, "courses: modules of", s.modules, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(500))
	if err != nil {
		return nil, err
	}
	return out, nil
}
