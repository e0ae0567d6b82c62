package community_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// note is the i-th test notification of a person (about post "p<i>").
func note(userID string, i int) community.Notification {
	return community.Notification{ID: fmt.Sprintf("p%04d|%s", i, userID), UserID: userID, Kind: "reply",
		PostID: fmt.Sprintf("p%04d", i), ThreadID: "t", Title: fmt.Sprintf("Fil %d", i), ByName: "Camille",
		CreatedAt: time.Now().UTC().Add(time.Duration(i) * time.Millisecond)}
}

// notify writes n as the notify task does, again when a burst of writers
// held a lock past its wait (as the task's retry would; on a loaded
// machine ten writers may each wait several times).
func notify(env *testenv.Env, n community.Notification) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := community.Notify(ctx, env.Sys.Community, n)
	for errkind.Retryable(err) && ctx.Err() == nil {
		err = community.Notify(ctx, env.Sys.Community, n)
	}
	return err
}

// storedNotes reads every page of a person as stored: seq → notification id.
func storedNotes(t *testing.T, env *testenv.Env, userID string, pages int) map[int]community.Notification {
	t.Helper()
	st := community.StoreOf(env.Sys.Community)
	out := map[int]community.Notification{}
	for k := range pages {
		doc, err := st.NotePage(testenv.Ctx(t), userID, k)
		if err != nil {
			t.Fatal(err)
		}
		for seq, n := range doc {
			if (seq-1)/community.NotePageSize != k {
				t.Errorf("page %d holds seq %d", k, seq)
			}
			out[seq] = n
		}
	}
	return out
}

// TestNotificationsAtOnceEachOnceNewestFirst: ten writers notify one
// person at once, 120 notifications across three pages, each also retried:
// each is on the pages exactly once, numbered 1 to 120, counted unread
// once, and the list shows the 50 newest, newest first, across the
// boundary of the last two pages, in 2 or 3 store commands whatever the
// number.
func TestNotificationsAtOnceEachOnceNewestFirst(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		svc, st := env.Sys.Community, community.StoreOf(env.Sys.Community)
		u := env.CreateUser(t, profile.RoleLearner)
		const writers, each = 10, 12
		fns := make([]func() error, writers)
		for w := range writers {
			fns[w] = func() error {
				for j := range each {
					n := note(u.ID, w*each+j)
					if err := notify(env, n); err != nil {
						return err
					}
					if err := notify(env, n); err != nil { // a retried task
						return err
					}
				}
				return nil
			}
		}
		atOnce(t, fns...)
		stored := storedNotes(t, env, u.ID, 4)
		if len(stored) != writers*each {
			t.Fatalf("pages hold %d notifications, want %d", len(stored), writers*each)
		}
		seen := map[string]int{}
		for seq := 1; seq <= writers*each; seq++ {
			n, ok := stored[seq]
			if !ok {
				t.Fatalf("no notification numbered %d", seq)
			}
			if prev, dup := seen[n.ID]; dup {
				t.Fatalf("%s numbered %d and %d", n.ID, prev, seq)
			}
			seen[n.ID] = seq
			if got, _, _ := st.NotePending(ctx, n.ID); got != seq {
				t.Errorf("%s is numbered %d, its page says %d", n.ID, got, seq)
			}
		}
		list, unread, err := svc.Notifications(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if unread != writers*each {
			t.Errorf("unread %d, want %d", unread, writers*each)
		}
		if len(list) != community.NotePageSize {
			t.Fatalf("the list shows %d notifications, want %d", len(list), community.NotePageSize)
		}
		for i, n := range list {
			if want := stored[writers*each-i]; n.ID != want.ID || n.Read {
				t.Fatalf("list[%d] = %s (read %v), want %s unread", i, n.ID, n.Read, want.ID)
			}
		}
		// Commands of the list: the head, the last page, and the one before
		// when the last is not full; never more, whatever the number.
		counted := func(want int) {
			t.Helper()
			cctx, counter := database.WithCounter(testenv.Ctx(t))
			if _, err := st.Notifications(cctx, u.ID); err != nil {
				t.Fatal(err)
			}
			if n := counter.Load(); n != int64(want) {
				t.Errorf("the list of %d notifications cost %d store commands, want %d", len(seen), n, want)
			}
		}
		counted(3) // 120: page 2 holds 20
		for i := writers * each; i < 150; i++ {
			if err := notify(env, note(u.ID, i)); err != nil {
				t.Fatal(err)
			}
			seen[note(u.ID, i).ID] = i + 1
		}
		counted(2) // 150: page 2 is full
		if err := notify(env, note(u.ID, 150)); err != nil {
			t.Fatal(err)
		}
		seen[note(u.ID, 150).ID] = 151
		counted(3) // 151
		v := env.CreateUser(t, profile.RoleLearner)
		if err := notify(env, note(v.ID, 1)); err != nil {
			t.Fatal(err)
		}
		cctx, counter := database.WithCounter(testenv.Ctx(t))
		if l, err := st.Notifications(cctx, v.ID); err != nil || len(l) != 1 || counter.Load() != 2 {
			t.Errorf("one notification: %d listed, %d store commands, %v; want 1 in 2", len(l), counter.Load(), err)
		}
	})
}

// TestNotificationPagesFollowChanges: marking read, an immediate mail,
// a crash before a copy and an author's erasure are reflected on the pages.
func TestNotificationPagesFollowChanges(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		svc, st := env.Sys.Community, community.StoreOf(env.Sys.Community)
		u := env.CreateUser(t, profile.RoleLearner)
		for i := range 60 {
			if err := notify(env, note(u.ID, i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.MarkRead(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := notify(env, note(u.ID, 60)); err != nil {
			t.Fatal(err)
		}
		list, unread, err := svc.Notifications(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if unread != 1 || len(list) != 50 || list[0].ID != note(u.ID, 60).ID || list[0].Read {
			t.Fatalf("after marking read and one more: unread %d, %d listed, first %+v", unread, len(list), list[0])
		}
		for _, n := range list[1:] {
			if !n.Read {
				t.Fatalf("%s unread after marking all read", n.ID)
			}
		}

		// A crash between the insert and the copy: the retried notify copies
		// it, and counts it once.
		n := note(u.ID, 61)
		if added, _, err := st.AddNotification(ctx, n); err != nil || !added {
			t.Fatalf("add: %v %v", added, err)
		}
		if list, _, _ := svc.Notifications(ctx, u.ID); list[0].ID == n.ID {
			t.Fatal("copied without a copy")
		}
		if err := notify(env, n); err != nil {
			t.Fatal(err)
		}
		if list, unread, _ := svc.Notifications(ctx, u.ID); list[0].ID != n.ID || unread != 2 {
			t.Fatalf("after the retry: first %s, unread %d; want %s, 2", list[0].ID, unread, n.ID)
		}

		// A change written without its copy (a crash): its marker stays, and
		// the marker's task copies it.
		if err := st.MarkMailed(ctx, n.ID); err != nil {
			t.Fatal(err)
		}
		if _, pending, _ := st.NotePending(ctx, n.ID); !slices.Contains(pending, "note-page") {
			t.Fatalf("no marker after a change: %v", pending)
		}
		if list, _, _ := svc.Notifications(ctx, u.ID); list[0].Digested {
			t.Fatal("the page changed without a copy")
		}
		task, err := community.NewNotePageTask(n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.HandleNotePage(ctx, task); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := svc.Notifications(ctx, u.ID); !list[0].Digested {
			t.Fatal("the task did not copy the change")
		}
		if _, pending, _ := st.NotePending(ctx, n.ID); len(pending) != 0 {
			t.Fatalf("marker left after the copy: %v", pending)
		}

		// Notifications from before pages are numbered by date at the first read.
		old := env.CreateUser(t, profile.RoleLearner)
		for i := range 70 {
			if err := st.InsertUnnumbered(ctx, note(old.ID, i)); err != nil {
				t.Fatal(err)
			}
		}
		list, _, err = svc.Notifications(ctx, old.ID)
		if err != nil || len(list) != 50 || list[0].ID != note(old.ID, 69).ID || list[49].ID != note(old.ID, 20).ID {
			t.Fatalf("old notifications: %d listed, %v", len(list), err)
		}
		if err := notify(env, note(old.ID, 70)); err != nil {
			t.Fatal(err)
		}
		if seq, _, _ := st.NotePending(ctx, note(old.ID, 70).ID); seq != 71 {
			t.Fatalf("the next notification after 70 old ones is numbered %d", seq)
		}

		// An author's erasure renames them on others' pages.
		asker, helper := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
		if _, _, err := svc.CreateThread(ctx, asker, "academie-lyon", community.NewThread{Title: "Une question",
			Body: "Des avis, @" + helper.Handle + " ?"}); err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(t, 20*time.Second, "the mention", func() bool {
			l, _, _ := svc.Notifications(ctx, helper.ID)
			return len(l) == 1 && l[0].ByName == asker.Shown()
		})
		env.DrainQueues(t, 60*time.Second)
		if err := svc.DeleteFor(ctx, asker.ID); err != nil {
			t.Fatal(err)
		}
		if l, _, _ := svc.Notifications(ctx, helper.ID); len(l) != 1 || l[0].ByName != profile.DeletedName {
			t.Fatalf("after the author's erasure: %+v", l)
		}
		// The erased person's own pages go with their notifications.
		if err := svc.DeleteFor(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if l, _, _ := svc.Notifications(ctx, u.ID); len(l) != 0 {
			t.Fatalf("an erased person's list shows %d notifications", len(l))
		}
	})
}
