package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/internal/boot"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

type apiClient struct {
	t     *testing.T
	env   *testenv.Env
	token string
	// header, when set, receives the headers of each response.
	header *http.Header
	// device, when set, is sent as a certification's device token.
	device string
}

func (a apiClient) call(method, path string, body any) (int, map[string]any, string) {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, a.env.URL+path, r)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if a.device != "" {
		req.Header.Set("X-Certification-Device", a.device)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	if a.header != nil {
		*a.header = resp.Header
	}
	raw, _ := io.ReadAll(resp.Body)
	m := map[string]any{}
	json.Unmarshal(raw, &m)
	return resp.StatusCode, m, string(raw)
}

func newAPIClient(t *testing.T, env *testenv.Env) apiClient {
	u := env.CreateUser(t, profile.RoleLearner)
	tok, _, err := env.Sys.Profile.CreateToken(testenv.Ctx(t), u, "test")
	if err != nil {
		t.Fatal(err)
	}
	return apiClient{t: t, env: env, token: tok}
}

func question(m map[string]any) map[string]any {
	q, _ := m["question"].(map[string]any)
	return q
}

// TestAssessmentAPIFlow runs a whole test through the API with every bad
// input on the way.
func TestAssessmentAPIFlow(t *testing.T) {
	cooldown := testenv.WithConfig(func(c *boot.Config) { c.RetryCooldown = 96 * time.Hour })
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		api := newAPIClient(t, env)
		status, _, raw := api.call("GET", "/api/v1/frameworks", nil)
		if status != 200 || !strings.Contains(raw, `"id":"crcn"`) || !strings.Contains(raw, `"id":"enseignants"`) || !strings.Contains(raw, `"id":"5.2"`) {
			t.Fatalf("frameworks: %d %.300s", status, raw)
		}
		for _, sc := range []struct {
			body string
			want int
			has  string
		}{
			{`{"framework":"pix"}`, 400, `"framework"`},
			{`{"framework":"crcn","competence":"9.9"}`, 400, `"competence"`},
			{`{"framework":42}`, 400, `"bad_type"`},
			{`[]`, 400, `"invalid"`},
		} {
			if status, _, raw := api.call("POST", "/api/v1/assessments", sc.body); status != sc.want || !strings.Contains(raw, sc.has) && !strings.Contains(raw, "framework") {
				t.Errorf("start %s: %d %.200s", sc.body, status, raw)
			}
		}
		status, m, raw := api.call("POST", "/api/v1/assessments", map[string]string{"framework": "crcn"})
		if status != 201 || m["state"] != "started" || question(m) == nil {
			t.Fatalf("start: %d %.300s", status, raw)
		}
		if strings.Contains(raw, "solution") || strings.Contains(raw, `"choice"`) || strings.Contains(raw, "answers") {
			t.Errorf("the question leaks its solution: %.400s", raw)
		}
		id := m["id"].(string)
		q := question(m)
		base := "/api/v1/assessments/" + id + "/answers"
		for _, sc := range []struct {
			name string
			body any
			want int
		}{
			{"wrong type", map[string]any{"challengeId": q["id"], "answer": 42}, 400},
			{"100 KB answer", map[string]any{"challengeId": q["id"], "answer": strings.Repeat("a", 100<<10)}, 400},
			{"another question", map[string]any{"challengeId": "crcn-autre", "answer": "a"}, 409},
			{"no challenge", map[string]any{"answer": "a"}, 400},
			{"not JSON", "réponse", 400},
		} {
			status, m, raw := api.call("POST", base, sc.body)
			if status != sc.want {
				t.Errorf("%s: %d, want %d: %.200s", sc.name, status, sc.want, raw)
			}
			if status == 409 && (m["test"] == nil || !strings.Contains(raw, q["id"].(string))) {
				t.Errorf("%s: 409 without the test's state: %.300s", sc.name, raw)
			}
		}
		if status, m, _ := api.call("GET", "/api/v1/assessments/"+id, nil); status != 200 || m["answered"].(float64) != 0 {
			t.Fatalf("bad inputs changed the test: %v", m)
		}
		// Through HTTP too, an answer costs two store commands.
		req, _ := http.NewRequest("POST", env.URL+base, strings.NewReader(`{"challengeId":"`+q["id"].(string)+`","skipped":true}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+api.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var afterOne map[string]any
		json.NewDecoder(resp.Body).Decode(&afterOne)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-Store-Commands") != "2" {
			t.Fatalf("answer over HTTP: %d, %s store commands", resp.StatusCode, resp.Header.Get("X-Store-Commands"))
		}
		q = question(afterOne)
		// A double submit is recorded once.
		var wg sync.WaitGroup
		codes := make(chan int, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, _, _ := api.call("POST", base, map[string]any{"challengeId": q["id"], "skipped": true})
				codes <- s
			}()
		}
		wg.Wait()
		close(codes)
		got := map[int]int{}
		for c := range codes {
			got[c]++
		}
		if got[200] != 1 || got[409] != 1 {
			t.Errorf("double submit: %v", got)
		}
		// Finish by skipping.
		var last map[string]any
		for i := 0; i < 40; i++ {
			_, cur, _ := api.call("GET", "/api/v1/assessments/"+id, nil)
			if cur["state"] == "finished" {
				last = cur
				break
			}
			s, _, raw := api.call("POST", base, map[string]any{"challengeId": question(cur)["id"], "skipped": true})
			if s != 200 {
				t.Fatalf("skip %d: %d %.200s", i, s, raw)
			}
		}
		if last == nil {
			t.Fatal("the test never finished")
		}
		res, _ := last["result"].(map[string]any)
		levels, _ := res["levels"].(map[string]any)
		ses, _ := res["standardErrors"].(map[string]any)
		if len(levels) != 16 || len(ses) != 16 || res["contentVersion"] == "" || res["framework"] != "crcn" || res["score"] == nil {
			t.Errorf("result: %v", res)
		}
		n := last["answered"].(float64)
		if n < 15 || n > 32 {
			t.Errorf("%v answers, want 15–32", n)
		}
		if status, _, raw := api.call("POST", base, map[string]any{"challengeId": "x", "skipped": true}); status != 409 || !strings.Contains(raw, "test_finished") {
			t.Errorf("answer after the end: %d %.200s", status, raw)
		}
		if status, _, raw := api.call("POST", "/api/v1/assessments", map[string]string{"framework": "crcn"}); status != 409 {
			t.Errorf("retry within the cool-down: %d %.200s", status, raw)
		}
		// Someone else cannot read it.
		other := newAPIClient(t, env)
		if status, _, _ := other.call("GET", "/api/v1/assessments/"+id, nil); status != 404 {
			t.Errorf("another user reads the test: %d", status)
		}
	}, cooldown)
}

// TestSimulatedExaminees: candidates of known ability answer full tests
// through the API; the estimate falls within two standard errors of the
// truth in at least 90 % of tests.
func TestSimulatedExaminees(t *testing.T) {
	env := testenv.New(t, testenv.WithConfig(func(c *boot.Config) { c.RetryCooldown = 0 }))
	api := newAPIClient(t, env)
	bank := env.Sys.Assessments.Bank()
	rng := rand.New(rand.NewPCG(7, 11))
	const tests = 30
	within := 0
	for i := 0; i < tests; i++ {
		theta := -2 + 4*rng.Float64()
		status, m, raw := api.call("POST", "/api/v1/assessments", map[string]string{"framework": "crcn"})
		if status != 201 {
			t.Fatalf("start %d: %d %.200s", i, status, raw)
		}
		id := m["id"].(string)
		for m["state"] == "started" {
			q := question(m)
			ch, _ := bank.Challenge(q["id"].(string))
			p := 1 / (1 + math.Exp(-ch.A*(theta-ch.B)))
			ans := ch.SampleAnswer(rng.Float64() < p)
			body := map[string]any{"challengeId": ch.ID, "answer": apiAnswerOf(ch, ans)}
			status, m, raw = api.call("POST", "/api/v1/assessments/"+id+"/answers", body)
			if status != 200 {
				t.Fatalf("answer: %d %.300s", status, raw)
			}
		}
		tt, err := env.Sys.Assessments.Test(testenv.Ctx(t), id, assessments.Owner{UserID: m2user(t, env, api)})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(tt.Result.Theta-theta) <= 2*tt.Result.SE {
			within++
		}
	}
	if within < tests*9/10 {
		t.Errorf("%d of %d estimates within 2 SE of the truth, want ≥ 90 %%", within, tests)
	}
	t.Logf("%d of %d estimates within 2 SE", within, tests)
}

func m2user(t *testing.T, env *testenv.Env, api apiClient) string {
	_, m, _ := api.call("GET", "/api/v1/me", nil)
	return m["id"].(string)
}

// apiAnswerOf writes an answer in the API's shape.
func apiAnswerOf(ch *assessments.Challenge, a assessments.Answer) any {
	switch ch.Type {
	case assessments.TypeQCU:
		return a.Choice
	case assessments.TypeQCM:
		return a.Choices
	case assessments.TypeQROC:
		return a.Text
	}
	return a.Fields
}
