package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestReplyLandsOnItsPage: after a reply, the browser goes to the page of
// the thread that holds it, cut as the thread's own links cut pages
// (?apres=0, 20, 40…), with the reply's anchor; that page shows the reply.
func TestReplyLandsOnItsPage(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	u := env.CreateUser(t, profile.RoleLearner)
	env.MakeTrusted(t, u, 72*time.Hour, 50)
	c := env.LoggedIn(t, u)
	th, _, err := env.Sys.Community.CreateThread(ctx, u, "parents-parents", community.NewThread{Title: "Un long fil", Body: "Le premier message."})
	if err != nil {
		t.Fatal(err)
	}
	// The thread's post is rank 1; replies take ranks 2 to 22: the last one
	// opens the second page.
	for i := 2; i <= 22; i++ {
		env.Sys.Limiter.Reset(ctx, "post-gap:"+u.ID)
		env.Sys.Limiter.Reset(ctx, "post-hour:"+u.ID)
		body := fmt.Sprintf("Réponse numéro %d du fil.", i)
		resp, _ := env.PostForm(t, c, "/communaute/fils/"+th.ID+"/reponses", url.Values{"body": {body}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply %d: %d", i, resp.StatusCode)
		}
		loc := resp.Header.Get("Location")
		want := "?apres=0#message-"
		if i > community.PageSize {
			want = fmt.Sprintf("?apres=%d#message-", community.PageSize)
		}
		if !strings.Contains(loc, want) {
			t.Fatalf("reply %d goes to %q, want the page %q", i, loc, want)
		}
		if i == 2 || i == 22 {
			page, err := c.Get(env.URL + loc)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(page.Body)
			page.Body.Close()
			html := string(raw)
			anchor := loc[strings.Index(loc, "#")+1:]
			if !strings.Contains(html, `id="`+anchor+`"`) || !strings.Contains(html, body) {
				t.Errorf("reply %d: its page does not show it (anchor %s)", i, anchor)
			}
		}
	}
}
