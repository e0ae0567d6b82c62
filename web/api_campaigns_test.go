package web_test

import (
	"strings"
	"testing"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestCampaignAPI: a trainer creates a campaign (201 with its id and
// code), lists it and reads it with the contract's fields; another trainer
// does not see it; a learner may not create one; bad input gets a field
// error in French.
func TestCampaignAPI(t *testing.T) {
	env := testenv.New(t)
	trainer := apiClientFor(t, env, env.CreateUser(t, profile.RoleTrainer))
	st, body, raw := trainer.call("POST", "/api/v1/campaigns", map[string]any{"title": "Avant la formation", "framework": "crcn",
		"targets": map[string]int{"1.1": 3, "4.1": 2}, "closesAt": "2027-06-30T18:00:00Z"})
	if st != 201 || body["id"] == nil || len(body["code"].(string)) != 8 {
		t.Fatalf("create: %d %s", st, raw)
	}
	id := body["id"].(string)
	st, _, raw = trainer.call("GET", "/api/v1/campaigns/"+id, nil)
	for _, want := range []string{`"targets":{"1.1":3,"4.1":2}`, `"closesAt":"2027-06-30T18:00:00Z"`, `"organiserRole":"trainer"`, `"openToParents":false`} {
		if st != 200 || !strings.Contains(raw, want) {
			t.Fatalf("read: %d, %s not in %s", st, want, raw)
		}
	}
	if st, _, raw = trainer.call("GET", "/api/v1/campaigns", nil); st != 200 || !strings.Contains(raw, id) {
		t.Fatalf("list: %d %s", st, raw)
	}
	other := apiClientFor(t, env, env.CreateUser(t, profile.RoleTrainer))
	if st, _, raw = other.call("GET", "/api/v1/campaigns/"+id, nil); st != 404 {
		t.Fatalf("another trainer reads it: %d %s", st, raw)
	}
	if st, _, raw = other.call("GET", "/api/v1/campaigns", nil); st != 200 || strings.TrimSpace(raw) != "[]" {
		t.Fatalf("another trainer's list: %d %s", st, raw)
	}
	learner := apiClientFor(t, env, env.CreateUser(t, profile.RoleLearner))
	if st, _, raw = learner.call("POST", "/api/v1/campaigns", map[string]any{"title": "Une campagne", "framework": "crcn"}); st != 403 {
		t.Fatalf("a learner creates: %d %s", st, raw)
	}
	st, _, raw = trainer.call("POST", "/api/v1/campaigns", map[string]any{"title": "Une campagne", "framework": "crcn", "targets": map[string]int{"1.1": 12}})
	if st != 400 || !strings.Contains(raw, "Un niveau visé va de 1 à 8.") {
		t.Fatalf("a bad target level: %d %s", st, raw)
	}
}
