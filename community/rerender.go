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
	posts, err := database.FindAll[Post](ctx, "community: posts to re-render", s.posts, bson.M{"policyVersion": bson.M{"$ne": markdown.PolicyVersion}, "deleted": false},
		options.Find().SetProjection(bson.M{"source": 1}))
	if err != nil {
		return 0, err
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
