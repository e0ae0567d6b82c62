package community_test

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/database"
	"ardoise/internal/queue"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// listed is what a space's list shows of a thread.
func listed(t community.Thread) string {
	return fmt.Sprintf("%s %q by %s posts=%d views=%d pinned=%v locked=%v accepted=%q last=%d key=%s",
		t.ID, t.Title, t.AuthorName, t.Posts, t.Views, t.Pinned, t.Locked, t.Accepted, t.LastPostAt.UnixMilli(), t.SortKey)
}

// checkList waits for the queues, then checks that a space's list
// documents hold each of its threads exactly once, in its current state,
// and that the service's pages, followed by Next, show them all once, in
// the order of their sort keys (pinned first, then by latest post).
func checkList(t *testing.T, env *testenv.Env, reader *profile.User, spaceID string) {
	t.Helper()
	env.DrainQueues(t, 90*time.Second)
	ctx := writersCtx(t)
	svc := env.Sys.Community
	st := community.StoreOf(svc)
	threads, err := st.SpaceThreads(ctx, spaceID)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(threads, func(a, b community.Thread) int { return strings.Compare(b.SortKey, a.SortKey) })
	var want []string
	for _, th := range threads {
		want = append(want, listed(th))
	}
	community.ForgetFirstPage(svc, spaceID)
	var got []string
	for after, n := "", 0; ; n++ {
		page, err := svc.Threads(ctx, reader, spaceID, after)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Threads) > community.PageSize || (page.Next != "" && len(page.Threads) != community.PageSize) {
			t.Fatalf("a page of %d threads, next %q", len(page.Threads), page.Next)
		}
		for _, th := range page.Threads {
			got = append(got, listed(th))
		}
		if page.Next == "" || n > 100 {
			break
		}
		after = page.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("space %s lists\n  %s\nwant\n  %s", spaceID, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	pinned, entries, err := st.ListEntries(ctx, spaceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range threads {
		if n := len(entries[th.ID]); n != 1 {
			t.Errorf("thread %s is in %d list pages, want 1", th.ID, n)
		}
		if _, ok := pinned[th.ID]; ok != th.Pinned {
			t.Errorf("thread %s pinned=%v, in the head's pinned: %v", th.ID, th.Pinned, ok)
		}
		delete(entries, th.ID)
	}
	if len(entries) != 0 {
		t.Errorf("the list of %s holds threads that are not in it: %v", spaceID, entries)
	}
}

// newThread starts a thread for u, lifting the posting limits first.
func newThread(t *testing.T, env *testenv.Env, u *profile.User, spaceID, title string) *community.Thread {
	t.Helper()
	ctx := writersCtx(t)
	env.Sys.Limiter.Reset(ctx, "post-gap:"+u.ID)
	env.Sys.Limiter.Reset(ctx, "post-hour:"+u.ID)
	th, _, err := env.Sys.Community.CreateThread(ctx, u, spaceID, community.NewThread{Title: title, Body: "Le premier message de " + title + "."})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// TestThreadListFollowsEveryChange: threads started, replied to (they move
// up), viewed, locked, pinned and unpinned, moved to another space, and
// their author's account deleted: each space's list shows every thread
// once, as it now is, in order, across many list pages; the first page
// costs the head and one list page.
func TestThreadListFollowsEveryChange(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := writersCtx(t)
		svc := env.Sys.Community
		st := community.StoreOf(svc)
		const size = 8
		st.SetListPageSize(size)
		admin := env.CreateUser(t, profile.RoleAdmin)
		a, b := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
		lyon, rhone := "academie-lyon", "departement-69"
		if _, err := svc.Spaces(ctx, a); err != nil { // the territory's spaces are made on first sight
			t.Fatal(err)
		}
		var ths []*community.Thread
		for i := range 26 {
			ths = append(ths, newThread(t, env, []*profile.User{a, b}[i%2], lyon, fmt.Sprintf("Sujet numéro %d", i)))
		}
		for _, i := range []int{2, 7, 0} { // old threads move up
			reply(t, env, b, ths[i].ID, fmt.Sprintf("Une réponse qui fait remonter le sujet %d.", i))
		}
		for _, c := range []struct {
			i   int
			act community.ThreadAction
		}{{5, community.ActPin}, {9, community.ActPin}, {9, community.ActUnpin}, {3, community.ActLock}} {
			if err := svc.ModerateThread(ctx, admin, ths[c.i].ID, c.act, "", "Modération du sujet"); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			if _, err := svc.Thread(ctx, a, ths[4].ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.FlushViews(ctx); err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{1, 5} { // one of them pinned
			if err := svc.ModerateThread(ctx, admin, ths[i].ID, community.ActMove, rhone, "Sujet départemental"); err != nil {
				t.Fatal(err)
			}
		}
		newThread(t, env, a, rhone, "Un sujet du Rhône")
		checkList(t, env, admin, lyon)
		checkList(t, env, admin, rhone)

		if err := svc.DeleteFor(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		checkList(t, env, admin, lyon)
		if p, _ := st.Thread(ctx, ths[1].ID); p.AuthorName != profile.DeletedName {
			t.Fatalf("the deleted author's thread is signed %q", p.AuthorName)
		}

		// The first page, not kept by the service: the head, then the list
		// pages that hold its threads (the space is cached), one more when
		// moves left them sparse; a later page from its cursor's hint, about
		// as cheap.
		bound := int64(1 + (community.PageSize+1+size-1)/size + 1)
		community.ForgetFirstPage(svc, lyon)
		cctx, counter := database.WithCounter(ctx)
		first, err := svc.Threads(cctx, admin, lyon, "")
		if err != nil {
			t.Fatal(err)
		}
		if n := counter.Load(); n > bound {
			t.Errorf("the first page of threads cost %d store commands, want at most %d", n, bound)
		}
		cctx, counter = database.WithCounter(ctx)
		if _, err := svc.Threads(cctx, admin, lyon, first.Next); err != nil {
			t.Fatal(err)
		}
		if n := counter.Load(); n > bound+1 {
			t.Errorf("the second page of threads cost %d store commands, want at most %d", n, bound+1)
		}
	})
}

// TestThreadListWritesAtOnce: in one space, at once, new threads,
// replies to several threads, a pin, a lock and a move: afterwards each
// list holds every thread once, as it now is.
func TestThreadListWritesAtOnce(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := writersCtx(t)
		svc := env.Sys.Community
		community.StoreOf(svc).SetListPageSize(4)
		admin := env.CreateUser(t, profile.RoleAdmin)
		var people []*profile.User
		for range 6 {
			people = append(people, veteran(t, env, profile.RoleLearner))
		}
		if _, err := svc.Spaces(ctx, people[0]); err != nil {
			t.Fatal(err)
		}
		var ths []*community.Thread
		for i := range 9 {
			ths = append(ths, newThread(t, env, people[i%6], "academie-lyon", fmt.Sprintf("Sujet simultané %d", i)))
		}
		var fns []func() error
		for i, u := range people {
			env.Sys.Limiter.Reset(ctx, "post-gap:"+u.ID)
			env.Sys.Limiter.Reset(ctx, "post-hour:"+u.ID)
			fns = append(fns, func() error {
				_, err := svc.Reply(ctx, u, ths[i].ID, fmt.Sprintf("Réponse simultanée %d.", i))
				return err
			})
		}
		for i := range 3 {
			u := veteran(t, env, profile.RoleLearner)
			fns = append(fns, func() error {
				_, _, err := svc.CreateThread(ctx, u, "academie-lyon", community.NewThread{Title: fmt.Sprintf("Nouveau sujet %d", i), Body: "Un nouveau sujet."})
				return err
			})
		}
		fns = append(fns,
			func() error {
				return svc.ModerateThread(ctx, admin, ths[1].ID, community.ActPin, "", "Sujet important")
			},
			func() error { return svc.ModerateThread(ctx, admin, ths[2].ID, community.ActLock, "", "Sujet clos") },
			func() error {
				return svc.ModerateThread(ctx, admin, ths[7].ID, community.ActMove, "departement-69", "Sujet départemental")
			},
		)
		atOnce(t, fns...)
		checkList(t, env, admin, "academie-lyon")
		checkList(t, env, admin, "departement-69")
	})
}

// TestThreadListCopyLostToACrash: a reply counted without its list copy,
// as a crash between the two leaves it, is copied by the sweeper's task;
// a space from before lists is listed anew when read.
func TestThreadListCopyLostToACrash(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := writersCtx(t)
		svc := env.Sys.Community
		st := community.StoreOf(svc)
		st.SetListPageSize(2)
		a := veteran(t, env, profile.RoleLearner)
		var ths []*community.Thread
		for i := range 5 {
			ths = append(ths, newThread(t, env, a, "academie-lyon", fmt.Sprintf("Sujet avant la panne %d", i)))
		}
		env.DrainQueues(t, 30*time.Second)
		checkList(t, env, a, "academie-lyon")

		cur, err := st.Thread(ctx, ths[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CountReply(ctx, cur, 2, time.Now().UTC().Truncate(time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if th, _ := st.Thread(ctx, ths[0].ID); !slices.Contains(th.Pending, "list") {
			t.Fatalf("the reply left no list marker: %v", th.Pending)
		}
		community.ForgetFirstPage(svc, "academie-lyon")
		if page, _ := svc.Threads(ctx, a, "academie-lyon", ""); page.Threads[0].ID == ths[0].ID {
			t.Fatal("the list moved the thread up without a copy")
		}
		sweeper := queue.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, slog.New(slog.NewTextHandler(io.Discard, nil)), 0)
		if n, err := sweeper.SweepOnce(ctx); err != nil || n == 0 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		checkList(t, env, a, "academie-lyon")
		community.ForgetFirstPage(svc, "academie-lyon")
		if page, _ := svc.Threads(ctx, a, "academie-lyon", ""); page.Threads[0].ID != ths[0].ID || page.Threads[0].Posts != 2 {
			t.Fatalf("after the sweeper's task the list starts with %s", listed(page.Threads[0]))
		}
		if th, _ := st.Thread(ctx, ths[0].ID); len(th.Pending) != 0 || !th.PendingAt.IsZero() {
			t.Fatalf("the list task left its marker: %v %v", th.Pending, th.PendingAt)
		}

		// A space from before lists: listed anew at its first read.
		if err := st.UnlistSpace(ctx, "academie-lyon"); err != nil {
			t.Fatal(err)
		}
		checkList(t, env, a, "academie-lyon")
	})
}
