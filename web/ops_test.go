package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"ardoise/internal/boot"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestOpsEndpointsForOperatorsOnly: without an operations network, only an
// admin reads /metrics, the reason /readyz fails and X-Store-Commands;
// anonymous callers learn nothing of the inside.
func TestOpsEndpointsForOperatorsOnly(t *testing.T) {
	env := testenv.New(t, testenv.WithOwnRedis(), testenv.WithoutWorker(),
		testenv.WithConfig(func(c *boot.Config) { c.OpsNetworks = nil }))
	admin := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	learner := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	fetch := func(c *http.Client, path string) (*http.Response, string) {
		t.Helper()
		if c == nil {
			c = http.DefaultClient
		}
		resp, err := c.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for name, c := range map[string]*http.Client{"anonymous": nil, "learner": learner} {
		if resp, body := fetch(c, "/metrics"); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "ardoise_") {
			t.Errorf("%s: /metrics %d", name, resp.StatusCode)
		}
		if resp, _ := fetch(c, "/profil"); resp.Header.Get("X-Store-Commands") != "" {
			t.Errorf("%s: X-Store-Commands shown", name)
		}
	}
	if resp, body := fetch(admin, "/metrics"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "ardoise_") {
		t.Errorf("admin: /metrics %d", resp.StatusCode)
	}
	if resp, _ := fetch(admin, "/profil"); resp.Header.Get("X-Store-Commands") == "" {
		t.Errorf("admin: no X-Store-Commands")
	}
	// The queue goes away: everyone learns that, not why.
	env.Redis.Stop()
	resp, body := fetch(nil, "/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable || body != "not ready" {
		t.Errorf("anonymous /readyz: %d %q", resp.StatusCode, body)
	}
}

// TestOpsNetwork: a client in ARDOISE_OPS_NETWORKS reads them without an account.
func TestOpsNetwork(t *testing.T) {
	env := testenv.New(t, testenv.WithOwnRedis(), testenv.WithoutWorker()) // testenv puts 127.0.0.0/8 in the operations networks
	resp, err := http.Get(env.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Store-Commands") == "" {
		t.Errorf("/metrics from the operations network: %d, X-Store-Commands %q", resp.StatusCode, resp.Header.Get("X-Store-Commands"))
	}
	env.Redis.Stop()
	resp, err = http.Get(env.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "queue: ") {
		t.Errorf("/readyz from the operations network: %d %q", resp.StatusCode, b)
	}
}
