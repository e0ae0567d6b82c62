package community

import (
	"context"
	"slices"

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
		if added, err := s.store.InsertReaction(ctx, id, p.ID, u.ID, kind, s.now()); err != nil || !added {
			return err
		}
	} else {
		if removed, err := s.store.DeleteReaction(ctx, id); err != nil || !removed {
			return err
		}
		inc = -1
	}
	if err := s.store.IncReaction(ctx, p.ID, kind, inc); err != nil {
		return err
	}
	s.copyToPage(ctx, p.ID)
	return nil
}
