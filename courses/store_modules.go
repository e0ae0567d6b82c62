package courses

import (
	"context"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Writes on modules, their published versions and the renderings of those
// versions. (Reads and files are in store.go.)

// insertModule stores a new module; one with its slug already there is
// reported as a duplicate by database.IsDuplicate.
func (s *Store) insertModule(ctx context.Context, m *ModuleDoc) error {
	_, err := s.modules.InsertOne(ctx, m)
	return err
}

// saveDraft sets module slug's draft, written at by authorID.
func (s *Store) saveDraft(ctx context.Context, slug string, refs []FileRef, at time.Time, authorID string) error {
	if _, err := s.modules.UpdateOne(ctx, bson.M{"_id": slug},
		bson.M{"$set": bson.M{"draft": refs, "draftAt": at, "draftBy": authorID}}); err != nil {
		return database.Wrap(err, "courses: save draft")
	}
	return nil
}

// insertVersion stores a published version; its id claims its number, so
// a version with that number already there is reported as a duplicate by
// database.IsDuplicate.
func (s *Store) insertVersion(ctx context.Context, v *Version) error {
	_, err := s.versions.InsertOne(ctx, v)
	return err
}

// setPublished records on module slug its latest version number and what
// the catalogue shows of it.
func (s *Store) setPublished(ctx context.Context, slug string, latest int, mod *Module) error {
	if _, err := s.modules.UpdateOne(ctx, bson.M{"_id": slug}, bson.M{"$set": bson.M{
		"latest": latest, "published": true, "title": mod.Title, "audience": mod.Audience, "competences": mod.Competences,
	}}); err != nil {
		return database.Wrap(err, "courses: publish")
	}
	return nil
}

// version returns version number of module slug.
func (s *Store) version(ctx context.Context, slug string, number int) (*Version, error) {
	var v Version
	if err := s.versions.FindOne(ctx, bson.M{"_id": slug + "@" + strconv.Itoa(number)}).Decode(&v); err != nil {
		return nil, database.Wrap(err, "courses: version")
	}
	return &v, nil
}

// versionIDs lists every published version (id, slug and number only).
func (s *Store) versionIDs(ctx context.Context) ([]Version, error) {
	return database.FindAll[Version](ctx, "courses: versions", s.versions, bson.M{}, options.Find().SetProjection(bson.M{"_id": 1, "slug": 1, "number": 1}))
}

// addOwner makes trainerID an owner of module slug.
func (s *Store) addOwner(ctx context.Context, slug, trainerID string) error {
	if _, err := s.modules.UpdateOne(ctx, bson.M{"_id": slug}, bson.M{"$addToSet": bson.M{"owners": trainerID}}); err != nil {
		return database.Wrap(err, "courses: add co-owner")
	}
	return nil
}

// saveRendering stores a version's rendering, replacing an older one.
func (s *Store) saveRendering(ctx context.Context, r rendering) error {
	if _, err := s.renders.ReplaceOne(ctx, bson.M{"_id": r.ID}, r, options.Replace().SetUpsert(true)); err != nil {
		return database.Wrap(err, "courses: store rendering")
	}
	return nil
}

// rendering returns the stored rendering id if the sanitizing policy
// policyVersion made it.
func (s *Store) rendering(ctx context.Context, id, policyVersion string) (*rendering, error) {
	var r rendering
	if err := s.renders.FindOne(ctx, bson.M{"_id": id, "policyVersion": policyVersion}).Decode(&r); err != nil {
		return nil, database.Wrap(err, "courses: rendering")
	}
	return &r, nil
}
