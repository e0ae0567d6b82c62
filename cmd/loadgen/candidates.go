package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// candidate is one simulated person with a token and a test in progress.
type candidate struct {
	token  string
	testID string
	q      *question
	acked  map[string]int // test id → answers acknowledged with 200
}

type question struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Proposals []struct {
		ID string `json:"id"`
	} `json:"proposals"`
	Fields []struct {
		ID string `json:"id"`
	} `json:"fields"`
}

type testState struct {
	ID       string    `json:"id"`
	State    string    `json:"state"`
	Answered int       `json:"answered"`
	Question *question `json:"question"`
}

type pool struct {
	url    string
	client *http.Client
	cands  []*candidate
	mu     sync.Mutex
	rng    *rand.Rand
}

func newPool(url string, n int) *pool {
	return &pool{url: url, client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n}},
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))}
}

// loadEmail is the address of account i of a run.
func loadEmail(run int64, i int) string { return fmt.Sprintf("charge-%d-%d@exemple.fr", run, i) }

// register creates account i of this run and returns an API token for it.
func (p *pool) register(run int64, i int) (string, error) {
	email := loadEmail(run, i)
	pw := "mot de passe de charge"
	body := map[string]any{"email": email, "password": pw, "name": fmt.Sprintf("Personne %d", i), "kind": "teacher"}
	if code, _, err := p.do("", "POST", "/api/v1/auth/register", body, nil); err != nil || code != 201 {
		return "", fmt.Errorf("register %s: %d %v", email, code, err)
	}
	var tok struct{ Token string }
	if code, _, err := p.do("", "POST", "/api/v1/auth/token", map[string]string{"email": email, "password": pw}, &tok); err != nil || code != 200 {
		return "", fmt.Errorf("token %s: %d %v", email, code, err)
	}
	return tok.Token, nil
}

func newCandidates(url string, n int) (*pool, error) {
	p := newPool(url, n)
	run := time.Now().UnixNano()
	for i := 0; i < n; i++ {
		tok, err := p.register(run, i)
		if err != nil {
			return nil, err
		}
		c := &candidate{token: tok, acked: map[string]int{}}
		if err := p.start(c); err != nil {
			return nil, err
		}
		p.cands = append(p.cands, c)
	}
	return p, nil
}

// do sends a request; hdr, when given, receives the response's headers.
func (p *pool) do(token, method, path string, body, out any, hdr ...*http.Header) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, p.url+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if len(hdr) > 0 {
		*hdr[0] = resp.Header
	}
	raw, err := io.ReadAll(resp.Body)
	if err == nil && out != nil && resp.StatusCode < 300 {
		err = json.Unmarshal(raw, out)
	}
	return resp.StatusCode, raw, err
}

func (p *pool) start(c *candidate) error {
	var st testState
	code, raw, err := p.do(c.token, "POST", "/api/v1/assessments", map[string]string{"framework": "crcn"}, &st)
	if err != nil || (code != 201 && code != 200) {
		return fmt.Errorf("start: %d %s %v (is ARDOISE_RETRY_COOLDOWN=0?)", code, raw, err)
	}
	c.testID, c.q = st.ID, st.Question
	return nil
}

// answer sends candidate w's answer to its current question (a random
// proposal or text: the load, not the score, is what is measured).
func (p *pool) answer(w int) error {
	c := p.cands[w]
	if c.q == nil {
		return p.start(c)
	}
	p.mu.Lock()
	var ans any
	switch c.q.Type {
	case "qcu":
		ans = c.q.Proposals[p.rng.IntN(len(c.q.Proposals))].ID
	case "qcm":
		ans = []string{c.q.Proposals[0].ID, c.q.Proposals[len(c.q.Proposals)-1].ID}
	case "qroc":
		ans = "réponse"
	default:
		m := map[string]string{}
		for _, f := range c.q.Fields {
			m[f.ID] = "réponse"
		}
		ans = m
	}
	p.mu.Unlock()
	var st testState
	code, raw, err := p.do(c.token, "POST", "/api/v1/assessments/"+c.testID+"/answers", map[string]any{"challengeId": c.q.ID, "answer": ans}, &st)
	if err != nil {
		return err
	}
	if code != 200 {
		return fmt.Errorf("answer: %d %s", code, raw)
	}
	c.acked[c.testID]++
	if st.State == "finished" {
		c.q = nil // the next offer starts a new test
	} else {
		c.q = st.Question
	}
	return nil
}

// verify compares, for every test, the answers acknowledged with the
// answers stored.
func (p *pool) verify() (lost, dup int, err error) {
	for _, c := range p.cands {
		for id, n := range c.acked {
			var st testState
			code, raw, err := p.do(c.token, "GET", "/api/v1/assessments/"+id, nil, &st)
			if err != nil || code != 200 {
				return 0, 0, fmt.Errorf("get %s: %d %s %v", id, code, raw, err)
			}
			if st.Answered < n {
				lost += n - st.Answered
			}
			if st.Answered > n {
				dup += st.Answered - n
			}
		}
	}
	return lost, dup, nil
}

// tally counts, per kind of request, how many store commands each cost
// (the X-Store-Commands header).
type tally struct {
	mu sync.Mutex
	m  map[string]map[string]int
}

// seen says, and forgets, how many commands a kind of request cost, e.g. "2×340 1×12".
func (t *tally) seen(kind string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var parts []string
	for n, count := range t.m[kind] {
		parts = append(parts, fmt.Sprintf("%s×%d", n, count))
	}
	sort.Strings(parts)
	delete(t.m, kind)
	return strings.Join(parts, " ")
}

// measured sends a request that must answer 200 and tallies its store commands.
func (p *pool) measured(t *tally, kind, token, method, path string, body any) error {
	var h http.Header
	code, raw, err := p.do(token, method, path, body, nil, &h)
	if err != nil {
		return err
	}
	if code != 200 {
		return fmt.Errorf("%s %s: %d %s", method, path, code, raw)
	}
	t.mu.Lock()
	if t.m == nil {
		t.m = map[string]map[string]int{}
	}
	if t.m[kind] == nil {
		t.m[kind] = map[string]int{}
	}
	t.m[kind][h.Get("X-Store-Commands")]++
	t.mu.Unlock()
	return nil
}
