package community

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/markdown"
)

// Rerender renders again, from their kept Markdown, the posts whose HTML
// an older sanitizing policy produced, and returns how many it changed.
func (s *Service) Rerender(ctx context.Context) (int, error) {
	cur, err := s.posts.Find(ctx, bson.M{"policyVersion": bson.M{"$ne": markdown.PolicyVersion}, "deleted": false},
		options.Find().SetProjection(bson.M{"source": 1}))
	if err != nil {
		return 0, database.Wrap(err, "community: posts to re-render")
	}
	var posts []Post
	if err := cur.All(ctx, &posts); err != nil {
		return 0, database.Wrap(err, "community: posts to re-render")
	}
	n := 0
	for _, p := range posts {
		html, err := s.md.Render(p.Source)
		if err != nil {
			return n, err
		}
		if _, err := s.updateOne(ctx, s.posts, p.ID, bson.M{"_id": p.ID, "source": p.Source},
			bson.M{"$set": bson.M{"html": html, "policyVersion": markdown.PolicyVersion}}); err != nil {
			return n, database.Wrap(err, "community: re-render")
		}
		n++
	}
	return n, nil
}
