package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"time"

	"ardoise/internal/boot"
)

// scaleMeasure sends each kind of hot request, one at a time, as people
// whose authentication is already cached (each kind is sent a few times
// before it is measured).
type scaleMeasure struct {
	url    string
	sys    *boot.System
	acc    scaleAccess
	fix    *scaleFixture
	o      scaleOptions
	client *http.Client
	// visitors are clients from distinct loopback addresses: the public
	// verification allows 30 requests a minute per address.
	visitors []*http.Client
	pages    []string // the learner's module's pages
	viewed   string   // the page the learner viewed last

	answerer candidate // a test in progress, answered question after question
	started  string    // the starter's test in progress

	// requests, when set, prepares the requests instead of next (another
	// scenario's kinds, measured the same way).
	requests func(kind string, i int) (scaleRequest, error)
}

// warmups are the requests of each kind sent before measuring it.
const warmups = 1

func newScaleMeasure(url string, sys *boot.System, acc scaleAccess, fix *scaleFixture, o scaleOptions) (*scaleMeasure, error) {
	m := &scaleMeasure{url: url, sys: sys, acc: acc, fix: fix, o: o, client: measureClient()}
	for i := 0; i < 20; i++ {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+i))}, Timeout: 10 * time.Second}
		m.visitors = append(m.visitors, &http.Client{Timeout: time.Minute, Transport: &http.Transport{DialContext: d.DialContext}})
	}
	var mod struct {
		Pages []struct {
			ID string `json:"id"`
		} `json:"pages"`
	}
	code, raw, err := m.call(m.client, "GET", "/api/v1/modules/"+acc.slug, "", nil)
	if err == nil && code == 200 {
		err = json.Unmarshal(raw, &mod)
	}
	if err != nil || code != 200 || len(mod.Pages) == 0 {
		return nil, fmt.Errorf("module %s: %d %s %v", acc.slug, code, raw, err)
	}
	for _, p := range mod.Pages {
		m.pages = append(m.pages, p.ID)
	}
	m.answerer.token = acc.answererToken
	return m, nil
}

// measureClient is the measuring client: it does not follow redirects.
func measureClient() *http.Client {
	return &http.Client{Timeout: 5 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// scaleRequest is one request to send, and what to check of its answer.
type scaleRequest struct {
	client       *http.Client
	method, path string
	token        string
	cookie       string
	body         any
	want         int
	after        func(raw []byte) error // reads the answer (not timed)
}

// call sends one request, untimed, and returns its status and body.
func (m *scaleMeasure) call(c *http.Client, method, path, token string, body any) (int, []byte, error) {
	resp, err := m.send(scaleRequest{client: c, method: method, path: path, token: token, body: body})
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

func (m *scaleMeasure) send(r scaleRequest) (*http.Response, error) {
	var rd io.Reader
	if r.body != nil {
		raw, _ := json.Marshal(r.body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.method, m.url+r.path, rd)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "ardoise_session", Value: r.cookie})
	}
	return r.client.Do(req)
}

// run measures one kind: warmups, then up to o.requests requests, fewer
// once o.budget has passed (at least o.minRequests), or three times it (at
// least 3). Before each, the same person's authentication is refreshed by
// an untimed /api/v1/me, so that no measured request reads the account or
// token from the store (the services cache them 30 s).
func (m *scaleMeasure) run(kind string) (scaleFigures, error) {
	var lat []time.Duration
	var cmds []int
	var f scaleFigures
	start := time.Now()
	for i := 0; i < warmups+m.o.requests; i++ {
		n, spent := i-warmups, time.Since(start)
		if (n >= m.o.minRequests && spent > m.o.budget) || (n >= 3 && spent > 3*m.o.budget) {
			break
		}
		next := m.next
		if m.requests != nil {
			next = m.requests
		}
		r, err := next(kind, i)
		if err != nil {
			return f, err
		}
		if r.client == nil {
			r.client = m.client
		}
		if r.token != "" || r.cookie != "" {
			resp, err := m.send(scaleRequest{client: r.client, method: "GET", path: "/api/v1/me", token: r.token, cookie: r.cookie})
			if err != nil {
				return f, err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return f, fmt.Errorf("%s: /api/v1/me: %d", kind, resp.StatusCode)
			}
		}
		t0 := time.Now()
		resp, err := m.send(r)
		if err != nil {
			return f, err
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if err != nil {
			return f, err
		}
		if resp.StatusCode != r.want {
			if i < warmups {
				return f, fmt.Errorf("%s %s: %d, want %d: %.300s", r.method, r.path, resp.StatusCode, r.want, raw)
			}
			f.Errors++
		} else if r.after != nil {
			if err := r.after(raw); err != nil {
				return f, err
			}
		}
		if i < warmups {
			continue
		}
		lat = append(lat, d)
		c, _ := strconv.Atoi(resp.Header.Get("X-Store-Commands"))
		cmds = append(cmds, c)
	}
	errs := f.Errors
	f = figuresOf(lat, cmds)
	f.Errors = errs
	return f, nil
}

// figuresOf sums up measured latencies and store commands (at least one).
func figuresOf(lat []time.Duration, cmds []int) scaleFigures {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Ints(cmds)
	at := func(q int) float64 { return ms(lat[min(len(lat)-1, len(lat)*q/100)]) }
	return scaleFigures{N: len(lat), P50: ms(lat[len(lat)/2]), P95: at(95), P99: at(99),
		Commands: cmds[len(cmds)/2], CommandsMax: cmds[len(cmds)-1]}
}

// next prepares request i of a kind (what it needs first is done here, untimed).
func (m *scaleMeasure) next(kind string, i int) (scaleRequest, error) {
	a, fx := m.acc, m.fix
	switch kind {
	case "answer":
		return m.nextAnswer()
	case "test_start":
		if m.started != "" {
			if err := finishRunning(context.Background(), m.sys.DB, m.started); err != nil {
				return scaleRequest{}, err
			}
		}
		return scaleRequest{method: "POST", path: "/api/v1/assessments", token: a.starterToken, body: map[string]string{"framework": "crcn"},
			want: 201, after: func(raw []byte) error {
				var st testState
				if err := json.Unmarshal(raw, &st); err != nil {
					return err
				}
				m.started = st.ID
				return nil
			}}, nil
	case "result":
		return scaleRequest{method: "GET", path: "/api/v1/assessments/" + fx.resultID, token: a.learnerToken, want: 200}, nil
	case "page_view":
		m.viewed = m.pages[i%len(m.pages)]
		return scaleRequest{method: "POST", path: "/api/v1/enrolments/" + a.slug + "/views", token: a.learnerToken,
			body: map[string]any{"page": m.viewed, "js": true}, want: 200}, nil
	case "heartbeat":
		// After page_view's last view: the learner is on that page (viewed
		// here, untimed, when page_view was not measured).
		if m.viewed == "" {
			m.viewed = m.pages[0]
			if code, raw, err := m.call(m.client, "POST", "/api/v1/enrolments/"+a.slug+"/views", a.learnerToken,
				map[string]any{"page": m.viewed, "js": true}); err != nil || code != 200 {
				return scaleRequest{}, fmt.Errorf("view before heartbeats: %d %s %v", code, raw, err)
			}
		}
		return scaleRequest{method: "POST", path: "/api/v1/enrolments/" + a.slug + "/heartbeats", token: a.learnerToken,
			body: map[string]any{"page": m.viewed}, want: 200}, nil
	case "thread_page":
		return scaleRequest{method: "GET", path: "/api/v1/threads/" + fx.bigThread, token: a.learnerToken, want: 200}, nil
	case "thread_last_page":
		return scaleRequest{method: "GET", path: fmt.Sprintf("/api/v1/threads/%s?after=%d", fx.bigThread, fx.bigThreadPosts-20),
			token: a.learnerToken, want: 200}, nil
	case "space_threads":
		// The last page: the first is kept a few seconds in the process.
		return scaleRequest{method: "GET", path: "/api/v1/spaces/" + fx.bigSpace + "/threads?after=" + fx.spaceLastAfter,
			token: a.learnerToken, want: 200}, nil
	case "notifications":
		return scaleRequest{method: "GET", path: "/api/v1/notifications", token: a.learnerToken, want: 200}, nil
	case "profile":
		return scaleRequest{method: "GET", path: "/profil", cookie: a.learnerCookie, want: 200}, nil
	case "inspector_hours":
		// The big académie's last page document of hours (the cursor is a position in its list).
		return scaleRequest{method: "GET", path: "/api/v1/inspection/hours?after=" + fx.hoursLastAfter, token: a.inspectorToken, want: 200}, nil
	case "verify":
		return scaleRequest{client: m.visitors[(i/20)%len(m.visitors)], method: "GET",
			path: "/api/v1/certificates/" + fx.codes[(i*37)%len(fx.codes)], want: 200}, nil
	}
	return scaleRequest{}, fmt.Errorf("unknown kind %q", kind)
}

// nextAnswer answers the answerer's current question; a finished test is
// followed by a new one, started here (untimed).
func (m *scaleMeasure) nextAnswer() (scaleRequest, error) {
	c := &m.answerer
	if c.q == nil {
		code, raw, err := m.call(m.client, "POST", "/api/v1/assessments", c.token, map[string]string{"framework": "crcn"})
		if err != nil || (code != 201 && code != 200) {
			return scaleRequest{}, fmt.Errorf("start: %d %.300s %v", code, raw, err)
		}
		var st testState
		if err := json.Unmarshal(raw, &st); err != nil {
			return scaleRequest{}, err
		}
		c.testID, c.q = st.ID, st.Question
	}
	var ans any
	switch c.q.Type {
	case "qcu":
		ans = c.q.Proposals[0].ID
	case "qcm":
		ans = []string{c.q.Proposals[0].ID, c.q.Proposals[len(c.q.Proposals)-1].ID}
	case "qroc":
		ans = "réponse"
	default:
		f := map[string]string{}
		for _, fl := range c.q.Fields {
			f[fl.ID] = "réponse"
		}
		ans = f
	}
	return scaleRequest{method: "POST", path: "/api/v1/assessments/" + c.testID + "/answers", token: c.token,
		body: map[string]any{"challengeId": c.q.ID, "answer": ans}, want: 200, after: func(raw []byte) error {
			var st testState
			if err := json.Unmarshal(raw, &st); err != nil {
				return err
			}
			c.q = st.Question
			if st.State == "finished" {
				c.q = nil
			}
			return nil
		}}, nil
}
