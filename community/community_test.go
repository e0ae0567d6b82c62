package community_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// veteran makes an account older than a day with enough posts to be trusted.
func veteran(t *testing.T, env *testenv.Env, r profile.Role) *profile.User {
	t.Helper()
	u := env.CreateUser(t, r)
	env.MakeTrusted(t, u, 48*time.Hour, 10)
	return u
}

func TestSpacesThreadsAndModeration(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Community
		asker, helper := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
		admin := env.CreateUser(t, profile.RoleAdmin)

		// The académie's space is for its teachers; others do not learn it exists.
		lyon := "academie-lyon"
		parent := &profile.User{ID: "p1", Kind: profile.KindParent, Roles: []profile.Role{profile.RoleLearner}, EmailVerified: true, CreatedAt: time.Now()}
		if _, err := svc.Threads(ctx, parent, lyon, ""); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("a parent opened the académie's space: %v", err)
		}
		spaces, err := svc.Spaces(ctx, asker)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, sp := range spaces {
			ids[sp.ID] = true
		}
		if !ids[lyon] || !ids["departement-69"] || !ids["parents-parents"] || ids["academie-paris"] {
			t.Fatalf("spaces of a Lyon teacher: %v", ids)
		}

		th, first, err := svc.CreateThread(ctx, asker, lyon, community.NewThread{Title: "Comment partager un document ?",
			Body: "Bonjour,\nje cherche à **partager** un document avec mes élèves.", Question: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(first.HTML, "<strong>partager</strong>") || !strings.Contains(first.HTML, "<br>") {
			t.Fatalf("first post HTML: %s", first.HTML)
		}
		reply, err := svc.Reply(ctx, helper, th.ID, "Par l'ENT : voir [la documentation](https://eduscol.education.fr).")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(reply.HTML, `rel="nofollow ugc noopener"`) || reply.Seq != 2 {
			t.Fatalf("reply: %+v", reply)
		}
		var refused *errkind.RefusedError
		if _, err := svc.Reply(ctx, helper, th.ID, "Par  l'ENT : voir [la documentation](https://eduscol.education.fr)."); !errors.As(err, &refused) || refused.Code != community.RefusedDuplicate {
			t.Fatalf("the same text posted twice: %v", err)
		}
		var limited *errkind.RateLimitedError
		if _, err := svc.Reply(ctx, helper, th.ID, "Un autre message tout de suite."); !errors.As(err, &limited) {
			t.Fatalf("two posts within 10 s: %v", err)
		}
		if _, err := svc.Accept(ctx, helper, reply.ID); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("someone else accepted an answer: %v", err)
		}
		if th, err = svc.Accept(ctx, asker, reply.ID); err != nil || th.Accepted != reply.ID {
			t.Fatalf("accept: %+v %v", th, err)
		}
		if _, err := svc.Edit(ctx, helper, reply.ID, "Par l'ENT, dans l'espace documents."); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Thread(ctx, asker, th.ID, 0)
		if err != nil || len(page.Posts) != 2 || page.Posts[1].Edits != nil || !strings.Contains(page.Posts[1].HTML, "espace documents") {
			t.Fatalf("thread for a member: %+v %v", page, err)
		}
		if page, _ := svc.Thread(ctx, admin, th.ID, 0); len(page.Posts[1].Edits) != 1 {
			t.Fatal("moderators do not see earlier versions")
		}
		found, err := svc.Search(ctx, asker, "Élèves partager", "", "")
		if err != nil || len(found.Results) != 1 || found.Results[0].ID != first.ID {
			t.Fatalf("search: %+v %v", found, err)
		}

		// Flags and moderation.
		if err := svc.FlagPost(ctx, asker, reply.ID, "hors sujet"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Flags(ctx, asker, lyon); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("a member read the review queue: %v", err)
		}
		flags, err := svc.Flags(ctx, admin, lyon)
		if err != nil || len(flags) != 1 || flags[0].Post.ID != reply.ID {
			t.Fatalf("flags: %+v %v", flags, err)
		}
		if err := svc.SetHidden(ctx, admin, reply.ID, true, "Message hors charte"); err != nil {
			t.Fatal(err)
		}
		if flags, _ := svc.Flags(ctx, admin, lyon); len(flags) != 0 {
			t.Fatal("flag still open after hiding")
		}
		if err := svc.ModerateThread(ctx, admin, th.ID, community.ActLock, "", "Question résolue"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reply(ctx, helper, th.ID, "Encore un mot."); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("reply to a locked thread: %v", err)
		}
		if err := svc.Silence(ctx, admin, lyon, helper.ID, 24*time.Hour, "Propos répétés"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.CreateThread(ctx, helper, lyon, community.NewThread{Title: "Un autre sujet", Body: "Texte nouveau."}); !errors.As(err, &refused) || refused.Code != community.RefusedSilenced {
			t.Fatalf("silenced member posted: %v", err)
		}
		log, err := svc.ModerationLog(ctx, admin, "", 10)
		if err != nil || len(log) != 3 {
			t.Fatalf("moderation log: %+v %v", log, err)
		}
		if err := svc.Delete(ctx, asker, first.ID); err != nil {
			t.Fatal(err)
		}
		if p, _, _ := svc.Post(ctx, asker, first.ID); !p.Deleted || p.Source != "" || p.HTML != "" {
			t.Fatalf("deleted post keeps its text: %+v", p)
		}
	})
}

func TestModuleSpaceIsForItsLearners(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	owner := courses.Author{ID: "formatrice-x"}
	src := courses.Source{Files: map[string][]byte{
		"module.md":   []byte("---\ntitle: Module communauté\nsummary: S.\naudience: teachers\ncompetences: [\"4.2\"]\nduration_minutes: 10\ncompletion: {min_active_share: 0, min_quiz_score: 0}\n---\nB.\n"),
		"01-intro.md": []byte("---\ntitle: Intro\n---\nTexte.\n"),
	}}
	if _, _, err := env.Sys.Courses.SaveDraft(ctx, owner, "module-commu", src); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Sys.Courses.Publish(ctx, owner, "module-commu", "v1"); err != nil {
		t.Fatal(err)
	}
	learner, outsider := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
	if _, err := env.Sys.Courses.Enrol(ctx, learner.ID, "module-commu"); err != nil {
		t.Fatal(err)
	}
	svc := env.Sys.Community
	if _, _, err := svc.CreateThread(ctx, learner, "module-module-commu", community.NewThread{Title: "Une question sur le module", Body: "Bonjour à tous."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Threads(ctx, outsider, "module-module-commu", ""); !errors.Is(err, errkind.ErrNotFound) {
		t.Fatalf("an outsider reads the module's space: %v", err)
	}
	newbie := env.CreateUser(t, profile.RoleLearner)
	if _, err := env.Sys.Courses.Enrol(ctx, newbie.ID, "module-commu"); err != nil {
		t.Fatal(err)
	}
	var refused *errkind.RefusedError
	_, _, err := svc.CreateThread(ctx, newbie, "module-module-commu", community.NewThread{Title: "Mes liens utiles",
		Body: "https://a.fr https://b.fr https://c.fr"})
	if !errors.As(err, &refused) || refused.Code != community.RefusedLinks {
		t.Fatalf("a new account posted three links: %v", err)
	}
	_, _, err = svc.CreateThread(ctx, newbie, "module-module-commu", community.NewThread{Title: "Mon image", Body: "![x](/communaute/images/a.png)"})
	if !errors.As(err, &refused) || refused.Code != community.RefusedImages {
		t.Fatalf("a new account posted an image: %v", err)
	}
}

func TestReactionsCountOncePerPerson(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Community
		a, b := veteran(t, env, profile.RoleLearner), veteran(t, env, profile.RoleLearner)
		_, p, err := svc.CreateThread(ctx, a, "parents-parents", community.NewThread{Title: "Merci à tous", Body: "Un message."})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := svc.React(ctx, b, p.ID, "merci", true); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.React(ctx, a, p.ID, "merci", true); err != nil {
			t.Fatal(err)
		}
		if err := svc.React(ctx, a, p.ID, "coeur", true); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("a reaction outside the set: %v", err)
		}
		got, _, _ := svc.Post(ctx, a, p.ID)
		if got.Reactions["merci"] != 2 {
			t.Fatalf("reactions: %v", got.Reactions)
		}
		if err := svc.React(ctx, b, p.ID, "merci", false); err != nil {
			t.Fatal(err)
		}
		if err := svc.React(ctx, b, p.ID, "merci", false); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := svc.Post(ctx, a, p.ID); got.Reactions["merci"] != 1 {
			t.Fatalf("after removing: %v", got.Reactions)
		}
	})
}

func TestMembersOnlyTheme(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	svc := env.Sys.Community
	trainer, teacher := env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleLearner)
	if _, err := svc.CreateTheme(ctx, teacher, "Mon thème", "", false); !errors.Is(err, errkind.ErrForbidden) {
		t.Fatalf("a learner created a theme: %v", err)
	}
	sp, err := svc.CreateTheme(ctx, trainer, "Atelier réservé", "Pour le groupe de travail.", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Threads(ctx, teacher, sp.ID, ""); !errors.Is(err, errkind.ErrNotFound) {
		t.Fatalf("an outsider reads a members-only theme: %v", err)
	}
	if err := svc.AddMember(ctx, teacher, sp.ID, teacher.Email); !errors.Is(err, errkind.ErrNotFound) {
		t.Fatalf("an outsider added a member: %v", err)
	}
	if err := svc.AddMember(ctx, trainer, sp.ID, teacher.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Threads(ctx, teacher, sp.ID, ""); err != nil {
		t.Fatalf("a member cannot read the theme: %v", err)
	}
}
