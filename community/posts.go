package community

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/markdown"
	"ardoise/profile"
)

// MaxBody bounds a post's Markdown source.
const MaxBody = 20000

// Preview renders a post's Markdown as it would be stored.
func (s *Service) Preview(body string) (string, error) {
	if strings.TrimSpace(body) == "" {
		return "", errkind.Invalid("body", "required")
	}
	if len(body) > MaxBody {
		return "", errkind.Invalid("body", "too_long")
	}
	return s.md.Render(body)
}

// ThreadOf returns the thread of a post, from the post's id (threadId.seq).
func ThreadOf(postID string) string {
	if i := strings.LastIndexByte(postID, '.'); i > 0 {
		return postID[:i]
	}
	return ""
}

func (s *Service) newPost(u *profile.User, t *Thread, seq int, body string, now time.Time) (*Post, error) {
	html, err := s.Preview(body)
	if err != nil {
		return nil, err
	}
	return &Post{ID: fmt.Sprintf("%s.%06d", t.ID, seq), ThreadID: t.ID, SpaceID: t.SpaceID, Seq: seq, AuthorID: u.ID,
		AuthorName: u.Shown(), AuthorHandle: u.Handle, Source: body, HTML: html, PolicyVersion: markdown.PolicyVersion,
		Tokens: Tokens(body), CreatedAt: now, Pending: []string{markerNotify, markerPage}, PendingAt: now}, nil
}

// Reply adds a post to a thread. Its rank is claimed by the insert (the id
// holds it): two replies at once get two ranks.
func (s *Service) Reply(ctx context.Context, u *profile.User, threadID, body string) (*Post, error) {
	t, err := s.store.Thread(ctx, threadID)
	if err != nil {
		return nil, err
	}
	sp, err := s.open(ctx, u, t.SpaceID)
	if err != nil {
		return nil, err
	}
	if t.Locked && !CanModerate(sp, u) {
		return nil, fmt.Errorf("community: thread locked: %w", errkind.ErrForbidden)
	}
	if err := s.mayPost(ctx, u, sp, body); err != nil {
		return nil, err
	}
	now := s.now()
	var p *Post
	for seq := t.Posts + 1; ; seq++ {
		if p, err = s.newPost(u, t, seq, body, now); err != nil {
			return nil, err
		}
		err = s.store.InsertPost(ctx, p)
		if err == nil {
			break
		}
		if !database.IsDuplicate(err) || seq > t.Posts+50 {
			return nil, database.Wrap(err, "community: reply")
		}
	}
	// Copied before it is counted: a reader who sees the count finds the
	// post in its page (else it rebuilds the page from the posts).
	s.copyToPage(ctx, p.ID)
	if err := s.store.CountReply(ctx, t, p.Seq, now); err != nil {
		return nil, err
	}
	s.copyToList(ctx, t.ID)
	s.afterPost(ctx, u, sp)
	s.dropFirstPage(sp.ID)
	s.enqueueNotify(ctx, p.ID)
	return p, nil
}

// post reads a post with its thread and space, for someone who can see it.
func (s *Service) post(ctx context.Context, u *profile.User, postID string) (*Post, *Thread, *Space, error) {
	p, err := s.store.Post(ctx, postID)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := s.store.Thread(ctx, p.ThreadID)
	if err != nil {
		return nil, nil, nil, err
	}
	sp, err := s.open(ctx, u, t.SpaceID)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, t, sp, nil
}

// Post returns a post its reader can see.
func (s *Service) Post(ctx context.Context, u *profile.User, postID string) (*Post, *Thread, error) {
	p, t, _, err := s.post(ctx, u, postID)
	return p, t, err
}

// MaxEdits is how many earlier versions of a post are kept for moderators:
// the oldest fall off, so that edits cannot grow a post without bound.
const MaxEdits = 20

// Edit replaces a post's text, keeping the last MaxEdits earlier texts for
// moderators. Only its author edits it, and not once deleted or hidden.
// Edits follow the posting rules: a verified address, the rate limits,
// and no edit while silenced in the space or in a locked thread
// (moderators of the space excepted).
func (s *Service) Edit(ctx context.Context, u *profile.User, postID, body string) (*Post, error) {
	p, t, sp, err := s.post(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if p.AuthorID != u.ID || p.Deleted || p.Hidden {
		return nil, fmt.Errorf("community: not your post: %w", errkind.ErrForbidden)
	}
	if !u.EmailVerified {
		return nil, errkind.EmailUnverified()
	}
	if !CanModerate(sp, u) {
		if t.Locked {
			return nil, &errkind.RefusedError{Code: RefusedLocked}
		}
		if until := sp.SilencedUntil(u.ID, s.now()); !until.IsZero() {
			return nil, &errkind.RefusedError{Code: RefusedSilenced}
		}
	}
	html, err := s.Preview(body)
	if err != nil {
		return nil, err
	}
	lvl := s.trust(ctx, u)
	if err := checkLinks(u, body, lvl); err != nil {
		return nil, err
	}
	if err := s.rateLimit(ctx, "edit", u, lvl); err != nil {
		return nil, err
	}
	now := s.now()
	tokens := Tokens(body)
	if p.Seq == 1 {
		tokens = Tokens(t.Title, body)
	}
	// FerretDB 1.24 ignores $push's $slice (it keeps every element), so the
	// capped history is computed from the post as read and set whole; the
	// filter on the source it was computed from refuses a post changed since.
	edits := append(p.Edits, Edit{At: now, Source: p.Source})
	edits = edits[max(0, len(edits)-MaxEdits):]
	ok, err := s.store.EditPost(ctx, p.ID, p.Source, PostEdit{Source: body, HTML: html, Tokens: tokens, Edits: edits, At: now})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("community: post changed meanwhile: %w", errkind.ErrConflict)
	}
	s.copyToPage(ctx, p.ID)
	p.Source, p.HTML, p.EditedAt = body, html, now
	return p, nil
}

// Delete is the author's soft delete: the post stays in its place, its
// text and history erased.
func (s *Service) Delete(ctx context.Context, u *profile.User, postID string) error {
	p, _, _, err := s.post(ctx, u, postID)
	if err != nil {
		return err
	}
	if p.AuthorID != u.ID {
		return fmt.Errorf("community: not your post: %w", errkind.ErrForbidden)
	}
	if err := s.store.ErasePostText(ctx, p.ID); err != nil {
		return err
	}
	s.copyToPage(ctx, p.ID)
	return nil
}

// Accept marks a reply as the accepted answer of a question; its author
// or a moderator does it. Accepting another replaces the first. The
// members' accepted-answer counts follow the state, not the clicks: under
// the thread's lock, the thread is read again, and only a change of the
// accepted post moves the count, from the previous answer's author to the
// new one's, so switching back and forth inflates nothing.
func (s *Service) Accept(ctx context.Context, u *profile.User, postID string) (*Thread, error) {
	p, t, sp, err := s.post(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if !t.Question || p.Seq == 1 || p.Deleted || p.Hidden {
		return nil, errkind.Invalid("post", "not_an_answer")
	}
	if t.AuthorID != u.ID && !CanModerate(sp, u) {
		return nil, fmt.Errorf("community: only the question's author accepts: %w", errkind.ErrForbidden)
	}
	release, err := s.store.LockThread(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	accepted := false
	defer func() {
		release()
		if accepted {
			s.copyToList(ctx, t.ID) // after the lock, which the copy takes
		}
	}()
	cur, err := s.store.Thread(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	if cur.Accepted == p.ID {
		return cur, nil
	}
	if err := s.store.SetAccepted(ctx, t.ID, p.ID, p.AuthorID); err != nil {
		return nil, err
	}
	accepted = true
	if cur.Accepted != "" {
		prev := cur.AcceptedAuthorID
		if prev == "" { // accepted before the author was kept in the thread
			if old, err := s.store.Post(ctx, cur.Accepted); err == nil {
				prev = old.AuthorID
			}
		}
		if prev != "" {
			if err := s.store.DecAccepted(ctx, prev); err != nil {
				return nil, err
			}
		}
	}
	if err := s.store.IncAccepted(ctx, p.AuthorID); err != nil {
		return nil, err
	}
	cur.Accepted, cur.AcceptedAuthorID = p.ID, p.AuthorID
	return cur, nil
}

// MaxPreviewsPerMinute bounds the Markdown previews of one account.
const MaxPreviewsPerMinute = 60

// PreviewFor renders a post's Markdown for a person about to post or edit:
// it needs a verified address, like posting, and at most
// MaxPreviewsPerMinute previews a minute per account.
func (s *Service) PreviewFor(ctx context.Context, u *profile.User, body string) (string, error) {
	if !u.EmailVerified {
		return "", errkind.EmailUnverified()
	}
	ok, wait, err := s.limiter.Allow(ctx, "preview:"+u.ID, MaxPreviewsPerMinute, time.Minute)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", &errkind.RateLimitedError{RetryAfter: wait}
	}
	return s.Preview(body)
}
