package community

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// SearchPage is a page of posts matching a search, in a stable order (by id).
type SearchPage struct {
	Results []Post
	Next    string // the last id of this page, for ?after=
}

// Search finds the posts of the spaces u can see (or of one space) whose
// tokens hold every word of the query: an equality on the indexed tokens
// array and a range on the id, a page at a time.
func (s *Service) Search(ctx context.Context, u *profile.User, q, spaceID, after string) (*SearchPage, error) {
	words := QueryTokens(q)
	if len(words) == 0 {
		return nil, errkind.Invalid("q", "required")
	}
	f := bson.M{"tokens": bson.M{"$all": words}, "hidden": false, "deleted": false}
	if spaceID != "" {
		sp, err := s.open(ctx, u, spaceID)
		if err != nil {
			return nil, err
		}
		f["spaceId"] = sp.ID
	} else {
		spaces, err := s.Spaces(ctx, u)
		if err != nil {
			return nil, err
		}
		ids := []string{}
		for _, sp := range spaces {
			ids = append(ids, sp.ID)
		}
		f["spaceId"] = bson.M{"$in": ids}
	}
	if after != "" {
		f["_id"] = bson.M{"$lt": after}
	}
	cur, err := s.posts.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(PageSize+1).SetProjection(bson.M{"tokens": 0, "edits": 0}))
	if err != nil {
		return nil, database.Wrap(err, "community: search")
	}
	page := &SearchPage{Results: []Post{}}
	if err := cur.All(ctx, &page.Results); err != nil {
		return nil, database.Wrap(err, "community: search")
	}
	if len(page.Results) > PageSize {
		page.Results = page.Results[:PageSize]
		page.Next = page.Results[PageSize-1].ID
	}
	return page, nil
}
