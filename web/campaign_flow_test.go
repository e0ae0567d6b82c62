package web_test

import (
	"strings"
	"testing"
	"time"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestCampaignFlowThroughTheWorker: through the API and the real worker, a
// teacher joins by code, answers the campaign's test to its end, shares,
// and the organiser's results then count one shared participation with
// its levels; before the share, the organiser sees a join and a finish and
// no name; the participation cannot be shared twice nor by someone else.
func TestCampaignFlowThroughTheWorker(t *testing.T) {
	env := testenv.New(t)
	trainerUser := env.CreateUser(t, profile.RoleTrainer)
	trainer := apiClientFor(t, env, trainerUser)
	st, body, raw := trainer.call("POST", "/api/v1/campaigns", map[string]any{"title": "Avant la formation",
		"framework": "crcn", "targets": map[string]int{"1.1": 2, "3.1": 3}})
	if st != 201 {
		t.Fatalf("create: %d %s", st, raw)
	}
	id, code := body["id"].(string), body["code"].(string)
	teacherUser := env.CreateUser(t, profile.RoleLearner)
	teacher := apiClientFor(t, env, teacherUser)
	st, body, raw = teacher.call("POST", "/api/v1/campaigns/join", map[string]any{"code": strings.ToLower(code)})
	if st != 201 {
		t.Fatalf("join: %d %s", st, raw)
	}
	pid := body["participation"].(map[string]any)["id"].(string)
	test := body["test"].(map[string]any)
	if test["id"] != pid || question(test) == nil {
		t.Fatalf("join: %s", raw)
	}
	for i := 0; test["state"] != "finished"; i++ {
		if i > 40 {
			t.Fatal("the campaign's test never finished")
		}
		st, test, raw = teacher.call("POST", "/api/v1/assessments/"+pid+"/answers", map[string]any{"challengeId": question(test)["id"], "skipped": true})
		if st != 200 {
			t.Fatalf("answer %d: %d %s", i, st, raw)
		}
	}
	levels := test["result"].(map[string]any)["levels"].(map[string]any)
	if len(levels) != 2 || levels["1.1"] == nil || levels["3.1"] == nil {
		t.Fatalf("the campaign's test measured %v", levels)
	}
	env.DrainQueues(t, 30*time.Second)
	st, body, raw = trainer.call("GET", "/api/v1/campaigns/"+id+"/results", nil)
	if st != 200 || body["joined"].(float64) != 1 || body["finished"].(float64) != 1 || body["shared"].(float64) != 0 ||
		strings.Contains(raw, teacherUser.Name) {
		t.Fatalf("before the share: %d %s", st, raw)
	}
	other := apiClientFor(t, env, env.CreateUser(t, profile.RoleLearner))
	if st, _, raw = other.call("POST", "/api/v1/participations/"+pid+"/share", nil); st != 404 {
		t.Fatalf("someone else shares: %d %s", st, raw)
	}
	if st, _, raw = teacher.call("POST", "/api/v1/participations/"+pid+"/share", nil); st != 200 {
		t.Fatalf("share: %d %s", st, raw)
	}
	if st, _, raw = teacher.call("POST", "/api/v1/participations/"+pid+"/share", nil); st != 422 || !strings.Contains(raw, "campaign_already_shared") {
		t.Fatalf("share again: %d %s", st, raw)
	}
	env.DrainQueues(t, 30*time.Second)
	st, body, raw = trainer.call("GET", "/api/v1/campaigns/"+id+"/results", nil)
	if st != 200 || body["shared"].(float64) != 1 || !strings.Contains(raw, teacherUser.Name) || !strings.Contains(raw, `"byLevel"`) {
		t.Fatalf("after the share: %d %s", st, raw)
	}
	if st, _, raw = teacher.call("GET", "/api/v1/campaigns/"+id+"/results", nil); st != 404 {
		t.Fatalf("a participant reads the results: %d %s", st, raw)
	}
}
