package community_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/queue"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

func postID(threadID string, seq int) string { return fmt.Sprintf("%s.%06d", threadID, seq) }

// shown is what a thread page shows of a post (to a moderator).
func shown(p community.Post) string {
	return fmt.Sprintf("%s #%d by %s (%s) deleted=%v hidden=%v html=%q source=%q edits=%d edited=%d reactions=%v",
		p.ID, p.Seq, p.AuthorName, p.AuthorHandle, p.Deleted, p.Hidden, p.HTML, p.Source, len(p.Edits), p.EditedAt.UnixMilli(), p.Reactions)
}

// checkPages waits for the queues (a copy, or a notification, that failed
// in the burst is retried by its task), then checks that every stored page document of the thread holds
// exactly its posts, each in its current state, and that the service's
// pages, followed by Next, show every post once, in order.
func checkPages(t *testing.T, env *testenv.Env, reader *profile.User, threadID string) {
	t.Helper()
	env.DrainQueues(t, 90*time.Second) // a task's first retry comes within 45 s
	ctx := writersCtx(t)
	st := community.StoreOf(env.Sys.Community)
	th, err := st.Thread(ctx, threadID)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k*community.PageSize < th.Posts; k++ {
		doc, err := st.PageDoc(ctx, threadID, k)
		if err != nil {
			t.Fatal(err)
		}
		for seq := k*community.PageSize + 1; seq <= min((k+1)*community.PageSize, th.Posts); seq++ {
			want, err := st.Post(ctx, postID(threadID, seq))
			if err != nil {
				t.Fatalf("post %d: %v", seq, err)
			}
			got, ok := doc[seq]
			if !ok {
				t.Errorf("page %d lacks post %d", k, seq)
				continue
			}
			if shown(got) != shown(*want) {
				t.Errorf("page %d shows post %d as\n  %s\nwhich is now\n  %s", k, seq, shown(got), shown(*want))
			}
		}
		for seq := range doc {
			if seq > th.Posts || (seq-1)/community.PageSize != k {
				t.Errorf("page %d holds post %d of a thread of %d posts", k, seq, th.Posts)
			}
		}
	}
	var seqs []int
	for after := 0; ; {
		page, err := env.Sys.Community.Thread(ctx, reader, threadID, after)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Posts {
			seqs = append(seqs, p.Seq)
		}
		if page.Next == 0 {
			break
		}
		after = page.Next
	}
	want := make([]int, th.Posts)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(seqs, want) {
		t.Errorf("the thread's pages show posts %v, want 1 to %d once each, in order", seqs, th.Posts)
	}
}

// reply posts for u, lifting the posting limits first (the test posts
// faster than a person may).
func reply(t *testing.T, env *testenv.Env, u *profile.User, threadID, body string) *community.Post {
	t.Helper()
	ctx := writersCtx(t)
	env.Sys.Limiter.Reset(ctx, "post-gap:"+u.ID)
	env.Sys.Limiter.Reset(ctx, "post-hour:"+u.ID)
	p, err := env.Sys.Community.Reply(ctx, u, threadID, body)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// atOnce runs fns together, released at the same instant, and fails on
// any error.
func atOnce(t *testing.T, fns ...func() error) {
	t.Helper()
	start := make(chan struct{})
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
			// A store that did not answer (FerretDB's PostgreSQL read timing
			// out under load; docs/store.md) is tried again, as its user would.
			for try := 0; try < 5 && errors.Is(errs[i], errkind.ErrUnavailable); try++ {
				errs[i] = fn()
			}
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestRepliesAtOnceEachOnceInOrder: ten people reply to a thread at once,
// across the boundary of its first two pages: every post is on its page
// exactly once, and the pages show them in order.
func TestRepliesAtOnceEachOnceInOrder(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := writersCtx(t)
		svc := env.Sys.Community
		admin, asker := env.CreateUser(t, profile.RoleAdmin), veteran(t, env, profile.RoleLearner)
		th, _, err := svc.CreateThread(ctx, asker, "academie-lyon", community.NewThread{Title: "Un fil très suivi", Body: "Premier message."})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 13 {
			reply(t, env, asker, th.ID, fmt.Sprintf("Réponse %d.", i))
		}
		var fns []func() error
		for i := range 10 {
			u := veteran(t, env, profile.RoleLearner)
			fns = append(fns, func() error {
				_, err := svc.Reply(ctx, u, th.ID, fmt.Sprintf("Réponse simultanée %d.", i))
				return err
			})
		}
		atOnce(t, fns...)
		if got, _ := community.StoreOf(svc).Thread(ctx, th.ID); got.Posts != 24 {
			t.Fatalf("the thread counts %d posts, want 24", got.Posts)
		}
		checkPages(t, env, admin, th.ID)
		checkPages(t, env, asker, th.ID)
		// A page the service links to (after a multiple of PageSize) is the
		// thread and one page document; any other, one page document more.
		for _, c := range []struct{ after, commands int }{{0, 2}, {community.PageSize, 2}, {5, 3}} {
			if err := svc.FlushViews(ctx); err != nil { // so that this view writes none
				t.Fatal(err)
			}
			cctx, counter := database.WithCounter(ctx)
			if _, err := svc.Thread(cctx, asker, th.ID, c.after); err != nil {
				t.Fatal(err)
			}
			if n := int(counter.Load()); n != c.commands {
				t.Errorf("the page after %d cost %d store commands, want %d", c.after, n, c.commands)
			}
		}
	})
}

// TestWritesAtOnceKeepPagesCurrent: in one page, at once, a new reply, two
// edits, a moderator hiding a post, an author deleting theirs, and
// reactions during an edit of the same post: afterwards the page shows
// every post exactly as it now is.
func TestWritesAtOnceKeepPagesCurrent(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := writersCtx(t)
		svc := env.Sys.Community
		admin := env.CreateUser(t, profile.RoleAdmin)
		var people []*profile.User
		for range 6 {
			people = append(people, veteran(t, env, profile.RoleLearner))
		}
		a, b, c, d, e, f := people[0], people[1], people[2], people[3], people[4], people[5]
		th, first, err := svc.CreateThread(ctx, a, "academie-lyon", community.NewThread{Title: "Tout en même temps", Body: "Le premier message."})
		if err != nil {
			t.Fatal(err)
		}
		posts := []*community.Post{first}
		for i, u := range []*profile.User{b, c, d, e} {
			posts = append(posts, reply(t, env, u, th.ID, fmt.Sprintf("Message numéro %d.", i+2)))
		}
		atOnce(t,
			func() error { _, err := svc.Reply(ctx, f, th.ID, "Une nouvelle réponse."); return err },
			func() error { _, err := svc.Edit(ctx, a, posts[0].ID, "Le premier message, corrigé."); return err },
			func() error { return svc.React(ctx, e, posts[0].ID, "merci", true) },
			func() error { return svc.SetHidden(ctx, admin, posts[1].ID, true, "Hors charte") },
			func() error { return svc.Delete(ctx, c, posts[2].ID) },
			func() error { _, err := svc.Edit(ctx, d, posts[3].ID, "Message numéro 4, revu."); return err },
			func() error { return svc.React(ctx, e, posts[3].ID, "merci", true) },
			func() error { return svc.React(ctx, b, posts[3].ID, "utile", true) },
		)
		checkPages(t, env, admin, th.ID)
		doc, err := community.StoreOf(svc).PageDoc(ctx, th.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p := doc[1]; p.Source != "Le premier message, corrigé." || p.Reactions["merci"] != 1 || len(p.Edits) != 1 {
			t.Errorf("post 1 on its page: %s", shown(p))
		}
		if !doc[2].Hidden || !doc[3].Deleted || doc[3].HTML != "" || doc[6].Source != "Une nouvelle réponse." {
			t.Errorf("posts 2, 3, 6 on their page: %s / %s / %s", shown(doc[2]), shown(doc[3]), shown(doc[6]))
		}
		if p := doc[4]; p.Source != "Message numéro 4, revu." || p.Reactions["merci"] != 1 || p.Reactions["utile"] != 1 {
			t.Errorf("post 4 on its page: %s", shown(p))
		}
		// Members do not see earlier versions; moderators do.
		page, err := svc.Thread(ctx, b, th.ID, 0)
		if err != nil || len(page.Posts) != 6 || page.Posts[0].Edits != nil || page.Next != 0 {
			t.Fatalf("a member's page: %+v %v", page, err)
		}
		if page, _ := svc.Thread(ctx, admin, th.ID, 0); len(page.Posts[0].Edits) != 1 {
			t.Fatal("a moderator's page lacks the earlier version")
		}
	})
}

// TestPageCopyLostToACrash: a post written without its page copy, as a
// crash between the two leaves it, is copied by the sweeper's task (the
// write left the page marker) and by the rebuild of a page found
// incomplete; pages from before pages existed are rebuilt when read.
func TestPageCopyLostToACrash(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := writersCtx(t)
		svc := env.Sys.Community
		st := community.StoreOf(svc)
		a, b := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
		th, _, err := svc.CreateThread(ctx, a, "academie-lyon", community.NewThread{Title: "Une panne au mauvais moment", Body: "Premier message."})
		if err != nil {
			t.Fatal(err)
		}
		second := reply(t, env, b, th.ID, "Deuxième message.")
		env.DrainQueues(t, 30*time.Second)

		// An edit written, then the process dies before the copy.
		if ok, err := st.EditPost(ctx, second.ID, second.Source, community.PostEdit{Source: "Deuxième message, corrigé.",
			HTML: "<p>Deuxième message, corrigé.</p>", At: time.Now().UTC().Truncate(time.Millisecond)}); err != nil || !ok {
			t.Fatalf("edit: %v %v", ok, err)
		}
		if doc, _ := st.PageDoc(ctx, th.ID, 0); doc[2].HTML != second.HTML {
			t.Fatalf("the page changed without a copy: %s", shown(doc[2]))
		}
		if p, _ := st.Post(ctx, second.ID); !slices.Contains(p.Pending, "page") {
			t.Fatalf("the edit left no page marker: %v", p.Pending)
		}
		sweeper := queue.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, slog.New(slog.NewTextHandler(io.Discard, nil)), 0)
		if n, err := sweeper.SweepOnce(ctx); err != nil || n == 0 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		env.DrainQueues(t, 30*time.Second)
		if doc, _ := st.PageDoc(ctx, th.ID, 0); doc[2].HTML != "<p>Deuxième message, corrigé.</p>" {
			t.Fatalf("the sweeper's task did not copy the edit: %s", shown(doc[2]))
		}

		// A reply inserted, then the process dies before its copy and its
		// count: the next reply counts it, and the page read rebuilds.
		now := time.Now().UTC().Truncate(time.Millisecond)
		lost := &community.Post{ID: postID(th.ID, 3), ThreadID: th.ID, SpaceID: th.SpaceID, Seq: 3, AuthorID: b.ID, AuthorName: b.Shown(),
			AuthorHandle: b.Handle, Source: "Message perdu.", HTML: "<p>Message perdu.</p>", Tokens: []string{"message", "perdu"},
			CreatedAt: now, Pending: []string{"page"}, PendingAt: now}
		if err := st.InsertPost(ctx, lost); err != nil {
			t.Fatal(err)
		}
		if next := reply(t, env, a, th.ID, "Quatrième message."); next.Seq != 4 {
			t.Fatalf("the next reply took rank %d", next.Seq)
		}
		if doc, _ := st.PageDoc(ctx, th.ID, 0); len(doc) != 3 {
			t.Fatalf("the page holds %d posts before the rebuild, want 3 (the lost one missing)", len(doc))
		}
		page, err := svc.Thread(ctx, a, th.ID, 0)
		if err != nil || len(page.Posts) != 4 || page.Posts[2].HTML != "<p>Message perdu.</p>" {
			t.Fatalf("the page read after the crash: %+v %v", page, err)
		}
		if doc, _ := st.PageDoc(ctx, th.ID, 0); len(doc) != 4 {
			t.Fatalf("the rebuild stored %d posts, want 4", len(doc))
		}
		task, err := community.NewPageTask(lost.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.HandlePage(ctx, task); err != nil {
			t.Fatal(err)
		}
		if p, _ := st.Post(ctx, lost.ID); len(p.Pending) != 0 || !p.PendingAt.IsZero() {
			t.Fatalf("the page task left its marker: %v %v", p.Pending, p.PendingAt)
		}

		// A thread from before pages: its page is rebuilt when read.
		if err := st.DeletePostPage(ctx, th.ID, 0); err != nil {
			t.Fatal(err)
		}
		if page, err := svc.Thread(ctx, a, th.ID, 0); err != nil || len(page.Posts) != 4 {
			t.Fatalf("a thread without pages: %+v %v", page, err)
		}
		checkPages(t, env, a, th.ID)
	})
}

// writersCtx bounds a test of many writers at once. Each writer waits for
// the locks of the others, so on a loaded machine (the race detector, the
// other packages' tests, FerretDB over PostgreSQL) the test takes longer
// than testenv.Ctx's 30 s without anything being wrong.
func writersCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
