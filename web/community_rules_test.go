package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// postWith posts a form with a CSRF token read once, for many requests in a row.
func postWith(t *testing.T, env *testenv.Env, c *http.Client, token, path string, values url.Values) (int, string) {
	t.Helper()
	values.Set("_csrf", token)
	resp, err := c.PostForm(env.URL+path, values)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// TestPostingNeedsVerifiedEmail: an account whose address is not verified
// reads but neither posts, previews nor uploads an image: 403 with a French message
// on the pages, 403 email_unverified on the API. A verified account
// previews at most 60 times a minute.
func TestPostingNeedsVerifiedEmail(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		u, err := env.Sys.Profile.Register(ctx, profile.RegisterInput{Email: "non-verifie@test.ardoise.fr", Password: testenv.TestPassword,
			Name: "Camille Martin", Kind: string(profile.KindTeacher), Territory: profile.Territory{Academie: "lyon", Departement: "69"}})
		if err != nil {
			t.Fatal(err)
		}
		c := env.LoggedIn(t, u)
		if s := status(t, env, c, "/communaute/academie-lyon"); s != http.StatusOK {
			t.Fatalf("an unverified teacher cannot read their académie's space: %d", s)
		}
		for _, action := range []string{"apercu", "publier"} {
			resp, body := env.PostForm(t, c, "/communaute/academie-lyon/fils", url.Values{"title": {"Une question de test"}, "body": {"Bonjour **à tous**"}, "action": {action}})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Confirmez d&#39;abord votre adresse") || strings.Contains(body, "<strong>à tous</strong>") {
				t.Fatalf("%s by an unverified account: %d", action, resp.StatusCode)
			}
		}
		api := apiClientFor(t, env, u)
		st, body, raw := api.call("POST", "/api/v1/spaces/academie-lyon/threads", map[string]any{"title": "Une question de test", "body": "Bonjour"})
		if st != http.StatusForbidden || body["error"].(map[string]any)["code"] != "email_unverified" {
			t.Fatalf("API thread by an unverified account: %d %s", st, raw)
		}
		if st, raw := uploadImage(t, env, api.token, onePixelPNG); st != http.StatusForbidden || !strings.Contains(raw, `"email_unverified"`) {
			t.Fatalf("image upload by an unverified account: %d %s", st, raw)
		}
		if threads, err := env.Sys.Community.ThreadsBy(ctx, u.ID); err != nil || len(threads) != 0 {
			t.Fatalf("%d threads stored for an unverified account (%v)", len(threads), err)
		}

		// Previews: 60 a minute per account, then 429.
		v := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
		token := env.CSRF(t, v, "/")
		for i := 1; i <= community.MaxPreviewsPerMinute; i++ {
			if st, _ := postWith(t, env, v, token, "/communaute/academie-lyon/fils", url.Values{"body": {fmt.Sprintf("Aperçu %d", i)}, "action": {"apercu"}}); st != http.StatusOK {
				t.Fatalf("preview %d: %d", i, st)
			}
		}
		if st, _ := postWith(t, env, v, token, "/communaute/academie-lyon/fils", url.Values{"body": {"Un aperçu de trop"}, "action": {"apercu"}}); st != http.StatusTooManyRequests {
			t.Fatalf("preview 61 in a minute: %d", st)
		}
	})
}

// TestPostEditRules: edits are rate-limited like posts, refused in a locked
// thread and while silenced (a moderator still edits in a locked thread),
// and a post keeps only its last 20 earlier versions.
func TestPostEditRules(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		author, admin := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleAdmin)
		trusted(t, env, author)
		api, adminAPI := apiClientFor(t, env, author), apiClientFor(t, env, admin)
		ca, cadm := env.LoggedIn(t, author), env.LoggedIn(t, admin)
		lift := func(keys ...string) {
			for _, k := range keys {
				env.Sys.Limiter.Reset(ctx, k)
			}
		}
		newThread := func(space, title string) string {
			lift("post-gap:"+author.ID, "post-hour:"+author.ID)
			st, body, raw := api.call("POST", "/api/v1/spaces/"+space+"/threads", map[string]any{"title": title, "body": "version 0 of " + title})
			if st != http.StatusCreated {
				t.Fatalf("new thread: %d %s", st, raw)
			}
			return body["id"].(string) + ".000001"
		}
		edit := func(a apiClient, post, text string) (int, string) {
			st, _, raw := a.call("PATCH", "/api/v1/posts/"+post, map[string]any{"body": text})
			return st, raw
		}
		locked, silenced, long := newThread("academie-lyon", "Un fil qui sera verrouillé"), newThread("academie-lyon", "Un fil où je serai réduit au silence"), newThread("parents-parents", "Un message souvent modifié")

		// Rate-limited like posts: a second edit within 10 s waits.
		if st, raw := edit(api, locked, "version 1"); st != http.StatusOK {
			t.Fatalf("edit: %d %s", st, raw)
		}
		if st, raw := edit(api, locked, "version 2"); st != http.StatusTooManyRequests || !strings.Contains(raw, `"rate_limited"`) {
			t.Fatalf("a second edit at once: %d %s", st, raw)
		}

		// A locked thread: its author may not edit, a moderator may.
		thread := community.ThreadOf(locked)
		st, body, raw := adminAPI.call("POST", "/api/v1/threads/"+thread+"/posts", map[string]any{"body": "Je ferme ce fil."})
		if st != http.StatusCreated {
			t.Fatalf("admin reply: %d %s", st, raw)
		}
		adminPost := body["id"].(string)
		if resp, _ := env.PostForm(t, cadm, "/communaute/fils/"+thread+"/moderation", url.Values{"action": {"lock"}, "motif": {"Discussion close"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("lock: %d", resp.StatusCode)
		}
		lift("edit-gap:" + author.ID)
		if st, raw := edit(api, locked, "version 3"); st != http.StatusUnprocessableEntity || !strings.Contains(raw, `"thread_locked"`) {
			t.Fatalf("an edit in a locked thread: %d %s", st, raw)
		}
		if resp, body := env.PostForm(t, ca, "/communaute/messages/"+locked+"/modifier", url.Values{"body": {"version 3"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Ce fil est verrouillé") {
			t.Fatalf("the edit form in a locked thread: %d", resp.StatusCode)
		}
		if st, raw := edit(adminAPI, adminPost, "Je ferme ce fil, merci à tous."); st != http.StatusOK {
			t.Fatalf("a moderator's edit in a locked thread: %d %s", st, raw)
		}

		// Silenced in the space: no edit either.
		if resp, _ := env.PostForm(t, cadm, "/communaute/academie-lyon/silence", url.Values{"membre": {author.ID}, "jours": {"1"}, "motif": {"Propos répétés"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("silence: %d", resp.StatusCode)
		}
		lift("edit-gap:" + author.ID)
		if st, raw := edit(api, silenced, "version 1"); st != http.StatusUnprocessableEntity || !strings.Contains(raw, `"silenced"`) {
			t.Fatalf("an edit while silenced: %d %s", st, raw)
		}

		// 25 edits keep the last 20 earlier versions.
		for i := 1; i <= 25; i++ {
			lift("edit-gap:"+author.ID, "edit-hour:"+author.ID)
			if st, raw := edit(api, long, fmt.Sprintf("version %d", i)); st != http.StatusOK {
				t.Fatalf("edit %d: %d %s", i, st, raw)
			}
		}
		p, _, err := env.Sys.Community.Post(ctx, admin, long)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Edits) != community.MaxEdits || p.Edits[0].Source != "version 5" || p.Edits[19].Source != "version 24" || p.Source != "version 25" {
			t.Fatalf("after 25 edits: %d earlier versions, first %q, last %q, now %q", len(p.Edits), p.Edits[0].Source, p.Edits[len(p.Edits)-1].Source, p.Source)
		}
	})
}

// TestAcceptedAnswerCountsState: switching the accepted answer A→B→A→B
// leaves A's author with no accepted answer and B's with one.
func TestAcceptedAnswerCountsState(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		asker, ua, ub := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		ck := env.LoggedIn(t, asker)
		resp, _ := env.PostForm(t, ck, "/communaute/academie-lyon/fils", url.Values{"title": {"Quel outil pour les QCM ?"}, "body": {"Vos conseils ?"}, "question": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("question: %d", resp.StatusCode)
		}
		thread := strings.TrimPrefix(resp.Header.Get("Location"), "/communaute/fils/")
		answer := map[*profile.User]string{}
		for _, u := range []*profile.User{ua, ub} {
			st, body, raw := apiClientFor(t, env, u).call("POST", "/api/v1/threads/"+thread+"/posts", map[string]any{"body": "Ma réponse, de " + u.Handle})
			if st != http.StatusCreated {
				t.Fatalf("answer: %d %s", st, raw)
			}
			answer[u] = body["id"].(string)
		}
		for _, u := range []*profile.User{ua, ub, ua, ub, ub} {
			if resp, _ := env.PostForm(t, ck, "/communaute/messages/"+answer[u]+"/accepter", nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("accept: %d", resp.StatusCode)
			}
		}
		ma, _ := env.Sys.Community.Member(ctx, ua.ID)
		mb, _ := env.Sys.Community.Member(ctx, ub.ID)
		if ma.Accepted != 0 || mb.Accepted != 1 {
			t.Fatalf("accepted answers after A→B→A→B→B: A %d, B %d (want 0 and 1)", ma.Accepted, mb.Accepted)
		}
		for u, want := range map[*profile.User]string{ua: "0", ub: "1"} {
			_, body := get(t, env, ck, "/membres/"+u.Handle)
			i := strings.Index(body, "Réponses acceptées")
			if i < 0 || !strings.HasPrefix(body[i:], "Réponses acceptées</dt><dd>"+want+"</dd>") {
				t.Fatalf("%s's card does not show %s accepted answer(s)", u.Handle, want)
			}
		}
	})
}

// TestErasureScrubsCommunity: the export covers what the person wrote and
// did (posts, thread titles, reports, reactions, subscriptions,
// notifications); after erasure, the notifications others received, the
// moderators' report queue and a digest sent later no longer name them.
func TestErasureScrubsCommunity(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		const shown = "Zorglub Effaçable"
		x, r, admin := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleAdmin)
		cx, cr, cadm := env.LoggedIn(t, x), env.LoggedIn(t, r), env.LoggedIn(t, admin)
		if resp, body := env.PostForm(t, cx, "/profil/modifier", url.Values{"name": {x.Name}, "displayName": {shown}, "handle": {x.Handle},
			"territory.academie": {"lyon"}, "territory.departement": {"69"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("display name: %d %s", resp.StatusCode, body)
		}
		// The reader wants no mail yet: the notifications wait for a later digest.
		if resp, _ := env.PostForm(t, cr, "/profil/courriels-communaute", url.Values{"digest": {"none"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("digest preference: %d", resp.StatusCode)
		}
		resp, _ := env.PostForm(t, cr, "/communaute/academie-lyon/fils", url.Values{"title": {"Le fil du lecteur"}, "body": {"Premier message du lecteur."}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reader's thread: %d", resp.StatusCode)
		}
		rThread := strings.TrimPrefix(resp.Header.Get("Location"), "/communaute/fils/")
		rPost := rThread + ".000001"
		steps := []struct {
			path string
			form url.Values
		}{
			{"/communaute/fils/" + rThread + "/reponses", url.Values{"body": {"Bonjour @" + r.Handle + ", voici mon avis."}}},
			{"/communaute/messages/" + rPost + "/reaction", url.Values{"kind": {"merci"}, "on": {"1"}}},
			{"/communaute/messages/" + rPost + "/signaler", url.Values{"motif": {"Un motif de signalement précis"}}},
			{"/communaute/abonnement", url.Values{"type": {"space"}, "id": {"academie-lyon"}, "suivre": {"1"}}},
			{"/communaute/academie-lyon/fils", url.Values{"title": {"Le titre du fil de X"}, "body": {"Mon propre fil."}}},
		}
		var xThread string
		for _, s := range steps {
			env.Sys.Limiter.Reset(ctx, "post-gap:"+x.ID)
			resp, body := env.PostForm(t, cx, s.path, s.form)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", s.path, resp.StatusCode, body)
			}
			xThread = strings.TrimPrefix(resp.Header.Get("Location"), "/communaute/fils/")
		}
		env.Sys.Limiter.Reset(ctx, "post-gap:"+r.ID)
		if resp, _ := env.PostForm(t, cr, "/communaute/fils/"+xThread+"/reponses", url.Values{"body": {"Merci @" + x.Handle + " !"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reader's reply: %d", resp.StatusCode)
		}
		testenv.Eventually(t, 20*time.Second, "both mentions", func() bool {
			mentioned := func(userID, threadID string) bool {
				ns, _, _ := env.Sys.Community.Notifications(ctx, userID)
				for _, n := range ns {
					if n.Kind == "mention" && n.ThreadID == threadID {
						return true
					}
				}
				return false
			}
			return mentioned(r.ID, rThread) && mentioned(x.ID, xThread)
		})

		// The export holds all of it.
		_, raw := get(t, env, cx, "/profil/donnees")
		var exp struct {
			Sections struct {
				Community community.PersonalData `json:"community"`
			} `json:"sections"`
		}
		if err := json.Unmarshal([]byte(raw), &exp); err != nil {
			t.Fatal(err)
		}
		cd := exp.Sections.Community
		has := func(what string, ok bool) {
			if !ok {
				t.Errorf("the export lacks %s", what)
			}
		}
		has("the posts' Markdown", len(cd.Posts) == 2 && strings.Contains(cd.Posts[0].Source, "voici mon avis"))
		has("the thread titles", len(cd.ThreadsStarted) == 1 && cd.ThreadsStarted[0].Title == "Le titre du fil de X")
		has("the reports", len(cd.Flags) == 1 && cd.Flags[0].Reason == "Un motif de signalement précis")
		has("the reactions", len(cd.Reactions) == 1 && cd.Reactions[0].Kind == "merci" && cd.Reactions[0].PostID == rPost)
		has("the subscriptions", len(cd.Subscriptions) >= 1)
		mentioned := false
		for _, n := range cd.Notifications {
			mentioned = mentioned || n.Kind == "mention" && n.ThreadID == xThread
		}
		has("the notifications", mentioned)

		// Erasure.
		if resp, _ := env.PostForm(t, cx, "/profil/supprimer", url.Values{"password": {testenv.TestPassword}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("erasure: %d", resp.StatusCode)
		}
		if _, body := get(t, env, cr, "/communaute/notifications"); strings.Contains(body, "Zorglub") || !strings.Contains(body, profile.DeletedName) {
			t.Error("the reader's notifications still name the erased person")
		}
		if _, body := get(t, env, cadm, "/communaute/academie-lyon/signalements"); strings.Contains(body, "Zorglub") || !strings.Contains(body, "Un motif de signalement précis") {
			t.Error("the report queue still names the erased person (or lost the report)")
		}
		if resp, _ := env.PostForm(t, cr, "/profil/courriels-communaute", url.Values{"digest": {"daily"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("digest preference: %d", resp.StatusCode)
		}
		if _, err := env.Sys.Community.SendDigests(ctx, community.DigestDaily, time.Now().UTC().Truncate(community.Day)); err != nil {
			t.Fatal(err)
		}
		msgs, _ := env.Sys.Mailer.To(ctx, r.Email)
		digests := 0
		for _, m := range msgs {
			if strings.Contains(m.Body, "Zorglub") {
				t.Errorf("a mail sent after the erasure names the person: %s", m.Body)
			}
			if strings.Contains(m.Body, profile.DeletedName) {
				digests++
			}
		}
		if digests != 1 {
			t.Fatalf("%d digests with %q among %d mails", digests, profile.DeletedName, len(msgs))
		}
	})
}
