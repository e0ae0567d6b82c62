package community_test

import (
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

func TestMentionsSubscriptionsAndDigests(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Community
		asker, helper := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
		// A teacher of Paris cannot see Lyon's space: mentioning them notifies nobody.
		paris := env.CreateUserIn(t, profile.RoleLearner, profile.Territory{Academie: "paris", Departement: "75"})
		if paris.SpaceAcademie != "paris" {
			t.Fatalf("a Paris teacher admitted to %q's spaces", paris.SpaceAcademie)
		}
		watcher := veteran(t, env, profile.RoleLearner)
		if err := svc.SetSubscribed(ctx, watcher, "space", "academie-lyon", true); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetDigest(ctx, helper.ID, community.DigestImmediate); err != nil {
			t.Fatal(err)
		}
		th, _, err := svc.CreateThread(ctx, asker, "academie-lyon", community.NewThread{Title: "Qui a testé l'ENT ?",
			Body: "Des avis, @" + helper.Handle + " et @" + paris.Handle + " ?"})
		if err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(t, 20*time.Second, "mention and space notifications", func() bool {
			h, _, _ := svc.Notifications(ctx, helper.ID)
			w, _, _ := svc.Notifications(ctx, watcher.ID)
			return len(h) == 1 && h[0].Kind == "mention" && len(w) == 1 && w[0].Kind == "thread"
		})
		if n, _, _ := svc.Notifications(ctx, paris.ID); len(n) != 0 {
			t.Fatalf("someone who cannot see the space was notified: %+v", n)
		}
		testenv.Eventually(t, 20*time.Second, "the immediate mail", func() bool {
			msgs, _ := env.Sys.Mailer.To(ctx, helper.Email)
			n, _, _ := svc.Notifications(ctx, helper.ID)
			return len(msgs) == 1 && strings.Contains(msgs[0].Body, "/communaute/desabonnement?u=") && len(n) == 1 && n[0].Digested
		})
		// The asker follows their thread: a reply notifies them.
		if _, err := svc.Reply(ctx, helper, th.ID, "Oui, très pratique."); err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(t, 20*time.Second, "reply notification", func() bool {
			n, unread, _ := svc.Notifications(ctx, asker.ID)
			return len(n) == 1 && n[0].Kind == "reply" && unread == 1
		})
		// A daily digest groups what was not emailed yet, once per period.
		period := time.Now().UTC().Truncate(community.Day)
		// The worker's scheduled digest may run first: either way, one
		// digest each, grouping what was not emailed yet.
		if _, err := svc.SendDigests(ctx, community.DigestDaily, period); err != nil {
			t.Fatal(err)
		}
		msgs, _ := env.Sys.Mailer.To(ctx, watcher.Email)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "Qui a testé l'ENT ?") || !strings.Contains(msgs[0].Body, "nouvelle discussion de") {
			t.Fatalf("watcher's digest: %+v", msgs)
		}
		if msgs, _ := env.Sys.Mailer.To(ctx, asker.Email); len(msgs) != 1 || !strings.Contains(msgs[0].Body, "réponse de") {
			t.Fatalf("asker's digest: %+v", msgs)
		}
		if sent, _ := svc.SendDigests(ctx, community.DigestDaily, period); sent != 0 {
			t.Fatalf("a second run sent %d digests", sent)
		}
		if err := svc.MarkRead(ctx, asker.ID); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := svc.Notifications(ctx, asker.ID); unread != 0 {
			t.Fatalf("unread after marking read: %d", unread)
		}
		// The link in the mail stops the mails, without login; a forged one does nothing.
		link := svc.UnsubscribeURL(watcher.ID)
		sig := link[strings.Index(link, "&s=")+3:]
		if err := svc.Unsubscribe(ctx, watcher.ID, sig+"x"); err == nil {
			t.Fatal("a forged unsubscribe link worked")
		}
		if err := svc.Unsubscribe(ctx, watcher.ID, sig); err != nil {
			t.Fatal(err)
		}
		if m, _ := svc.Member(ctx, watcher.ID); m.Digest != community.DigestNone {
			t.Fatalf("digest after unsubscribing: %s", m.Digest)
		}
	})
}
