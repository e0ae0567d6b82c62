package campaigns

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
)

// DeleteFor is the territory counters' part of an account's erasure: the
// person's rows leave every counter and their own documents are deleted,
// so the next snapshot no longer counts them (their tests are deleted with
// the account, so a rebuild agrees). A count task still pending for them
// finds an erased account and counts nothing.
func (s *Territories) DeleteFor(ctx context.Context, userID string) error {
	people, err := database.FindAll[person](ctx, "territory: people of a person", s.store.people, bson.M{"row.userId": userID})
	if err != nil {
		return err
	}
	for i := range people {
		if err := s.store.erasePerson(ctx, people[i].ID); err != nil {
			return err
		}
	}
	return nil
}

// erasePerson removes a person's row from every counter that may hold it,
// then deletes their document, under their lock.
func (s *TerritoryStore) erasePerson(ctx context.Context, id string) error {
	release, err := s.lockPerson(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	p, err := s.person(ctx, id)
	if err != nil || p == nil {
		return err
	}
	for _, key := range append([]string{p.Key}, p.Stale...) {
		if key == "" {
			continue
		}
		if err := s.dropRow(ctx, key, p); err != nil {
			return err
		}
	}
	if _, err := s.people.DeleteOne(ctx, bson.M{"_id": id}); err != nil {
		return database.Wrap(err, "territory: delete person")
	}
	return nil
}
