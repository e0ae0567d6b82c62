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

// TestCommunityFlows: a mention notifies, the notifications page lists it,
// the digest preference is set from the profile, the unsubscribe link of a
// digest works without login, the member card shows counts, and an erased
// account's posts stay under "Compte supprimé".
func TestCommunityFlows(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	author, reader := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
	ca, cr := env.LoggedIn(t, author), env.LoggedIn(t, reader)
	resp, _ := env.PostForm(t, ca, "/communaute/academie-lyon/fils", url.Values{"title": {"Bonjour à tous"}, "body": {"Salut @" + reader.Handle + " !"}, "action": {"publier"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new thread: %d", resp.StatusCode)
	}
	thread := resp.Header.Get("Location")
	testenv.Eventually(t, 20*time.Second, "the mention", func() bool {
		_, body := get(t, env, cr, "/communaute/notifications")
		return strings.Contains(body, "vous a mentionné") && strings.Contains(body, "1 non lue(s)")
	})
	// The author edits the post with a preview, finds it, and sees their threads.
	_, body := get(t, env, ca, thread)
	j := strings.Index(body, `/modifier"`)
	i := strings.LastIndex(body[:j], `"`) + 1
	edit := body[i : j+len("/modifier")]
	flag := strings.Replace(edit, "/modifier", "/signaler", 1)
	if resp, body := env.PostForm(t, cr, flag, url.Values{"motif": {""}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Bonjour à tous") {
		t.Fatalf("flag without a reason: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, cr, flag, url.Values{"motif": {"Hors sujet"}}); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), thread) {
		t.Fatalf("flag: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := get(t, env, ca, edit); resp.StatusCode != 200 || !strings.Contains(body, "Salut @") {
		t.Fatalf("edit form: %d", resp.StatusCode)
	}
	if resp, body := env.PostForm(t, ca, edit, url.Values{"body": {"Salut **tout le monde**"}, "action": {"apercu"}}); resp.StatusCode != 200 || !strings.Contains(body, "<strong>tout le monde</strong>") {
		t.Fatalf("edit preview: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, ca, edit, url.Values{"body": {"Salut **tout le monde**, bienvenue."}, "action": {"enregistrer"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	if _, body := get(t, env, ca, "/communaute/recherche?q=Bienvenue"); !strings.Contains(body, "<strong>tout le monde</strong>, bienvenue.") {
		t.Fatal("search does not find the edited post")
	}
	if _, body := get(t, env, ca, "/communaute/moi"); !strings.Contains(body, "Bonjour à tous") {
		t.Fatal("my threads")
	}
	if resp, _ := env.PostForm(t, cr, "/profil/courriels-communaute", url.Values{"digest": {"weekly"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("digest preference: %d", resp.StatusCode)
	}
	if _, body := get(t, env, cr, "/profil"); !strings.Contains(body, `value="weekly" id="digest-weekly" checked`) {
		t.Fatal("the profile does not show the weekly digest chosen")
	}
	// The worker's scheduled digest may run first: either way, one digest.
	if _, err := env.Sys.Community.SendDigests(ctx, community.DigestWeekly, time.Now().UTC().Truncate(community.Week)); err != nil {
		t.Fatal(err)
	}
	msgs, _ := env.Sys.Mailer.To(ctx, reader.Email)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "Bonjour à tous") {
		t.Fatalf("%d mails: %+v", len(msgs), msgs)
	}
	link := msgs[0].Body[strings.Index(msgs[0].Body, "/communaute/desabonnement"):]
	link = strings.Fields(link)[0]
	anon := env.Client()
	if resp, body := get(t, env, anon, link); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Courriels arrêtés") {
		t.Fatalf("unsubscribe without login: %d", resp.StatusCode)
	}
	if m, _ := env.Sys.Community.Member(ctx, reader.ID); m.Digest != community.DigestNone {
		t.Fatalf("digest after the link: %s", m.Digest)
	}
	if _, body := get(t, env, cr, "/membres/"+author.Handle); !strings.Contains(body, author.Name) || !strings.Contains(body, "<dd>1</dd>") || strings.Contains(body, author.Email) {
		t.Fatal("member card")
	}
	if resp, _ := env.PostForm(t, ca, "/profil/supprimer", url.Values{"password": {testenv.TestPassword}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("delete account: %d", resp.StatusCode)
	}
	if _, body := get(t, env, cr, thread); !strings.Contains(body, "Compte supprimé") || strings.Contains(body, author.Name) {
		t.Fatal("an erased account's post still shows its name")
	}
}
