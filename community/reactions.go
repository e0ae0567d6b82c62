package community

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// ReactionsCollection records who reacted how to which post (one document
// per person, post and kind, claimed by insert), so the counts kept in
// the post by $inc never count a person twice.
const ReactionsCollection = "reactions"

// Reactions is the fixed set of reactions, in display order.
var Reactions = []string{"merci", "utile", "bravo"}

// React adds (on) or removes a person's reaction to a post they can see.
func (s *Service) React(ctx context.Context, u *profile.User, postID, kind string, on bool) error {
	if !slices.Contains(Reactions, kind) {
		return errkind.Invalid("kind", "bad_choice")
	}
	p, _, _, err := s.post(ctx, u, postID)
	if err != nil {
		return err
	}
	if p.Deleted || p.Hidden {
		return errkind.Invalid("post", "not_an_answer")
	}
	id := p.ID + "|" + u.ID + "|" + kind
	inc := 1
	if on {
		if _, err := s.reactions.InsertOne(ctx, bson.M{"_id": id, "postId": p.ID, "userId": u.ID, "kind": kind, "at": s.now()}); err != nil {
			if database.IsDuplicate(err) {
				return nil
			}
			return database.Wrap(err, "community: react")
		}
	} else {
		res, err := s.reactions.DeleteOne(ctx, bson.M{"_id": id})
		if err != nil {
			return database.Wrap(err, "community: unreact")
		}
		if res.DeletedCount == 0 {
			return nil
		}
		inc = -1
	}
	if _, err := s.updateOne(ctx, s.posts, p.ID, bson.M{"_id": p.ID}, bson.M{"$inc": bson.M{"reactions." + kind: inc}}); err != nil {
		return database.Wrap(err, "community: count reaction")
	}
	return nil
}
