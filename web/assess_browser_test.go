package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// answerWithKeyboard answers the question on screen with key presses only:
// Space ticks the focused choice, typing fills a field, Enter on the focused
// button submits.
func answerWithKeyboard(t *testing.T, ctx context.Context) {
	t.Helper()
	kind := read(t, ctx, "kind", chromedp.Evaluate[string](`(function(){
		var f = document.getElementById('question-form');
		var i = f.querySelector('input[type=radio],input[type=checkbox],input[type=text]');
		return i ? i.type : 'none';
	})()`))
	first := `#question-form input[type=radio], #question-form input[type=checkbox], #question-form input[type=text]`
	steps := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.CSS(first))}
	switch kind {
	case "radio", "checkbox":
		steps = append(steps, chromedp.KeyEvent(" "))
	case "text":
		steps = append(steps, chromedp.KeyEvent("réponse"))
		// Fill every other field of a several-field question too.
		steps = append(steps, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#question-form input[type=text]').forEach(function(i){ if(!i.value) i.value='x'; })`))
	}
	before := read(t, ctx, "question", chromedp.Value(chromedp.CSS(`input[name=challenge]`)))
	steps = append(steps, chromedp.Focus(chromedp.ID("submit-answer")), chromedp.KeyEvent("\r"))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("answer (%s): %v", kind, err)
	}
	waitFor(t, ctx, "the next page", fmt.Sprintf(`(function(){
		if (location.pathname.endsWith('/resultat')) return document.readyState === 'complete';
		var c = document.querySelector('input[name=challenge]');
		return document.readyState === 'complete' && !!c && c.value !== %q;
	})()`, before))
}

// waitFor polls a JavaScript condition until it holds (navigation after a
// key press is not something chromedp waits for by itself).
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserParentTakesWholeTest: a parent without an account takes the
// whole CRCN test with the keyboard and sees the results and the chart.
func TestBrowserParentTakesWholeTest(t *testing.T) {
	env := testenv.New(t)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/positionnement"),
		chromedp.WaitVisible(chromedp.ID("start-crcn")),
		chromedp.Focus(chromedp.ID("start-crcn")),
		chromedp.KeyEvent("\r"),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the first question", `document.readyState === 'complete' && !!document.getElementById('question-form')`)
	for i := 0; i < 40; i++ {
		loc := read(t, ctx, "location", chromedp.Location())
		if strings.HasSuffix(loc, "/resultat") {
			break
		}
		answerWithKeyboard(t, ctx)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("score"))); err != nil {
		t.Fatal(err)
	}
	score := read(t, ctx, "score", chromedp.Text(chromedp.ID("score")))
	rows := read(t, ctx, "rows", chromedp.Evaluate[int](`document.querySelectorAll('#levels tbody tr').length`))
	chart := read(t, ctx, "chart", chromedp.Evaluate[string](`document.querySelector('svg.chart title').textContent`))
	link := read(t, ctx, "link", chromedp.Text(chromedp.ID("private-link")))
	if !strings.Contains(score, "sur 1024") || rows != 16 || chart != "Niveau par compétence" || !strings.Contains(link, "/resultat/") {
		t.Errorf("result page: score %q, %d rows, chart %q, link %q", score, rows, chart, link)
	}
}

// TestBrowserResumeAfterRestart: a teacher closes the browser tab mid-test,
// the server restarts, and the teacher resumes on the same question.
func TestBrowserResumeAfterRestart(t *testing.T) {
	env := testenv.New(t)
	u := env.CreateUser(t, profile.RoleLearner)
	browserCtx := browser(t)
	tab, closeTab := chromedp.NewContext(browserCtx)
	err := chromedp.Do(tab,
		signIn(env, u.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/positionnement"),
		chromedp.WaitVisible(chromedp.ID("start-crcn")),
		chromedp.Click(chromedp.ID("start-crcn")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, "the first question", `document.readyState === 'complete' && !!document.getElementById('question-form')`)
	answerWithKeyboard(t, tab)
	answerWithKeyboard(t, tab)
	before := read(t, tab, "question", chromedp.Value(chromedp.CSS(`input[name=challenge]`)))
	testURL := read(t, tab, "url", chromedp.Location())
	closeTab()
	env.Restart(t)
	tab2, closeTab2 := chromedp.NewContext(browserCtx)
	defer closeTab2()
	path := testURL[strings.Index(testURL, "/positionnement/"):]
	if err := chromedp.Do(tab2, chromedp.Navigate(env.URL+path), chromedp.WaitVisible(chromedp.ID("question-form"))); err != nil {
		t.Fatal(err)
	}
	after := read(t, tab2, "question", chromedp.Value(chromedp.CSS(`input[name=challenge]`)))
	progress := read(t, tab2, "progress", chromedp.Text(chromedp.ID("progress-text")))
	if after != before || !strings.HasPrefix(progress, "Question 3 ") {
		t.Errorf("after restart: question %q (was %q), progress %q", after, before, progress)
	}
}
