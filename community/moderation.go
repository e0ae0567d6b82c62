package community

import (
	"context"
	"fmt"
	"time"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

func checkReason(reason string) (string, error) {
	reason = cleanLine(reason)
	if n := len([]rune(reason)); n < 3 || n > 500 {
		return "", errkind.Invalid("reason", "required")
	}
	return reason, nil
}

// FlagPost lets any member who sees a post report it with a reason; the
// flag goes to the space's review queue. One open flag per person and post.
func (s *Service) FlagPost(ctx context.Context, u *profile.User, postID, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	p, _, sp, err := s.post(ctx, u, postID)
	if err != nil {
		return err
	}
	f := Flag{ID: p.ID + ":" + u.ID, SpaceID: sp.ID, PostID: p.ID, ThreadID: p.ThreadID, ByID: u.ID, ByName: u.Shown(),
		Reason: reason, Open: true, CreatedAt: s.now()}
	return s.store.InsertFlag(ctx, f)
}

// FlagView is an open flag with the post it is about.
type FlagView struct {
	Flag Flag
	Post Post
}

// Flags lists a space's open flags, newest first; moderators only.
func (s *Service) Flags(ctx context.Context, u *profile.User, spaceID string) ([]FlagView, error) {
	sp, err := s.moderated(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	flags, err := s.store.OpenFlags(ctx, sp.ID)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, f := range flags {
		ids = append(ids, f.PostID)
	}
	posts, err := s.store.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []FlagView{}
	for _, f := range flags {
		for _, p := range posts {
			if p.ID == f.PostID {
				out = append(out, FlagView{Flag: f, Post: p})
			}
		}
	}
	return out, nil
}

// moderated returns a space u moderates; to others it does not exist.
func (s *Service) moderated(ctx context.Context, u *profile.User, spaceID string) (*Space, error) {
	sp, err := s.open(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if !CanModerate(sp, u) {
		return nil, fmt.Errorf("community: not a moderator of %s: %w", spaceID, errkind.ErrForbidden)
	}
	return sp, nil
}

// SetHidden hides or restores a post (moderators), closing its flags.
func (s *Service) SetHidden(ctx context.Context, u *profile.User, postID string, hidden bool, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	p, _, sp, err := s.post(ctx, u, postID)
	if err != nil {
		return err
	}
	if !CanModerate(sp, u) {
		return fmt.Errorf("community: not a moderator: %w", errkind.ErrForbidden)
	}
	if err := s.store.SetPostHidden(ctx, p.ID, hidden); err != nil {
		return err
	}
	s.copyToPage(ctx, p.ID)
	if err := s.store.CloseFlags(ctx, p.ID, u.ID); err != nil {
		return err
	}
	what := "restore"
	if hidden {
		what = "hide"
	}
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: what, Target: p.ID, Reason: reason})
	return nil
}

// ThreadAction is a moderator's change to a thread.
type ThreadAction string

// Thread actions.
const (
	ActLock   ThreadAction = "lock"
	ActUnlock ThreadAction = "unlock"
	ActPin    ThreadAction = "pin"
	ActUnpin  ThreadAction = "unpin"
	ActMove   ThreadAction = "move"
)

// ModerateThread locks, unlocks, pins, unpins or moves (to toSpace, which
// the moderator must also moderate) a thread, and logs it.
func (s *Service) ModerateThread(ctx context.Context, u *profile.User, threadID string, act ThreadAction, toSpace, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	t, err := s.store.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	sp, err := s.moderated(ctx, u, t.SpaceID)
	if err != nil {
		return err
	}
	switch act {
	case ActLock, ActUnlock:
		err = s.store.SetThreadLocked(ctx, t.ID, act == ActLock)
	case ActPin, ActUnpin:
		err = s.store.SetThreadPinned(ctx, t.ID, act == ActPin, sortKey(act == ActPin, t.LastPostAt, t.ID))
	case ActMove:
		to, merr := s.moderated(ctx, u, toSpace)
		if merr != nil {
			return errkind.Invalid("space", "unknown")
		}
		if err := s.store.MovePosts(ctx, t.ID, to.ID); err != nil {
			return err
		}
		for id, inc := range map[string]int{sp.ID: -1, to.ID: 1} {
			if err := s.store.IncSpaceThreads(ctx, id, inc); err != nil {
				return err
			}
		}
		err = s.store.SetThreadSpace(ctx, t.ID, to.ID)
	default:
		return errkind.Invalid("action", "unknown")
	}
	if err != nil {
		return err
	}
	s.copyToList(ctx, t.ID)
	s.dropFirstPage(sp.ID)
	s.dropFirstPage(toSpace)
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: string(act), Target: t.ID + " " + toSpace, Reason: reason})
	return nil
}

// Silence keeps a member from posting in a space for a period (1 hour to 90 days).
func (s *Service) Silence(ctx context.Context, u *profile.User, spaceID, userID string, d time.Duration, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	if d < time.Hour || d > 90*24*time.Hour {
		return errkind.Invalid("duration", "bad_choice")
	}
	sp, err := s.moderated(ctx, u, spaceID)
	if err != nil {
		return err
	}
	until := s.now().Add(d)
	if err := s.store.AddSilence(ctx, sp.ID, Silence{UserID: userID, Until: until, Reason: reason}); err != nil {
		return err
	}
	s.forgetSpace(sp.ID)
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: "silence", Target: userID + " until " + until.Format(time.RFC3339), Reason: reason})
	return nil
}

// ModerationLog lists moderation actions, newest first (admins: every
// space; a moderator: the space given).
func (s *Service) ModerationLog(ctx context.Context, u *profile.User, spaceID string, limit int) ([]Action, error) {
	if spaceID != "" {
		if _, err := s.moderated(ctx, u, spaceID); err != nil {
			return nil, err
		}
	} else if !u.Has(profile.RoleAdmin) {
		return nil, fmt.Errorf("community: the whole log is for admins: %w", errkind.ErrForbidden)
	}
	out, err := s.store.Actions(ctx, spaceID, limit)
	if err != nil {
		return nil, err
	}
	return out, nil
}
