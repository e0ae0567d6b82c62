package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// ownerRow is one row of the ownership matrix: a request on a real
// resource of an owner A, made by an intruder B of the same role and then
// by A. Its path, form values and JSON name A's resources as {A's …},
// filled in when the request is sent (some change as rows run, such as the
// question a test serves).
type ownerRow struct {
	pair         string // "learners" or "trainers": who A and B are
	method, path string
	form         url.Values
	json         string
	zip          bool // the body is the zipped source of A's module with a page of the sender's own (see sendZip)
	intruder     int  // what B gets
	owner        int  // what A gets: the row fails if the route ignores the id
}

// ownershipRows lists the rows in the order they run: B's request first,
// then A's, whose success may change what later rows find (a closed
// session, a deleted post), so each group ends with what ends a resource.
// Routes answer 404 to an intruder, so as not to tell that the resource
// exists, except where the resource is visible to B and the route's design
// refuses with 403: a module of other trainers, a post B reads but did not
// write, a space B sees but does not moderate.
func ownershipRows() []ownerRow {
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	const noContent, created = http.StatusNoContent, http.StatusCreated
	return []ownerRow{
		// API tokens.
		{pair: "learners", method: "POST", path: "/profil/jetons/{A's token}/revoquer", intruder: notf, owner: see},

		// Positioning tests.
		{pair: "learners", method: "GET", path: "/positionnement/{A's test}", intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/positionnement/{A's test}/focus", intruder: notf, owner: noContent},
		{pair: "learners", method: "GET", path: "/api/v1/assessments/{A's test}", intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/positionnement/{A's test}/reponse", form: v("challenge", "{A's test's question}", "skip", "1"), intruder: notf, owner: see},
		{pair: "learners", method: "POST", path: "/api/v1/assessments/{A's test}/answers", json: `{"challengeId":"{A's test's question}","skipped":true}`, intruder: notf, owner: ok},
		{pair: "learners", method: "GET", path: "/positionnement/{A's finished test}/resultat", intruder: notf, owner: ok},
		{pair: "learners", method: "GET", path: "/api/v1/assessments/{A's finished test}", intruder: notf, owner: ok},

		// Attestations.
		{pair: "learners", method: "GET", path: "/profil/attestations/{A's attestation}.pdf", intruder: notf, owner: ok},

		// A thread B may read, in a public space: B reads it, but neither
		// edits nor deletes A's posts nor accepts an answer to A's question.
		{pair: "learners", method: "GET", path: "/communaute/fils/{A's question}", intruder: ok, owner: ok},
		{pair: "learners", method: "GET", path: "/communaute/messages/{A's post}/modifier", intruder: forb, owner: ok},
		{pair: "learners", method: "POST", path: "/communaute/messages/{A's post}/modifier", form: v("body", "Texte corrigé par son autrice."), intruder: forb, owner: see},
		{pair: "learners", method: "PATCH", path: "/api/v1/posts/{A's post}", json: `{"body":"Texte corrigé par l'API."}`, intruder: forb, owner: ok},
		{pair: "learners", method: "POST", path: "/communaute/messages/{answer to A's question}/accepter", intruder: forb, owner: see},
		{pair: "learners", method: "POST", path: "/api/v1/posts/{answer to A's question}/accept", intruder: forb, owner: ok},
		{pair: "learners", method: "POST", path: "/communaute/messages/{A's reply}/supprimer", intruder: forb, owner: see},

		// A thread in A's académie space, which B (of another académie) is not a member of.
		{pair: "learners", method: "GET", path: "/communaute/fils/{A's académie thread}", intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/communaute/fils/{A's académie thread}/reponses", form: v("body", "Réponse de A dans son académie."), intruder: notf, owner: see},
		{pair: "learners", method: "GET", path: "/api/v1/threads/{A's académie thread}", intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/api/v1/threads/{A's académie thread}/posts", json: `{"body":"Réponse de A par l'API."}`, intruder: notf, owner: created},
		{pair: "learners", method: "POST", path: "/communaute/abonnement", form: v("type", "thread", "id", "{A's académie thread}", "suivre", "1"), intruder: notf, owner: see},
		{pair: "learners", method: "GET", path: "/communaute/messages/{A's académie post}/modifier", intruder: notf, owner: ok},
		{pair: "learners", method: "PATCH", path: "/api/v1/posts/{A's académie post}", json: `{"body":"Message de l'académie corrigé."}`, intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/communaute/messages/{A's académie post}/reaction", form: v("kind", "merci", "on", "1"), intruder: notf, owner: see},
		{pair: "learners", method: "POST", path: "/api/v1/posts/{A's académie post}/reactions", json: `{"kind":"utile","on":true}`, intruder: notf, owner: noContent},
		{pair: "learners", method: "POST", path: "/communaute/messages/{A's académie post}/signaler", form: v("motif", "un motif"), intruder: notf, owner: see},
		{pair: "learners", method: "POST", path: "/api/v1/posts/{A's académie post}/flags", json: `{"reason":"un motif"}`, intruder: notf, owner: created},
		{pair: "learners", method: "POST", path: "/api/v1/posts/{A's académie post}/accept", intruder: notf, owner: bad}, // not a question: A sees it, B does not
		{pair: "learners", method: "GET", path: "/communaute/recherche?q=ornithorynque&espace={A's académie}", intruder: notf, owner: ok},
		{pair: "learners", method: "GET", path: "/api/v1/search?q=ornithorynque&space={A's académie}", intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/communaute/messages/{A's académie post}/supprimer", intruder: notf, owner: see},

		// A thread in the space of a module A follows and B does not.
		{pair: "learners", method: "GET", path: "/communaute/fils/{A's module-space thread}", intruder: notf, owner: ok},
		{pair: "learners", method: "GET", path: "/api/v1/threads/{A's module-space thread}", intruder: notf, owner: ok},
		{pair: "learners", method: "POST", path: "/api/v1/threads/{A's module-space thread}/posts", json: `{"body":"Réponse de A dans l'espace du module."}`, intruder: notf, owner: created},

		// A trainer's module: B is another trainer, not a co-owner.
		{pair: "trainers", method: "GET", path: "/formation/modules/{A's module}/versions", intruder: forb, owner: ok},
		{pair: "trainers", method: "GET", path: "/formation/modules/{A's module}/fichiers/01-intro.md", intruder: forb, owner: ok},
		{pair: "trainers", method: "POST", path: "/formation/modules/{A's module}/fichiers/01-intro.md", form: v("source", "---\ntitle: Introduction\n---\nTexte revu.\n", "action", "save"), intruder: forb, owner: ok},
		{pair: "trainers", method: "POST", path: "/api/v1/modules/import?slug={A's module}", zip: true, intruder: forb, owner: created},
		{pair: "trainers", method: "POST", path: "/formation/modules/import", form: v("slug", "{A's module}"), zip: true, intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/formation/modules/{A's module}/publier", form: v("note", "Version 2"), intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/api/v1/modules/{A's module}/publish", json: `{"note":"Version 3"}`, intruder: forb, owner: ok},
		// Who may act comes before what they sent: B learns neither which
		// versions exist nor whether an address is a trainer's.
		{pair: "trainers", method: "POST", path: "/formation/modules/{A's module}/restaurer/99", intruder: forb, owner: notf},
		{pair: "trainers", method: "POST", path: "/formation/modules/{A's module}/restaurer/1", intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/formation/modules/{A's module}/coproprietaires", form: v("email", "personne@nulle.part"), intruder: forb, owner: unproc},
		{pair: "trainers", method: "POST", path: "/formation/modules/{A's module}/coproprietaires", form: v("email", "{a third trainer's email}"), intruder: forb, owner: see},

		// A trainer's session.
		{pair: "trainers", method: "GET", path: "/formation/sessions/{A's session}", intruder: notf, owner: ok},
		{pair: "trainers", method: "POST", path: "/formation/sessions/{A's session}/participants", form: v("email", "{a teacher's email}"), intruder: notf, owner: see},
		{pair: "trainers", method: "POST", path: "/formation/sessions/{A's session}/presence", form: v("presence", "{A's participant}|2026-02-16-am"), intruder: notf, owner: see},
		{pair: "trainers", method: "POST", path: "/formation/sessions/{A's session}/cloturer", intruder: notf, owner: see},

		// A trainer's themes: a public one B sees but does not moderate, a
		// members-only one B does not see.
		{pair: "trainers", method: "GET", path: "/communaute/{A's theme}/signalements", intruder: forb, owner: ok},
		{pair: "trainers", method: "POST", path: "/communaute/{A's theme}/silence", form: v("membre", "{A's participant}", "jours", "1", "motif", "un motif"), intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/communaute/fils/{A's theme thread}/moderation", form: v("action", "pin", "motif", "un motif"), intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/communaute/messages/{A's theme post}/masquer", form: v("motif", "un motif"), intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/communaute/messages/{A's theme post}/retablir", form: v("motif", "un motif"), intruder: forb, owner: see},
		{pair: "trainers", method: "POST", path: "/api/v1/posts/{A's theme post}/hide", json: `{"reason":"un motif"}`, intruder: forb, owner: noContent},
		{pair: "trainers", method: "GET", path: "/communaute/{A's members-only theme}", intruder: notf, owner: ok},
		{pair: "trainers", method: "GET", path: "/api/v1/spaces/{A's members-only theme}/threads", intruder: notf, owner: ok},
		{pair: "trainers", method: "POST", path: "/communaute/{A's members-only theme}/fils", form: url.Values{}, intruder: notf, owner: unproc},
		{pair: "trainers", method: "POST", path: "/api/v1/spaces/{A's members-only theme}/threads", json: `{}`, intruder: notf, owner: bad},
		{pair: "trainers", method: "POST", path: "/communaute/abonnement", form: v("type", "space", "id", "{A's members-only theme}", "suivre", "1"), intruder: notf, owner: see},
		{pair: "trainers", method: "POST", path: "/communaute/{A's members-only theme}/membres", form: v("email", "{a teacher's email}"), intruder: notf, owner: see},
	}
}

// actor is one person of the matrix: their account, a signed-in browser
// and an API token.
type actor struct {
	user   *profile.User
	client *http.Client
	token  string
}

func newActor(t *testing.T, env *testenv.Env, u *profile.User) *actor {
	t.Helper()
	tok, _, err := env.Sys.Profile.CreateToken(testenv.Ctx(t), u, "propriété")
	if err != nil {
		t.Fatal(err)
	}
	return &actor{user: u, client: env.LoggedIn(t, u), token: tok}
}

// ownership holds the two pairs of the matrix and A's resources, by the
// names the rows use.
type ownership struct {
	env   *testenv.Env
	pairs map[string][2]*actor // owner A, intruder B
	ids   map[string]func() string
}

// TestOwnershipMatrix requests, for every route that takes the id of
// something a person owns or a members-only space holds, a real resource
// of an owner A as an intruder B of the same role (a web session, or a
// bearer token under /api/v1): B is refused, and the same request by A
// succeeds, so that a row fails both when B gets in and when nobody does.
func TestOwnershipMatrix(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		o := &ownership{env: env, pairs: map[string][2]*actor{}, ids: map[string]func() string{}}
		o.learners(t)
		o.trainers(t)
		for _, row := range ownershipRows() {
			pair := o.pairs[row.pair]
			for _, who := range []struct {
				name string
				a    *actor
				want int
			}{{"B", pair[1], row.intruder}, {"A", pair[0], row.owner}} {
				t.Run(row.method+" "+row.path+" as "+who.name, func(t *testing.T) {
					if got := o.send(t, who.a, row); got != who.want {
						t.Errorf("status %d, want %d", got, who.want)
					}
				})
			}
		}
	})
}

// unfilled finds a resource name left in a filled string (JSON objects hold quotes, names do not).
var unfilled = regexp.MustCompile(`\{[^{}"]*'[^{}"]*\}`)

// fill replaces the names of A's resources in s by their ids.
func (o *ownership) fill(t *testing.T, s string) string {
	t.Helper()
	for name, id := range o.ids {
		if strings.Contains(s, name) {
			s = strings.ReplaceAll(s, name, id())
		}
	}
	if m := unfilled.FindString(s); m != "" {
		t.Fatalf("no resource named %s", m)
	}
	return s
}

// send makes a row's request as a, after resetting a's posting and editing
// rate limits.
func (o *ownership) send(t *testing.T, a *actor, row ownerRow) int {
	t.Helper()
	resetLimits(t, o.env, a.user)
	path := o.fill(t, row.path)
	if row.zip {
		return o.sendZip(t, a, path, row.form)
	}
	r := route{method: row.method, path: path, json: o.fill(t, row.json)}
	if row.form != nil {
		r.form = url.Values{}
		for k, vs := range row.form {
			for _, v := range vs {
				r.form.Add(k, o.fill(t, v))
			}
		}
	}
	return do(t, o.env, a.client, a.token, r)
}

// resetLimits forgets u's posting and editing rate limits: one post or
// edit per 10 s, and a newcomer's five an hour, would refuse A's next one.
func resetLimits(t *testing.T, env *testenv.Env, u *profile.User) {
	t.Helper()
	for _, k := range []string{"post-gap:", "post-hour:", "edit-gap:", "edit-hour:"} {
		if err := env.Sys.Limiter.Reset(testenv.Ctx(t), k+u.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// sendZip sends the zipped source of A's module, with a page of a's own
// whose text no one else sent, to path: with a's token under /api/, else
// as the upload form with its fields and a's session. Whatever the status,
// a's page must be stored if and only if the request was accepted, and a
// refused request leaves A's draft without it: a refusal stores nothing.
func (o *ownership) sendZip(t *testing.T, a *actor, path string, fields url.Values) int {
	t.Helper()
	ctx := testenv.Ctx(t)
	slug := o.ids["{A's module}"]()
	src, err := o.env.Sys.Courses.Export(ctx, slug, 1)
	if err != nil {
		t.Fatal(err)
	}
	const page = "98-depot.md"
	own := []byte(fmt.Sprintf("---\ntitle: Dépôt\n---\nPage déposée par %s sur %s (%d).\n", a.user.ID, path, time.Now().UnixNano()))
	src.Files[page] = own
	raw, err := src.Zip(slug)
	if err != nil {
		t.Fatal(err)
	}
	var req *http.Request
	if strings.HasPrefix(path, "/api/") {
		req, err = http.NewRequest("POST", o.env.URL+path, bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/zip")
		req.Header.Set("Authorization", "Bearer "+a.token)
	} else {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for k, vs := range fields {
			for _, v := range vs {
				w.WriteField(k, o.fill(t, v))
			}
		}
		w.WriteField("_csrf", o.env.CSRF(t, a.client, "/"))
		part, err := w.CreateFormFile("zip", slug+".zip")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(raw)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		req, err = http.NewRequest("POST", o.env.URL+path, &body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", w.FormDataContentType())
	}
	client := a.client
	if req.Header.Get("Authorization") != "" {
		client = o.env.Client() // the API is called with the token alone
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	accepted := resp.StatusCode < http.StatusBadRequest
	stored, err := courses.NewStore(o.env.Sys.DB, o.env.Sys.Claims).FileStored(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	if stored != accepted {
		t.Errorf("status %d, and the sender's page stored: %v", resp.StatusCode, stored)
	}
	if !accepted {
		draft, err := o.env.Sys.Courses.Export(ctx, slug, 0)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(draft.Files[page], own) {
			t.Errorf("status %d, and A's draft holds the sender's page", resp.StatusCode)
		}
	}
	return resp.StatusCode
}

// knownID names an id known at set-up.
func knownID(id string) func() string { return func() string { return id } }

// learners makes learner A, a Lyon teacher, and learner B, a Paris
// teacher, with A's token, positioning tests, attestation and posts.
func (o *ownership) learners(t *testing.T) {
	env, ctx := o.env, testenv.Ctx(t)
	la := env.CreateUser(t, profile.RoleLearner) // Lyon
	lb := teacherNamed(t, env, profile.RoleLearner, "Bastien Intrus", profile.Territory{Academie: "paris", Departement: "75"})
	o.pairs["learners"] = [2]*actor{newActor(t, env, la), newActor(t, env, lb)}

	_, tok, err := env.Sys.Profile.CreateToken(ctx, la, "à révoquer")
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's token}"] = knownID(tok.ID)

	owner := assessments.Owner{UserID: la.ID}
	running, err := env.Sys.Assessments.Start(ctx, owner, assessments.Scope{Framework: "crcn"}, false)
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's test}"] = knownID(running.ID)
	o.ids["{A's test's question}"] = func() string { // the question served now
		cur, err := env.Sys.Assessments.Test(ctx, running.ID, owner)
		if err != nil || cur.Current == nil {
			t.Fatalf("A's test: %v", err)
		}
		return cur.Current.ChallengeID
	}
	done, err := env.Sys.Assessments.Start(ctx, owner, assessments.Scope{Framework: "enseignants"}, false)
	for i := 0; err == nil && done.State != assessments.StateFinished; i++ {
		if i > 60 {
			t.Fatal("A's second test never finished")
		}
		done, err = env.Sys.Assessments.Answer(ctx, done.ID, owner, done.Current.ChallengeID, assessments.Answer{Skipped: true})
	}
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's finished test}"] = knownID(done.ID)

	const slug = "module-attestation-de-a"
	quickModule(t, env, slug, "formatrice-attestation", 60)
	completeModule(t, env, la, slug)
	o.ids["{A's attestation}"] = knownID(waitCertificate(t, env, la.ID, false).ID)

	// A's question in the parents' space (public), answered by C; A's own reply.
	lc := env.CreateUser(t, profile.RoleLearner)
	post := func(u *profile.User, thread string, body string) *community.Post {
		t.Helper()
		resetLimits(t, env, u)
		p, err := env.Sys.Community.Reply(ctx, u, thread, body)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	q, first, err := env.Sys.Community.CreateThread(ctx, la, "parents-parents", community.NewThread{
		Title: "Question de A", Body: "Comment partager un document ?", Question: true})
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's question}"] = knownID(q.ID)
	o.ids["{A's post}"] = knownID(first.ID)
	o.ids["{answer to A's question}"] = knownID(post(lc, q.ID, "Avec un lien de partage.").ID)
	o.ids["{A's reply}"] = knownID(post(la, q.ID, "Merci, j'essaie.").ID)

	// A's thread in the Lyon académie space, members only.
	resetLimits(t, env, la)
	at, ap, err := env.Sys.Community.CreateThread(ctx, la, "academie-lyon", community.NewThread{
		Title: "Fil de l'académie de A", Body: "Qui a déjà vu un ornithorynque en classe ?"})
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's académie thread}"] = knownID(at.ID)
	o.ids["{A's académie post}"] = knownID(ap.ID)
	o.ids["{A's académie}"] = knownID("academie-lyon")

	// A's thread in the space of the module A completed, for its participants.
	resetLimits(t, env, la)
	mt, _, err := env.Sys.Community.CreateThread(ctx, la, "module-"+slug, community.NewThread{
		Title: "Fil du module suivi par A", Body: "Une question sur la page d'introduction."})
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's module-space thread}"] = knownID(mt.ID)
}

// trainers makes trainers A and B, A's module, session and themes.
func (o *ownership) trainers(t *testing.T) {
	env, ctx := o.env, testenv.Ctx(t)
	ta, tb, tc := env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer)
	o.pairs["trainers"] = [2]*actor{newActor(t, env, ta), newActor(t, env, tb)}
	o.ids["{a third trainer's email}"] = knownID(tc.Email)

	const slug = "module-de-a"
	quickModule(t, env, slug, ta.ID, 60)
	o.ids["{A's module}"] = knownID(slug)

	participant, other := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
	o.ids["{A's participant}"] = knownID(participant.ID)
	o.ids["{a teacher's email}"] = knownID(other.Email)
	halfDays, err := courses.ParseHalfDays("2026-02-16-am") // already held: the session may close
	if err != nil {
		t.Fatal(err)
	}
	ss, err := env.Sys.Courses.CreateSession(ctx, ta, slug, "Atelier Canopé", halfDays)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Sys.Courses.AddParticipant(ctx, ta, ss.ID, participant.Email); err != nil {
		t.Fatal(err)
	}
	o.ids["{A's session}"] = knownID(ss.ID)

	open, err := env.Sys.Community.CreateTheme(ctx, ta, "Thème ouvert de A", "Un thème public.", false)
	if err != nil {
		t.Fatal(err)
	}
	closed, err := env.Sys.Community.CreateTheme(ctx, ta, "Thème réservé de A", "Un thème pour ses membres.", true)
	if err != nil {
		t.Fatal(err)
	}
	th, tp, err := env.Sys.Community.CreateThread(ctx, ta, open.ID, community.NewThread{Title: "Fil du thème de A", Body: "Bienvenue dans ce thème."})
	if err != nil {
		t.Fatal(err)
	}
	o.ids["{A's theme}"] = knownID(open.ID)
	o.ids["{A's members-only theme}"] = knownID(closed.ID)
	o.ids["{A's theme thread}"] = knownID(th.ID)
	o.ids["{A's theme post}"] = knownID(tp.ID)
}
