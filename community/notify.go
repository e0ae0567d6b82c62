package community

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hibiken/asynq"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/mail"
	"ardoise/internal/queue"
	"ardoise/profile"
)

// TypeNotify delivers a post's notifications: to the thread's subscribers
// (and the space's, for a new thread) and to the people it mentions who
// can see the space. Its marker sits in the post from its insert.
const TypeNotify = "community:notify"

const markerNotify = "notify"

// maxMentions bounds the people one post may notify by mention.
const maxMentions = 10

var mentionRe = regexp.MustCompile(`(?:^|[^\w@/])@([a-z0-9_-]{3,30})\b`)

// Mentions lists the handles a text mentions (@handle), at most maxMentions.
func Mentions(text string) []string {
	var out []string
	for _, m := range mentionRe.FindAllStringSubmatch(strings.ToLower(text), -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
		if len(out) == maxMentions {
			break
		}
	}
	return out
}

type notifyPayload struct {
	Post string `json:"p"`
}

// NewNotifyTask returns the task that notifies the readers of a new post.
func NewNotifyTask(postID string) (*asynq.Task, error) {
	p, err := json.Marshal(notifyPayload{Post: postID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeNotify, p), nil
}

// Markers are the community's pending work, registered with the outbox: a
// new post waits for its notifications; a written post, for its copy into
// its thread's page; a changed notification, for its copy into its
// person's page; a written thread, for its copy into its space's list.
var Markers = []queue.Marker{
	{Collection: PostsCollection, Name: markerNotify, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewNotifyTask(id) }},
	{Collection: PostsCollection, Name: markerPage, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewPageTask(id) }},
	{Collection: NotificationsCollection, Name: markerNotePage, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewNotePageTask(id) }},
	{Collection: ThreadsCollection, Name: markerList, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewThreadListTask(id) }},
}

func (s *Service) enqueueNotify(ctx context.Context, postID string) {
	s.outbox.After(ctx, PostsCollection, postID, markerNotify)
}

// HandleNotify writes the post's notifications (one per person, by a
// deterministic id, so a retry adds none) and copies each into its
// person's page (again on a retry: the copy is idempotent, and the marker
// stays until every copy is done), emails those who chose immediate mail,
// subscribes the author to the thread, then clears the marker.
func (s *Service) HandleNotify(ctx context.Context, t *asynq.Task) error {
	var pl notifyPayload
	if err := json.Unmarshal(t.Payload(), &pl); err != nil {
		return fmt.Errorf("community: notify payload: %v: %w", err, asynq.SkipRetry)
	}
	p, err := s.store.Post(ctx, pl.Post)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains(p.Pending, markerNotify) {
		return nil
	}
	th, err := s.store.Thread(ctx, p.ThreadID)
	if err != nil {
		return err
	}
	sp, err := s.Space(ctx, th.SpaceID)
	if err != nil {
		return err
	}
	kinds, err := s.recipients(ctx, p, th, sp)
	if err != nil {
		return err
	}
	for uid, kind := range kinds {
		if err := s.notify(ctx, Notification{ID: p.ID + "|" + uid, UserID: uid, Kind: kind, PostID: p.ID, ThreadID: th.ID,
			Title: th.Title, ByName: p.AuthorName, CreatedAt: p.CreatedAt}); err != nil {
			return err
		}
	}
	if err := s.scrubIfErased(ctx, p); err != nil {
		return err
	}
	if err := s.subscribe(ctx, p.AuthorID, "thread:"+th.ID); err != nil {
		return err
	}
	return s.store.ClearPostMarker(ctx, p.ID, markerNotify)
}

// recipients maps each person to notify to why: subscribers of the thread
// (or of the space, for a first post), then the people mentioned who can
// see the space. The author is never notified.
func (s *Service) recipients(ctx context.Context, p *Post, th *Thread, sp *Space) (map[string]string, error) {
	out := map[string]string{}
	targets := []string{"thread:" + th.ID}
	if p.Seq == 1 {
		targets = append(targets, "space:"+sp.ID)
	}
	subs, err := s.store.Subscribers(ctx, targets)
	if err != nil {
		return nil, err
	}
	for _, sub := range subs {
		if strings.HasPrefix(sub.Target, "space:") {
			out[sub.UserID] = "thread"
		} else {
			out[sub.UserID] = "reply"
		}
	}
	if err := s.keepWhoSees(ctx, sp, out); err != nil {
		return nil, err
	}
	for _, handle := range Mentions(p.Source) {
		u, err := s.profile.UserByHandle(ctx, handle)
		if errkind.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Deleted || u.Suspended {
			continue
		}
		if ok, err := s.sees(ctx, sp, u); err != nil {
			return nil, err
		} else if ok {
			out[u.ID] = "mention"
		}
	}
	delete(out, p.AuthorID)
	return out, nil
}

// keepWhoSees drops from recipients the people who cannot see the space
// now: a follower of a members-only thread who lost access (removed from a
// theme, unenrolled, moved to another académie) hears nothing more of it.
// Visibility is checked at delivery, not only when they subscribed.
func (s *Service) keepWhoSees(ctx context.Context, sp *Space, recipients map[string]string) error {
	if len(recipients) == 0 {
		return nil
	}
	ids := make([]string, 0, len(recipients))
	for id := range recipients {
		ids = append(ids, id)
	}
	users, err := s.profile.Users(ctx, ids)
	if err != nil {
		return err
	}
	sees := map[string]bool{}
	for i := range users {
		u := &users[i]
		if u.Deleted || u.Suspended {
			continue
		}
		ok, err := s.sees(ctx, sp, u)
		if err != nil {
			return err
		}
		sees[u.ID] = ok
	}
	for id := range recipients {
		if !sees[id] {
			delete(recipients, id)
		}
	}
	return nil
}

// sees reports whether u may see sp now, checking module enrolment when it matters.
func (s *Service) sees(ctx context.Context, sp *Space, u *profile.User) (bool, error) {
	enrolled := false
	if sp.Kind == KindModule && sp.Visibility == Members && !CanModerate(sp, u) {
		var err error
		if enrolled, err = s.enrolled(ctx, u.ID, sp); err != nil {
			return false, err
		}
	}
	return s.visible(sp, u, enrolled), nil
}

// notify inserts a notification once, numbered in its person's list and
// counted unread (Store.AddNotification), copies it into its page, and,
// on the first insert, sends it to people who chose immediate mail.
func (s *Service) notify(ctx context.Context, n Notification) error {
	added, seq, err := s.store.AddNotification(ctx, n)
	if err != nil {
		return err
	}
	err = s.store.CopyNote(ctx, n.ID, n.UserID, seq)
	for try := 1; try < 3 && errors.Is(err, errkind.ErrConflict); try++ {
		err = s.store.CopyNote(ctx, n.ID, n.UserID, seq) // a burst held the page's lock past its wait
	}
	if err != nil || !added {
		return err // the task runs again and copies again
	}
	m, err := s.Member(ctx, n.UserID)
	if err != nil {
		return err
	}
	if m.Digest != DigestImmediate {
		return nil
	}
	u, err := s.profile.User(ctx, n.UserID)
	if err != nil || !u.CanReceiveMail() {
		return nil
	}
	lang := u.Locale
	msg := mail.Message{ID: "notif:" + n.ID, To: u.Email,
		Subject: s.cat.T(lang, "community.mail.subject."+n.Kind, "title", n.Title),
		Body: s.cat.T(lang, "community.mail.one", "by", n.ByName, "title", n.Title, "link", s.baseURL+"/communaute/fils/"+n.ThreadID) +
			"\n\n" + s.cat.T(lang, "community.mail.footer", "unsubscribe", s.UnsubscribeURL(u.ID))}
	if err := s.mailer.Send(ctx, msg); err != nil && !database.IsDuplicate(err) {
		return err
	}
	if err := s.store.MarkMailed(ctx, n.ID); err != nil {
		return err
	}
	s.copyNotes(ctx, []string{n.ID})
	return nil
}

// subscribe makes a person follow a target ("space:<id>" or "thread:<id>").
func (s *Service) subscribe(ctx context.Context, userID, target string) error {
	return s.store.Subscribe(ctx, Subscription{ID: userID + "|" + target, UserID: userID, Target: target, CreatedAt: s.now()})
}

// Subscribed reports whether a person follows a target.
func (s *Service) Subscribed(ctx context.Context, userID, target string) (bool, error) {
	return s.store.Subscribed(ctx, userID+"|"+target)
}

// SetSubscribed follows or stops following a space or thread the person can see.
func (s *Service) SetSubscribed(ctx context.Context, u *profile.User, kind, id string, on bool) error {
	switch kind {
	case "space":
		if _, err := s.open(ctx, u, id); err != nil {
			return err
		}
	case "thread":
		th, err := s.store.Thread(ctx, id)
		if err != nil {
			return err
		}
		if _, err := s.open(ctx, u, th.SpaceID); err != nil {
			return err
		}
	default:
		return errkind.Invalid("kind", "unknown")
	}
	if on {
		return s.subscribe(ctx, u.ID, kind+":"+id)
	}
	return s.store.Unsubscribe(ctx, u.ID+"|"+kind+":"+id)
}

// Notifications returns a person's newest notifications (read from their
// pages by _id, whatever their number) and unread count.
func (s *Service) Notifications(ctx context.Context, userID string) ([]Notification, int, error) {
	out, err := s.store.Notifications(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	m, err := s.Member(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	return out, m.Unread, nil
}

// MarkRead marks every notification of a person read and sets their
// unread count to zero (one locked step, Store.MarkAllRead).
func (s *Service) MarkRead(ctx context.Context, userID string) error {
	return s.store.MarkAllRead(ctx, userID)
}

// Member returns a person's standing (zero when they never took part).
func (s *Service) Member(ctx context.Context, userID string) (*Member, error) {
	m, err := s.store.Member(ctx, userID)
	if errkind.IsNotFound(err) {
		m, err = &Member{}, nil
	}
	if err != nil {
		return nil, err
	}
	m.ID = userID
	if m.Digest == "" {
		m.Digest = DigestDaily
	}
	return m, nil
}
