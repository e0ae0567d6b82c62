package community

import (
	"context"
	"time"

	"ardoise/profile"
)

// PersonalData is everything the communities hold of what a person wrote
// or did, for their RGPD export.
type PersonalData struct {
	Posts []ExportedPost `json:"posts"`
	// ThreadsStarted are the threads the person opened, with their titles.
	ThreadsStarted []ExportedThread `json:"threadsStarted"`
	// Flags are the posts the person reported, with their reasons.
	Flags         []ExportedFlag     `json:"flags"`
	Reactions     []ExportedReaction `json:"reactions"`
	Subscriptions []Subscription     `json:"subscriptions"`
	Notifications []Notification     `json:"notifications"`
	// ModerationActions are the actions the person took as a moderator.
	ModerationActions []ExportedAction `json:"moderationActions"`
	// Images are the addresses of the images the person uploaded.
	Images []string `json:"images"`
	Member *Member  `json:"standing"`
}

// ExportedPost is a post with its Markdown and its earlier versions.
type ExportedPost struct {
	ID        string         `json:"id"`
	ThreadID  string         `json:"threadId"`
	SpaceID   string         `json:"spaceId"`
	Source    string         `json:"markdown"`
	Edits     []ExportedEdit `json:"earlierVersions,omitempty"`
	CreatedAt time.Time      `json:"createdAt"`
	EditedAt  time.Time      `json:"editedAt,omitzero"`
	Deleted   bool           `json:"deleted"`
	Hidden    bool           `json:"hidden"`
	Reactions map[string]int `json:"reactions,omitempty"`
}

// ExportedEdit is an earlier version of a post.
type ExportedEdit struct {
	At     time.Time `json:"at"`
	Source string    `json:"markdown"`
}

// ExportedThread is a thread the person started.
type ExportedThread struct {
	ID        string    `json:"id"`
	SpaceID   string    `json:"spaceId"`
	Title     string    `json:"title"`
	Question  bool      `json:"question"`
	CreatedAt time.Time `json:"createdAt"`
}

// ExportedFlag is a report the person filed.
type ExportedFlag struct {
	PostID    string    `json:"postId"`
	ThreadID  string    `json:"threadId"`
	SpaceID   string    `json:"spaceId"`
	Reason    string    `json:"reason"`
	Open      bool      `json:"open"`
	CreatedAt time.Time `json:"createdAt"`
}

// ExportedReaction is a reaction the person gave.
type ExportedReaction struct {
	PostID string    `bson:"postId" json:"postId"`
	Kind   string    `bson:"kind" json:"kind"`
	At     time.Time `bson:"at" json:"at"`
}

// ExportedAction is a moderation action the person took.
type ExportedAction struct {
	At      time.Time `json:"at"`
	SpaceID string    `json:"spaceId"`
	What    string    `json:"what"`
	Target  string    `json:"target"`
	Reason  string    `json:"reason,omitempty"`
}

// ExportFor gathers what a person wrote or did in the communities: posts
// (with their Markdown and earlier versions), the threads they started,
// the reports they filed, their reactions, subscriptions, notifications,
// moderation actions, uploaded images and standing.
func (s *Service) ExportFor(ctx context.Context, userID string) (*PersonalData, error) {
	out := &PersonalData{}
	posts, err := s.store.PostsBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	out.Posts = make([]ExportedPost, 0, len(posts))
	for _, p := range posts {
		e := ExportedPost{ID: p.ID, ThreadID: p.ThreadID, SpaceID: p.SpaceID, Source: p.Source, CreatedAt: p.CreatedAt,
			EditedAt: p.EditedAt, Deleted: p.Deleted, Hidden: p.Hidden, Reactions: p.Reactions}
		for _, ed := range p.Edits {
			e.Edits = append(e.Edits, ExportedEdit{At: ed.At, Source: ed.Source})
		}
		out.Posts = append(out.Posts, e)
	}
	threads, err := s.store.ThreadsStartedBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	out.ThreadsStarted = make([]ExportedThread, 0, len(threads))
	for _, t := range threads {
		out.ThreadsStarted = append(out.ThreadsStarted, ExportedThread{ID: t.ID, SpaceID: t.SpaceID, Title: t.Title, Question: t.Question, CreatedAt: t.CreatedAt})
	}
	flags, err := s.store.FlagsBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	out.Flags = make([]ExportedFlag, 0, len(flags))
	for _, f := range flags {
		out.Flags = append(out.Flags, ExportedFlag{PostID: f.PostID, ThreadID: f.ThreadID, SpaceID: f.SpaceID, Reason: f.Reason, Open: f.Open, CreatedAt: f.CreatedAt})
	}
	if out.Reactions, err = s.store.ReactionsBy(ctx, userID); err != nil {
		return nil, err
	}
	if out.Subscriptions, err = s.store.AllSubscriptionsOf(ctx, userID); err != nil {
		return nil, err
	}
	if out.Notifications, err = s.store.AllNotificationsOf(ctx, userID); err != nil {
		return nil, err
	}
	actions, err := s.store.ActionsBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	out.ModerationActions = make([]ExportedAction, 0, len(actions))
	for _, a := range actions {
		out.ModerationActions = append(out.ModerationActions, ExportedAction{At: a.At, SpaceID: a.SpaceID, What: a.What, Target: a.Target, Reason: a.Reason})
	}
	images, err := s.store.ImageIDsBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	out.Images = make([]string, 0, len(images))
	for _, id := range images {
		out.Images = append(out.Images, ImagePrefix+id)
	}
	if out.Member, err = s.Member(ctx, userID); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteFor is the communities' part of an account's erasure: posts stay
// where others answered them, signed "Compte supprimé" (post by post, each
// copied to its page), and so do the threads they started; every copy of
// the name kept for others is scrubbed (the notifications others received
// about their posts, which are also what digests not sent yet are made of,
// the reports they filed in the moderators' queue, the moderation log);
// their subscriptions, notifications, reactions, standing and space
// membership are deleted.
func (s *Service) DeleteFor(ctx context.Context, userID string) error {
	ids, err := s.store.PostIDsBy(ctx, userID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.store.SignPostDeleted(ctx, id); err != nil {
			return err
		}
		s.copyToPage(ctx, id)
	}
	threads, err := s.store.ThreadIDsBy(ctx, userID)
	if err != nil {
		return err
	}
	for _, id := range threads {
		if err := s.store.SignThreadDeleted(ctx, id); err != nil {
			return err
		}
		s.copyToList(ctx, id)
	}
	if err := s.scrubNotifications(ctx, ids); err != nil {
		return err
	}
	if err := s.store.ScrubNameFromModeration(ctx, userID); err != nil {
		return err
	}
	if err := s.store.DeletePersonal(ctx, userID); err != nil {
		return err
	}
	return s.profile.ForgetSpaceMembership(ctx, userID)
}

// scrubNotifications replaces the person's name in the notifications
// others received about their posts ids (and so in digests not sent yet).
func (s *Service) scrubNotifications(ctx context.Context, ids []string) error {
	for start := 0; start < len(ids); start += 500 {
		renamed, err := s.store.RenameInNotifications(ctx, ids[start:min(start+500, len(ids))], profile.DeletedName)
		if err != nil {
			return err
		}
		s.copyNotes(ctx, renamed)
	}
	return nil
}

// scrubIfErased closes the race between a post's notify task and its
// author's erasure: the task read the name before the erasure and may have
// written notifications after the erasure scrubbed them, so it reads the
// post's name again once they are written and scrubs them if it changed.
func (s *Service) scrubIfErased(ctx context.Context, p *Post) error {
	name, err := s.store.PostAuthorName(ctx, p.ID)
	if err != nil {
		return err
	}
	if name == p.AuthorName {
		return nil
	}
	renamed, err := s.store.RenameInPostNotifications(ctx, p.ID, name)
	if err != nil {
		return err
	}
	s.copyNotes(ctx, renamed)
	return nil
}
