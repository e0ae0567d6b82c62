package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"ardoise/community"
	"ardoise/internal/markdown"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestBrowserQuestionAnsweredFlaggedHidden: a teacher asks a question,
// another answers, the first accepts the answer, a third flags it and a
// moderator hides it from the review queue.
func TestBrowserQuestionAnsweredFlaggedHidden(t *testing.T) {
	env := testenv.New(t)
	asker, answerer := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
	flagger, moderator := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleAdmin)

	actx := browser(t)
	err := chromedp.Do(actx,
		signIn(env, asker.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/communaute"),
		chromedp.Click(chromedp.CSS(`a[href="/communaute/academie-lyon"]`)),
		chromedp.WaitVisible(chromedp.ID("title")),
		chromedp.SendKeys(chromedp.ID("title"), "Partager un document sur l'ENT ?"),
		chromedp.SendKeys(chromedp.ID("body"), "Comment **partager** un document avec ma classe ?"),
		chromedp.Click(chromedp.ID("question")),
		chromedp.Click(chromedp.ID("post-thread")),
		chromedp.WaitVisible(chromedp.ID("question-state")),
	)
	if err != nil {
		t.Fatal(err)
	}
	thread := read(t, actx, "thread URL", chromedp.Evaluate[string](`location.pathname`))

	bctx := browser(t)
	err = chromedp.Do(bctx,
		signIn(env, answerer.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+thread),
		chromedp.WaitVisible(chromedp.ID("body")),
		chromedp.SendKeys(chromedp.ID("body"), "Dans l'espace Documents de l'ENT, choisissez *Partager*."),
		chromedp.Click(chromedp.ID("post-reply")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, bctx, "the answer", `document.querySelectorAll('ol.posts > li').length === 2`)

	err = chromedp.Do(actx,
		chromedp.Navigate(env.URL+thread),
		chromedp.Click(chromedp.CSS(`button.accept`)),
		chromedp.WaitVisible(chromedp.ID("accepted-badge")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if state := read(t, actx, "state", chromedp.Text(chromedp.ID("question-state"))); state != "Question résolue" {
		t.Fatalf("question state: %q", state)
	}

	fctx := browser(t)
	err = chromedp.Do(fctx,
		signIn(env, flagger.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+thread),
		chromedp.Click(chromedp.CSS(`li.accepted details summary`)),
		chromedp.SendKeys(chromedp.CSS(`li.accepted details input[name=motif]`), "Conseil erroné"),
		chromedp.Click(chromedp.CSS(`li.accepted details button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, fctx, "the flag's notice", `!!document.querySelector('.notice') && location.search.indexOf('fait=flag') >= 0`)

	mctx := browser(t)
	err = chromedp.Do(mctx,
		signIn(env, moderator.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/communaute/academie-lyon/signalements"),
		chromedp.WaitVisible(chromedp.ID("flags")),
		chromedp.SendKeys(chromedp.CSS(`#flags form[action$="/masquer"] input[name=motif]`), "Contenu inexact"),
		chromedp.Click(chromedp.CSS(`#flags form[action$="/masquer"] button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, mctx, "the hidden post", `location.search.indexOf('fait=hide') >= 0`)
	if err := chromedp.Do(actx, chromedp.Navigate(env.URL+thread)); err != nil {
		t.Fatal(err)
	}
	if text := read(t, actx, "hidden post", chromedp.Text(chromedp.CSS(`li.accepted article`))); !strings.Contains(text, "Message masqué par la modération.") || strings.Contains(text, "choisissez") {
		t.Fatalf("the hidden answer shows to members: %q", text)
	}
}

// TestBrowserScriptInjectionNeverRuns posts every payload of the corpus
// through the service, then opens each page of the thread in Chromium: no
// dialog opens and no request leaves the site.
func TestBrowserScriptInjectionNeverRuns(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	payloads, err := markdown.XSSCorpus()
	if err != nil || len(payloads) < 50 {
		t.Fatalf("corpus: %d payloads, %v", len(payloads), err)
	}
	u := env.CreateUser(t, profile.RoleLearner)
	// A trusted member (links and images allowed), whose rate limit is
	// lifted between posts: the limits have their own tests.
	env.MakeTrusted(t, u, 72*time.Hour, 50)
	u, _ = env.Sys.Profile.User(ctx, u.ID)
	th, _, err := env.Sys.Community.CreateThread(ctx, u, "academie-lyon", community.NewThread{Title: "Corpus d'injections", Body: "Les messages suivants sont hostiles."})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range payloads {
		if err := env.Sys.Limiter.Reset(ctx, "post-gap:"+u.ID); err != nil {
			t.Fatal(err)
		}
		if err := env.Sys.Limiter.Reset(ctx, "post-hour:"+u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := env.Sys.Community.Reply(ctx, u, th.ID, fmt.Sprintf("%s\n\n(%d)", p, i)); err != nil {
			t.Fatalf("payload %d %q: %v", i, p, err)
		}
	}
	bctx := browser(t)
	var mu sync.Mutex
	var dialogs, outside []string
	endMark := env.URL + "/robots.txt?fin-du-corpus" // requested by the test once the last page settled
	endSeen := false
	if err := chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			dialogs = append(dialogs, e.Message)
		case *network.EventRequestWillBeSent:
			if e.Request.URL == endMark {
				endSeen = true
			} else if !strings.HasPrefix(e.Request.URL, env.URL) && !strings.HasPrefix(e.Request.URL, "about:") {
				outside = append(outside, e.Request.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, signIn(env, u.Email, testenv.TestPassword)); err != nil {
		t.Fatal(err)
	}
	// Control: a dialog that does open is seen, so the check below can fail.
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[chromedp.Void](`setTimeout(function(){ alert('contrôle'); }, 0); undefined`)); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 5*time.Second, "the control dialog", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(dialogs) == 1
	})
	if _, err := chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	dialogs = nil
	mu.Unlock()
	pages := 0
	for after := 0; ; after += community.PageSize {
		pageCtx, cancel := context.WithTimeout(bctx, 20*time.Second)
		err := chromedp.Do(pageCtx, chromedp.Navigate(fmt.Sprintf("%s/communaute/fils/%s?apres=%d", env.URL, th.ID, after)),
			chromedp.WaitVisible(chromedp.CSS(`ol.posts`)))
		cancel()
		if err != nil {
			t.Fatalf("page after %d: %v (a dialog may block it: %v)", after, err, dialogs)
		}
		pages++
		if !read(t, bctx, "next link", chromedp.Evaluate[bool](`!!document.querySelector('a[href*="apres="]')`)) {
			break
		}
	}
	// The last page settles: loaded, and every image loaded or failed (an
	// onerror handler would have run). Then a request of the test's own
	// marks the end: the page's scripts run one at a time and a dialog
	// blocks them, so what the corpus did (a dialog, a request out) was
	// reported before the mark is.
	settle, cancel := context.WithTimeout(bctx, 20*time.Second)
	_, err = chromedp.Run(settle, chromedp.Poll[bool](`document.readyState === 'complete' && Array.prototype.every.call(document.images, function (i) { return i.complete; })`))
	if err == nil {
		_, err = chromedp.Run(settle, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`fetch(%q); undefined`, endMark)))
	}
	cancel()
	if err != nil {
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("the last page did not settle: %v (a dialog may block it: %v)", err, dialogs)
	}
	testenv.Eventually(t, 10*time.Second, "the end mark request", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return endSeen
	})
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 || len(outside) > 0 {
		t.Fatalf("scripts ran: dialogs %v, requests out %v", dialogs, outside)
	}
	if want := (len(payloads) + 1 + community.PageSize - 1) / community.PageSize; pages < want {
		t.Fatalf("read %d pages, want %d", pages, want)
	}
}
