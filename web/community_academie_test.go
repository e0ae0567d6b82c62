package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// moveTo edits a person's profile territory through the profile form.
func moveTo(t *testing.T, env *testenv.Env, c *http.Client, u *profile.User, academie, departement string) {
	t.Helper()
	resp, body := env.PostForm(t, c, "/profil/modifier", url.Values{"name": {u.Name}, "handle": {u.Handle},
		"territory.academie": {academie}, "territory.departement": {departement}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile edit to %s/%s: %d %s", academie, departement, resp.StatusCode, body)
	}
}

// status GETs path as c and returns the status.
func status(t *testing.T, env *testenv.Env, c *http.Client, path string) int {
	t.Helper()
	resp, _ := get(t, env, c, path)
	return resp.StatusCode
}

// makeModerator has an admin appoint u moderator of a territory space,
// through the space's moderation page; a non-admin may not.
func makeModerator(t *testing.T, env *testenv.Env, spaceID string, u *profile.User) {
	t.Helper()
	form := url.Values{"email": {u.Email}, "action": {"ajouter"}}
	if resp, _ := env.PostForm(t, env.LoggedIn(t, u), "/communaute/academie-lyon/moderateurs", form); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a teacher appointed themself moderator: %d", resp.StatusCode)
	}
	admin := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	if resp, body := env.PostForm(t, admin, "/communaute/parents-parents/moderateurs", form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Seuls les espaces") {
		t.Fatalf("a moderator appointed to the parents' space: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, admin, "/communaute/"+spaceID+"/moderateurs", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("appoint a moderator: %d", resp.StatusCode)
	}
	if _, body := get(t, env, admin, "/communaute/"+spaceID+"/signalements?fait=moderateur"); !strings.Contains(body, "Modérateurs mis à jour") {
		t.Fatal("no notice after appointing a moderator")
	}
}

// TestAcademieChangeNeedsApproval: a Lyon teacher who edits their
// territory to Paris keeps Lyon's members-only spaces and does not see
// Paris's until a Paris moderator approves; then they see Paris and no
// longer Lyon, and the thread they followed in Lyon notifies them of
// nothing more (no reply, no mention, no digest entry). A refused request keeps the old
// access. Only the académie's moderators and admins see and decide requests.
func TestAcademieChangeNeedsApproval(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		mover, stayer, author := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		parisMod, refused := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		makeModerator(t, env, "academie-paris", parisMod)
		cm, cs, ca, cp, cr := env.LoggedIn(t, mover), env.LoggedIn(t, stayer), env.LoggedIn(t, author), env.LoggedIn(t, parisMod), env.LoggedIn(t, refused)
		// Appointments survive a start: the seed keeps académie spaces' moderators.
		if err := env.Sys.Community.Seed(ctx); err != nil {
			t.Fatal(err)
		}

		// The mover wants no digest until after the move, from before they
		// follow anything: the worker's scheduled daily digest (enqueued when
		// it starts, late under load) would otherwise legitimately mail them,
		// while still in Lyon and on the default daily digest, of the thread
		// (the first post's notify task may run after the follow). That mail
		// is today's digest: it is not the post-move digest this test checks,
		// and the test's own SendDigests for today would then send nothing.
		// With "none" first, every digest that can mention the mover's
		// notifications is sent after the move.
		if resp, _ := env.PostForm(t, cm, "/profil/courriels-communaute", url.Values{"digest": {"none"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("digest preference: %d", resp.StatusCode)
		}
		// A Lyon thread the mover and the stayer follow.
		resp, _ := env.PostForm(t, ca, "/communaute/academie-lyon/fils", url.Values{"title": {"Entre collègues lyonnais"}, "body": {"Qui vient à la réunion ?"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("new thread: %d", resp.StatusCode)
		}
		threadID := strings.TrimPrefix(resp.Header.Get("Location"), "/communaute/fils/")
		for _, c := range []*http.Client{cm, cs} {
			if resp, _ := env.PostForm(t, c, "/communaute/abonnement", url.Values{"type": {"thread"}, "id": {threadID}, "suivre": {"1"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("follow: %d", resp.StatusCode)
			}
		}
		// A reply while the mover still belongs to Lyon: a notification that
		// waits for a digest (no mail for now).
		env.Sys.Limiter.Reset(ctx, "post-gap:"+author.ID)
		if resp, _ := env.PostForm(t, ca, "/communaute/fils/"+threadID+"/reponses", url.Values{"body": {"Ce sera salle 12."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first reply: %d", resp.StatusCode)
		}
		testenv.Eventually(t, 20*time.Second, "the mover's notification", func() bool {
			n, _, _ := env.Sys.Community.Notifications(ctx, mover.ID)
			return len(n) > 0 && n[0].PostID == threadID+".000002"
		})

		// The move is only a request: Lyon stays open, Paris stays closed.
		moveTo(t, env, cm, mover, "paris", "75")
		if s := status(t, env, cm, "/communaute/academie-paris"); s != http.StatusNotFound {
			t.Fatalf("Paris's space before approval: %d", s)
		}
		if s := status(t, env, cm, "/communaute/academie-lyon"); s != http.StatusOK {
			t.Fatalf("Lyon's space before approval: %d", s)
		}
		if _, body := get(t, env, cm, "/communaute"); !strings.Contains(body, `id="academie-pending"`) || !strings.Contains(body, "Paris") {
			t.Fatal("the home page does not say the move waits for approval")
		}

		// Who sees the requests: Paris's moderator and admins; a Lyon
		// teacher does not know Paris's space, and a member who does not
		// moderate a space is refused its requests.
		if s := status(t, env, cs, "/communaute/academie-paris/demandes"); s != http.StatusNotFound {
			t.Fatalf("a Lyon teacher read Paris's requests: %d", s)
		}
		if resp, _ := env.PostForm(t, cs, "/communaute/academie-paris/demandes/"+mover.ID, url.Values{"decision": {"accepter"}}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("a Lyon teacher approved a Paris request: %d", resp.StatusCode)
		}
		if s := status(t, env, cp, "/communaute/academie-lyon/demandes"); s != http.StatusForbidden {
			t.Fatalf("Paris's moderator (a Lyon teacher) read Lyon's requests: %d", s)
		}
		resp, body := get(t, env, cp, "/communaute/academie-paris/demandes")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, mover.Name) || !strings.Contains(body, "Lyon") {
			t.Fatalf("Paris's moderator's requests: %d", resp.StatusCode)
		}
		if resp, _ := env.PostForm(t, cp, "/communaute/academie-paris/demandes/"+mover.ID, url.Values{"decision": {"peut-etre"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("an unknown decision: %d", resp.StatusCode)
		}
		if resp, _ := env.PostForm(t, cp, "/communaute/academie-paris/demandes/"+author.ID, url.Values{"decision": {"accepter"}}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("approving someone who asked nothing: %d", resp.StatusCode)
		}
		form := url.Values{"decision": {"accepter"}}
		if resp, err := cp.PostForm(env.URL+"/communaute/academie-paris/demandes/"+mover.ID, form); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an approval without its CSRF token: %v %v", err, resp.StatusCode)
		}
		if resp, _ := env.PostForm(t, cp, "/communaute/academie-paris/demandes/"+mover.ID, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", resp.StatusCode)
		}

		// Approved: Paris and its département open, Lyon and the 69 closed.
		get(t, env, cm, "/communaute") // a visit makes the département's space
		for path, want := range map[string]int{"/communaute/academie-paris": 200, "/communaute/departement-75": 200,
			"/communaute/academie-lyon": 404, "/communaute/departement-69": 404, "/communaute/fils/" + threadID: 404} {
			if s := status(t, env, cm, path); s != want {
				t.Errorf("after approval, %s: %d, want %d", path, s, want)
			}
		}
		log, err := env.Sys.Community.ModerationLog(ctx, parisMod, "academie-paris", 10)
		if err != nil || len(log) == 0 || log[0].What != community.ActApproveAcademie || !strings.HasPrefix(log[0].Target, mover.ID) {
			t.Fatalf("moderation log: %+v %v", log, err)
		}

		// The Lyon thread goes on: the stayer hears of the reply, the mover
		// (who followed it and is mentioned) does not.
		env.Sys.Limiter.Reset(ctx, "post-gap:"+author.ID)
		resp, _ = env.PostForm(t, ca, "/communaute/fils/"+threadID+"/reponses", url.Values{"body": {"Rendez-vous jeudi, @" + mover.Handle + " et @" + stayer.Handle + "."}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply: %d", resp.StatusCode)
		}
		reply := threadID + ".000003"
		testenv.Eventually(t, 20*time.Second, "the reply's notifications", func() bool {
			p, _, err := env.Sys.Community.Post(ctx, author, reply)
			return err == nil && len(p.Pending) == 0
		})
		notes, _, err := env.Sys.Community.Notifications(ctx, stayer.ID)
		if err != nil || len(notes) == 0 || notes[0].PostID != reply {
			t.Fatalf("the stayer's notifications: %+v %v", notes, err)
		}
		notes, _, err = env.Sys.Community.Notifications(ctx, mover.ID)
		if err != nil || len(notes) == 0 || notes[0].PostID == reply {
			t.Fatalf("the mover was notified from a space they left: %+v %v", notes, err)
		}
		// Nor does a digest sent now tell them of the Lyon thread.
		if resp, _ := env.PostForm(t, cm, "/profil/courriels-communaute", url.Values{"digest": {"daily"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("digest preference: %d", resp.StatusCode)
		}
		if _, err := env.Sys.Community.SendDigests(ctx, community.DigestDaily, time.Now().UTC().Truncate(community.Day)); err != nil {
			t.Fatal(err)
		}
		msgs, _ := env.Sys.Mailer.To(ctx, mover.Email)
		for _, m := range msgs {
			if strings.Contains(m.Body, "Entre collègues lyonnais") {
				t.Fatalf("a digest after the move tells of the Lyon thread: %s", m.Body)
			}
		}
		notes, _, _ = env.Sys.Community.Notifications(ctx, mover.ID)
		for _, n := range notes {
			if !n.Digested {
				t.Fatalf("a notification left out of the digest is not marked emailed: %+v", n)
			}
		}

		// A refused request keeps the old access and is gone from the list.
		moveTo(t, env, cr, refused, "paris", "92")
		if resp, _ := env.PostForm(t, cp, "/communaute/academie-paris/demandes/"+refused.ID, url.Values{"decision": {"refuser"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("refuse: %d", resp.StatusCode)
		}
		if s := status(t, env, cr, "/communaute/academie-lyon"); s != http.StatusOK {
			t.Fatalf("Lyon after a refusal: %d", s)
		}
		if s := status(t, env, cr, "/communaute/academie-paris"); s != http.StatusNotFound {
			t.Fatalf("Paris after a refusal: %d", s)
		}
		if _, body := get(t, env, cp, "/communaute/academie-paris/demandes"); strings.Contains(body, refused.Name) {
			t.Fatal("a refused request is still listed")
		}
		// Moving within the académie needs nobody: the refused teacher goes
		// from the 69 to the 01, still in Lyon, and sees the 01's space.
		moveTo(t, env, cr, refused, "lyon", "01")
		get(t, env, cr, "/communaute")
		if s := status(t, env, cr, "/communaute/departement-01"); s != http.StatusOK {
			t.Fatalf("a move within the académie: %d", s)
		}
	})
}

// TestSpaceMembershipMigration: accounts stored before space membership
// existed get their territory's at start, once, and keep their access.
func TestSpaceMembershipMigration(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		old := env.CreateUser(t, profile.RoleLearner)
		if err := profile.NewStore(env.Sys.DB).StripSpaceMembership(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		if u, err := env.Sys.Profile.User(ctx, old.ID); err != nil || u.SpaceAcademie != "" {
			t.Fatalf("an account from before space membership: %+v %v", u, err)
		}
		for range 2 { // what every start runs; the second run changes nothing
			if err := env.Sys.Community.Seed(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := env.Sys.Profile.InitSpaceMembership(ctx); err != nil || n != 0 {
			t.Fatalf("a third run set %d accounts (%v)", n, err)
		}
		if u, err := env.Sys.Profile.User(ctx, old.ID); err != nil || u.SpaceAcademie != "lyon" || u.SpaceDepartement != "69" {
			t.Fatalf("after the migration: %+v %v", u, err)
		}
		if s := status(t, env, env.LoggedIn(t, old), "/communaute/academie-lyon"); s != http.StatusOK {
			t.Fatalf("an existing teacher lost their académie's space: %d", s)
		}
	})
}
