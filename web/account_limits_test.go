package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestLoginBackoffParallel: a burst of 60 parallel wrong guesses lets at
// most 5 reach the password check (every other one is a 429), and the right
// password sent after the burst is refused too.
func TestLoginBackoffParallel(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		try := func(password string) int {
			resp, err := http.Post(env.URL+"/api/v1/auth/token", "application/json",
				strings.NewReader(`{"email":"`+u.Email+`","password":"`+password+`"}`))
			if err != nil {
				t.Error(err)
				return 0
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode
		}
		var wg sync.WaitGroup
		statuses := make(chan int, 60)
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- try(fmt.Sprintf("mauvais mot de passe %d", i))
			}()
		}
		wg.Wait()
		close(statuses)
		checked := 0
		for st := range statuses {
			switch st {
			case http.StatusUnauthorized:
				checked++ // reached the password check
			case http.StatusTooManyRequests:
			default:
				t.Errorf("unexpected status %d", st)
			}
		}
		if checked > 5 {
			t.Errorf("%d of 60 parallel guesses reached the password check, want at most 5", checked)
		}
		if st := try(testenv.TestPassword); st != http.StatusTooManyRequests {
			t.Errorf("the right password after the burst: %d, want 429", st)
		}
		// The web form shares the counters.
		resp, body := env.PostForm(t, env.Client(), "/connexion", url.Values{"email": {u.Email}, "password": {testenv.TestPassword}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives") {
			t.Errorf("web login after the burst: %d", resp.StatusCode)
		}
	})
}

// TestLoginSuccessRollsBack: a right password takes back its own count, so
// a person who signs in often is never held back.
func TestLoginSuccessRollsBack(t *testing.T) {
	env := testenv.New(t)
	u := env.CreateUser(t, profile.RoleLearner)
	for i := range 12 {
		if _, err := env.Sys.Profile.Authenticate(testenv.Ctx(t), u.Email, testenv.TestPassword, "198.51.100.4"); err != nil {
			t.Fatalf("sign-in %d: %v", i+1, err)
		}
	}
}

// TestRegistrationLimits: 3 registrations a day per email address and 30
// an hour per client address, with 429, Retry-After and a French message.
func TestRegistrationLimits(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		register := func(email string) (int, string, http.Header) {
			body := `{"email":"` + email + `","password":"une phrase de passe","name":"Nouvelle Personne","kind":"teacher"}`
			resp, err := http.Post(env.URL+"/api/v1/auth/register", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(raw), resp.Header
		}
		// Per email address: the first creates the account, the next two are
		// refused as taken, the fourth is over the limit (no mail either way).
		for i, want := range []int{201, 400, 400} {
			if st, raw, _ := register("cible@exemple.fr"); st != want {
				t.Fatalf("registration %d for one address: %d %s", i+1, st, raw)
			}
		}
		st, raw, h := register("CIBLE@exemple.fr")
		if st != http.StatusTooManyRequests || !strings.Contains(raw, `"code":"rate_limited"`) || h.Get("Retry-After") == "" {
			t.Fatalf("4th registration for one address: %d %s (Retry-After %q)", st, raw, h.Get("Retry-After"))
		}
		// The form says so in French, with Retry-After.
		resp, body := env.PostForm(t, env.Client(), "/inscription", url.Values{"email": {"cible@exemple.fr"},
			"password": {"une phrase de passe"}, "name": {"Nouvelle Personne"}, "kind": {"teacher"}})
		if s, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != http.StatusTooManyRequests || s < 1 ||
			!strings.Contains(body, "Trop d&#39;inscriptions") || !strings.Contains(body, `name="email"`) {
			t.Fatalf("form over the limit: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// Per client address: 5 valid registrations so far; 25 more pass, the 31st not.
		for i := range 25 {
			if st, raw, _ := register(fmt.Sprintf("ecole-%d@exemple.fr", i)); st != http.StatusCreated {
				t.Fatalf("registration %d from one address: %d %s", i+6, st, raw)
			}
		}
		st, raw, h = register("une-de-trop@exemple.fr")
		if st != http.StatusTooManyRequests || !strings.Contains(raw, `"code":"rate_limited"`) || h.Get("Retry-After") == "" {
			t.Fatalf("31st registration from one address: %d %s", st, raw)
		}
		if _, err := env.Sys.Profile.FindUser(testenv.Ctx(t), "une-de-trop@exemple.fr"); err == nil {
			t.Error("the refused registration created an account")
		}
	})
}
