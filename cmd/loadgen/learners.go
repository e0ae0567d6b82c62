package main

import (
	"context"
	"fmt"
	"time"
)

// enrolmentsCollection is the learning path's collection, as in courses/enrolment.go.
const enrolmentsCollection = "enrolments"

// learners are people following one module through the API: each has a
// token, an enrolment, and the page they are on.
type learners struct {
	p      *pool
	slug   string
	pages  []string
	tokens []string
	at     []int

	tally tally // store commands per view and per beat
}

func newLearners(url, uri, slug string, n int) (*learners, error) {
	l := &learners{p: newPool(url, n), slug: slug, at: make([]int, n)}
	var mod struct {
		Pages []struct {
			ID string `json:"id"`
		} `json:"pages"`
	}
	if code, raw, err := l.p.do("", "GET", "/api/v1/modules/"+slug, nil, &mod); err != nil || code != 200 || len(mod.Pages) == 0 {
		return nil, fmt.Errorf("module %s: %d %s %v (is it published?)", slug, code, raw, err)
	}
	for _, pg := range mod.Pages {
		l.pages = append(l.pages, pg.ID)
	}
	run := time.Now().UnixNano()
	for i := 0; i < n; i++ {
		tok, err := l.p.register(run, i)
		if err != nil {
			return nil, err
		}
		l.tokens = append(l.tokens, tok)
	}
	if err := verifyAccounts(context.Background(), uri, run, n, nil); err != nil { // enrolling needs a verified address
		return nil, err
	}
	for _, tok := range l.tokens {
		if code, raw, err := l.p.do(tok, "POST", "/api/v1/modules/"+slug+"/enrolment", nil, nil); err != nil || code != 201 {
			return nil, fmt.Errorf("enrol: %d %s %v", code, raw, err)
		}
	}
	return l, nil
}

func (l *learners) send(kind string, w int, path string, body any) error {
	return l.p.measured(&l.tally, kind, l.tokens[w], "POST", "/api/v1/enrolments/"+l.slug+path, body)
}

// view opens learner w's next page (cycling), as the page's script does.
func (l *learners) view(w int) error {
	l.at[w] = (l.at[w] + 1) % len(l.pages)
	return l.send("view", w, "/views", map[string]any{"page": l.pages[l.at[w]], "js": true})
}

// beat sends a heartbeat from learner w's current page.
func (l *learners) beat(w int) error {
	return l.send("beat", w, "/heartbeats", map[string]any{"page": l.pages[l.at[w]]})
}

// runLearning measures page views and heartbeats at each rate, then the
// raw store doing the same commands.
func runLearning(url, uri, slug string, n int, rates []int, d time.Duration, prefill int, skipRaw bool) {
	if uri != "" && prefill > 0 {
		have, err := prefillEnrolments(uri, prefill)
		if err != nil {
			fail("prefill: %v", err)
		}
		fmt.Printf("store holds %d enrolments\n", have)
	}
	l, err := newLearners(url, uri, slug, n)
	if err != nil {
		fail("learners: %v", err)
	}
	fmt.Printf("%d learners enrolled in %s (%d pages); %s per run, open loop\n\n", n, slug, len(l.pages), d)
	fmt.Printf("%-10s %8s %8s %8s %8s %9s %9s %9s\n", "target", "offered", "ok", "errors", "missed", "rate/s", "p50 ms", "p99 ms")
	for _, r := range rates {
		runOpenLoop(r, d, n, l.view).print("page views, store commands " + l.tally.seen("view"))
		runOpenLoop(r, d, n, l.beat).print("heartbeats, store commands " + l.tally.seen("beat"))
		if uri != "" && !skipRaw {
			raw, err := newRawLearning(uri, n)
			if err != nil {
				fail("raw store: %v", err)
			}
			runOpenLoop(r, d, n, raw.op).print("raw store (findOne + updateOne)")
			raw.close()
		}
	}
}
