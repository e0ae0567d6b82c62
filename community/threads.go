package community

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
	"ardoise/profile"
)

// PageSize is the number of threads or posts a page shows.
const PageSize = 20

// sortKey orders threads: pinned first, then the latest post, then the id.
func sortKey(pinned bool, last time.Time, id string) string {
	p := "0"
	if pinned {
		p = "1"
	}
	return fmt.Sprintf("%s%019d%s", p, last.UnixNano(), id)
}

func cleanLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// NewThread is what starting a thread takes.
type NewThread struct {
	Title    string
	Body     string
	Question bool
}

// CreateThread starts a thread with its first post, after the posting rules.
func (s *Service) CreateThread(ctx context.Context, u *profile.User, spaceID string, in NewThread) (*Thread, *Post, error) {
	sp, err := s.open(ctx, u, spaceID)
	if err != nil {
		return nil, nil, err
	}
	title := cleanLine(in.Title)
	if n := len([]rune(title)); n < 5 || n > 150 {
		return nil, nil, errkind.Invalid("title", "title_length")
	}
	if err := s.mayPost(ctx, u, sp, in.Body); err != nil {
		return nil, nil, err
	}
	now := s.now()
	t := &Thread{ID: keyring.RandomToken(9), SpaceID: sp.ID, Title: title, AuthorID: u.ID, AuthorName: u.Shown(),
		Question: in.Question, Posts: 1, LastPostAt: now, CreatedAt: now}
	t.SortKey = sortKey(false, now, t.ID)
	p, err := s.newPost(u, t, 1, in.Body, now)
	if err != nil {
		return nil, nil, err
	}
	p.Tokens = Tokens(title, in.Body)
	if err := s.store.InsertPost(ctx, p); err != nil {
		return nil, nil, database.Wrap(err, "community: first post")
	}
	s.copyToPage(ctx, p.ID)
	if err := s.store.InsertThread(ctx, t); err != nil {
		return nil, nil, err
	}
	s.copyToList(ctx, t.ID)
	s.enqueueNotify(ctx, p.ID)
	s.dropFirstPage(sp.ID)
	s.afterPost(ctx, u, sp)
	if err := s.store.IncSpaceThreads(ctx, sp.ID, 1); err != nil {
		return nil, nil, err
	}
	return t, p, nil
}

// ThreadPage is a page of a space's threads; Next is the cursor of the
// following page ("" on the last).
type ThreadPage struct {
	Space   *Space
	Threads []Thread
	Next    string
}

// Threads lists a space's threads, pinned first then by latest post, a
// page at a time from the space's list documents (Store.ThreadPage): the
// head and usually one list page, whatever the number of threads.
func (s *Service) Threads(ctx context.Context, u *profile.User, spaceID, after string) (*ThreadPage, error) {
	sp, err := s.open(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if after == "" {
		if p, ok := s.firstPage(sp.ID); ok {
			return &ThreadPage{Space: sp, Threads: p.Threads, Next: p.Next}, nil
		}
	}
	key, hint := parseThreadCursor(after)
	list, err := s.store.ThreadPage(ctx, sp.ID, key, hint, PageSize+1)
	if err != nil {
		return nil, err
	}
	page := &ThreadPage{Space: sp, Threads: list.Threads}
	if len(page.Threads) > PageSize {
		page.Threads = page.Threads[:PageSize]
		page.Next = threadCursor(page.Threads[PageSize-1].SortKey, list.Hint)
	}
	if after == "" {
		s.keepFirstPage(sp.ID, page)
	}
	return page, nil
}

// A space's first page of threads, the most read, is kept a few seconds;
// a new thread or reply in this process drops it at once, other processes
// see it within firstPageTTL.
const firstPageTTL = 5 * time.Second

func (s *Service) firstPage(spaceID string) (ThreadPage, bool) { return s.pages.Get(spaceID) }

func (s *Service) keepFirstPage(spaceID string, p *ThreadPage) {
	s.pages.Put(spaceID, ThreadPage{Threads: p.Threads, Next: p.Next})
}

func (s *Service) dropFirstPage(spaceID string) { s.pages.Forget(spaceID) }

// PostPage is a thread with a page of its posts.
type PostPage struct {
	Space     *Space
	Thread    *Thread
	Posts     []Post
	Next      int // the seq to read after; 0 on the last page
	Moderator bool
}

// Thread reads a thread and a page of its posts (after the post of rank
// after), counting the view: 2 store commands (the thread, then its page
// document by _id; the space from cache, module membership from cache once
// known, views buffered), 3 when after is not a multiple of PageSize. The
// thread's count of posts says whether a page follows.
func (s *Service) Thread(ctx context.Context, u *profile.User, threadID string, after int) (*PostPage, error) {
	t, err := s.store.Thread(ctx, threadID)
	if err != nil {
		return nil, err
	}
	sp, err := s.open(ctx, u, t.SpaceID)
	if err != nil {
		return nil, err
	}
	after = max(after, 0)
	posts, err := s.store.PostPage(ctx, t, after)
	if err != nil {
		return nil, err
	}
	page := &PostPage{Space: sp, Thread: t, Posts: posts, Moderator: CanModerate(sp, u)}
	if t.Posts > after+PageSize {
		page.Next = after + PageSize
	}
	if !page.Moderator {
		for i := range page.Posts {
			page.Posts[i].Edits = nil
		}
	}
	s.countView(ctx, t.ID)
	return page, nil
}
