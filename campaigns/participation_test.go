package campaigns_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// campaignFixture is a fresh store without worker or server, a trainer,
// and one of their campaigns on the CRCN with targets.
func campaignFixture(t *testing.T, title string, targets map[string]int) (*testenv.Env, *campaigns.Service, *profile.User, *campaigns.Campaign) {
	t.Helper()
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	trainer := env.CreateUser(t, profile.RoleTrainer)
	c, err := env.Sys.Campaigns.Create(testenv.Ctx(t), trainer, campaigns.NewCampaign{Title: title, Framework: "crcn", Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	return env, env.Sys.Campaigns, trainer, c
}

// joinAndFinish has u join the campaign of code and answer its test to
// the end, then runs the finish hook as the worker does.
func joinAndFinish(t *testing.T, env *testenv.Env, u *profile.User, code string) (*campaigns.Participation, *assessments.Test) {
	t.Helper()
	p, tt, err := env.Sys.Campaigns.Join(testenv.Ctx(t), u, code)
	if err != nil {
		t.Fatal(err)
	}
	tt = env.FinishTest(t, assessments.Owner{UserID: u.ID}, tt)
	if err := env.Sys.Campaigns.CountFinished(testenv.Ctx(t), tt); err != nil {
		t.Fatal(err)
	}
	return p, tt
}

func refused(err error) string {
	var r *errkind.RefusedError
	var d *errkind.DeniedError
	switch {
	case errors.As(err, &r):
		return r.Code
	case errors.As(err, &d):
		return d.Code
	}
	return fmt.Sprint(err)
}

// TestJoinShareCount: a teacher joins by code (in any case, with spaces),
// the test measures the target profile only, joining again resumes it;
// sharing needs a finished test, happens once, and the counters then hold
// joined, finished and shared, while an unshared participation reaches
// the organiser only as a join and a finish. A parent, an unknown code, a
// campaign not open yet or closed, and an unverified account each get
// their reason.
func TestJoinShareCount(t *testing.T) {
	env, svc, trainer, c := campaignFixture(t, "Avant la formation données", map[string]int{"1.1": 2, "4.2": 3})
	ctx := testenv.Ctx(t)
	teacher := env.CreateUser(t, profile.RoleLearner)
	p, tt, err := svc.Join(ctx, teacher, " "+c.Code[:4]+"-"+fmt.Sprintf("%s", c.Code[4:])+" ")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != tt.ID || !slices.Equal(tt.Scope.Competences, []string{"1.1", "4.2"}) || tt.Scope.Campaign != c.ID {
		t.Fatalf("participation %+v, test scope %+v", p, tt.Scope)
	}
	again, tt2, err := svc.Join(ctx, teacher, c.Code)
	if err != nil || again.ID != p.ID || tt2.ID != tt.ID {
		t.Fatalf("joining again: %v, %+v", err, again)
	}
	if _, err := svc.Share(ctx, teacher, p.ID); refused(err) != campaigns.CodeNotFinished {
		t.Fatalf("share before the end: %v", err)
	}
	tt = env.FinishTest(t, assessments.Owner{UserID: teacher.ID}, tt)
	bank := env.Sys.Assessments.Bank()
	for _, a := range tt.Answers {
		ch, _ := bank.Challenge(a.ChallengeID)
		if ch.Competence != "1.1" && ch.Competence != "4.2" {
			t.Errorf("the campaign's test asked %s of competence %s", ch.ID, ch.Competence)
		}
	}
	if err := svc.CountFinished(ctx, tt); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Share(ctx, env.CreateUser(t, profile.RoleLearner), p.ID); !errkind.IsNotFound(err) {
		t.Fatalf("someone else shares: %v", err)
	}
	if _, err := svc.Share(ctx, teacher, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Share(ctx, teacher, p.ID); refused(err) != campaigns.CodeAlreadyShared {
		t.Fatalf("sharing twice: %v", err)
	}
	// A second teacher finishes and does not share.
	quiet := env.CreateUser(t, profile.RoleLearner)
	q, _ := joinAndFinish(t, env, quiet, c.Code)
	for _, id := range []string{p.ID, q.ID, p.ID} {
		if err := svc.Count(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	r, err := svc.Results(ctx, trainer, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	k := r.Counters
	if k.Joined != 2 || k.Finished != 2 || k.Shared != 1 || len(r.Participants) != 1 || r.Participants[0].Name != teacher.Name {
		t.Fatalf("counters %d/%d/%d, participants %+v", k.Joined, k.Finished, k.Shared, r.Participants)
	}
	levels := 0
	for _, cc := range k.Competences {
		for _, n := range cc.ByLevel {
			levels += n
		}
	}
	if len(k.Competences) != 2 || levels != 2 {
		t.Errorf("the levels count the shared participation only: %+v", k.Competences)
	}
	if _, err := svc.Results(ctx, env.CreateUser(t, profile.RoleTrainer), c.ID, ""); !errkind.IsNotFound(err) {
		t.Errorf("another trainer reads the results: %v", err)
	}

	// Who may join, and when.
	parent, err := env.Sys.Profile.Create(ctx, profile.CreateInput{Role: profile.RoleLearner, RegisterInput: profile.RegisterInput{
		Email: "parent-campagne@test.ardoise.fr", Password: testenv.TestPassword, Name: "Un parent", Kind: string(profile.KindParent)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Join(ctx, parent, c.Code); refused(err) != campaigns.CodeAudience {
		t.Errorf("a parent joins a campaign not open to parents: %v", err)
	}
	open, err := svc.Create(ctx, trainer, campaigns.NewCampaign{Title: "Parents et écrans", Framework: "crcn",
		Targets: map[string]int{"2.1": 2}, OpenToParents: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Join(ctx, parent, open.Code); err != nil {
		t.Errorf("a parent joins a campaign open to parents: %v", err)
	}
	for _, code := range []string{"", "ABC", "AAAAAAAA", "ÉÉÉÉÉÉÉÉ", c.Code + "A"} {
		if _, _, err := svc.Join(ctx, teacher, code); refused(err) != campaigns.CodeUnknownCode {
			t.Errorf("code %q: %v", code, err)
		}
	}
	late := env.CreateUser(t, profile.RoleLearner)
	svc.SetNow(func() time.Time { return c.ClosesAt })
	if _, _, err := svc.Join(ctx, late, c.Code); refused(err) != campaigns.CodeClosed {
		t.Errorf("joining at the closing time: %v", err)
	}
	svc.SetNow(func() time.Time { return c.OpensAt.Add(-time.Minute) })
	if _, _, err := svc.Join(ctx, late, c.Code); refused(err) != campaigns.CodeNotOpen {
		t.Errorf("joining before the opening: %v", err)
	}
	svc.SetNow(func() time.Time { return time.Now().UTC() })
	unverified := env.CreateUnverified(t, profile.RoleLearner)
	u, _ := joinAndFinish(t, env, unverified, c.Code)
	if _, err := svc.Share(ctx, unverified, u.ID); refused(err) != errkind.CodeEmailUnverified {
		t.Errorf("an unverified account shares: %v", err)
	}
}

// TestCountIsExactUnderCrashes: shares at once, a worker killed after each
// step of a count, and counts run twice or never enqueued (the queue lost)
// leave the counters exact, equal to what `aggregates rebuild` computes.
func TestCountIsExactUnderCrashes(t *testing.T) {
	env, svc, trainer, c := campaignFixture(t, "Campagne sous tension", map[string]int{"3.1": 2})
	ctx := testenv.Ctx(t)
	const n = 6
	var ids []string
	for i := range n {
		u := env.CreateUser(t, profile.RoleLearner)
		p, tt := joinAndFinish(t, env, u, c.Code)
		if err := svc.CountFinished(ctx, tt); err != nil { // the hook runs twice
			t.Fatal(err)
		}
		// Two shares at once: one wins, the other is told it is done.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[j] = svc.Share(ctx, u, p.ID) }()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || refused(errors.Join(errs[0], errs[1])) != campaigns.CodeAlreadyShared {
			t.Fatalf("two shares at once: %v, %v", errs[0], errs[1])
		}
		ids = append(ids, p.ID)
		// The worker dies after one step of the count, a different one each time.
		step := []string{"seq", "page", "counters"}[i%3]
		crashed := false
		svc.SetFault(func(s string) error {
			if s == step && !crashed {
				crashed = true
				return errors.New("worker killed")
			}
			return nil
		})
		if i%2 == 0 {
			if err := svc.Count(ctx, p.ID); err == nil {
				t.Fatalf("participation %d: no crash after %s", i, step)
			}
		}
		svc.SetFault(nil)
	}
	// The queue is lost: the sweeper's second chance counts every marker
	// left, some twice, in another order.
	for _, i := range []int{5, 3, 1, 0, 2, 4, 3, 0} {
		if err := svc.Count(ctx, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	k, err := svc.Counters(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if k.Joined != n || k.Finished != n || k.Shared != n {
		t.Fatalf("counters %d/%d/%d, want %d each", k.Joined, k.Finished, k.Shared, n)
	}
	_, shared, err := svc.Shared(ctx, trainer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range shared {
		seen[e.Participation] = true
	}
	if len(shared) != n || len(seen) != n {
		t.Fatalf("%d shared entries, %d distinct, want %d", len(shared), len(seen), n)
	}
	rebuilt, err := svc.RebuildCampaign(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := campaigns.DiffCounters(k, rebuilt); d != "" {
		t.Fatalf("rebuild differs from the incremental counters: %s", d)
	}
}

// TestPairedGains: an "après" campaign pairs each person's first share
// with their first "avant" share made before it, on a fixture of known θ:
// gains of 0.5, 1, 1.5, 2 and 2.5 logits give a mean of 1.5 with the
// Student interval, and with four pairs the gain is not shown.
func TestPairedGains(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	ctx := testenv.Ctx(t)
	svc := env.Sys.Campaigns
	trainer := env.CreateUser(t, profile.RoleTrainer)
	targets := map[string]int{"1.1": 2}
	pre, err := svc.Create(ctx, trainer, campaigns.NewCampaign{Title: "Avant la session", Framework: "crcn", Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	post, err := svc.Create(ctx, trainer, campaigns.NewCampaign{Title: "Après la session", Framework: "crcn", Targets: targets,
		OpensAt: pre.OpensAt.Add(time.Hour), Before: pre.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, trainer, campaigns.NewCampaign{Title: "Après, autre profil", Framework: "crcn",
		Targets: map[string]int{"1.2": 2}, Before: pre.ID}); fieldCode(err, "before") != "before_other_profile" {
		t.Errorf("an après on another profile: %v", err)
	}
	base := time.Now().UTC().Truncate(time.Millisecond)
	put := func(c *campaigns.Campaign, user string, n int, theta float64, shared time.Time) {
		t.Helper()
		p := &campaigns.Participation{ID: fmt.Sprintf("%s-%s-%d", c.ID, user, n), CampaignID: c.ID, UserID: user,
			JoinedAt: base, FinishedAt: base, SharedAt: shared, Name: user,
			Levels: []campaigns.Level{{Competence: "1.1", Level: 2, Theta: theta}}}
		if err := svc.PutParticipation(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := svc.Count(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		user := fmt.Sprintf("u%d", i)
		put(pre, user, 0, -1, base.Add(time.Minute))
		put(pre, user, 1, 5, base.Add(2*time.Minute)) // a later "avant" share is not the pair
		put(post, user, 0, -1+0.5*float64(i+1), base.Add(time.Hour))
		put(post, user, 1, 9, base.Add(2*time.Hour)) // a second "après" share is not paired
	}
	put(post, "sans-avant", 0, 3, base.Add(time.Hour)) // nobody to pair with
	put(pre, "trop-tard", 0, 0, base.Add(3*time.Hour))
	put(post, "trop-tard", 0, 1, base.Add(2*time.Hour)) // shared before the "avant" one
	r, err := svc.Results(ctx, trainer, post.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	g := r.Counters.GainOf("1.1")
	want := campaigns.PairGain([]campaigns.Pair{{-1, -0.5}, {-1, 0}, {-1, 0.5}, {-1, 1}, {-1, 1.5}})
	if g.N != 5 || !g.Enough || abs(g.Mean-1.5) > 1e-9 || abs(g.Low-want.Low) > 1e-9 || abs(g.High-want.High) > 1e-9 {
		t.Fatalf("gain %+v, want %+v", g, want)
	}
	rebuilt, err := svc.RebuildCampaign(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := campaigns.DiffCounters(r.Counters, rebuilt); d != "" {
		t.Fatalf("rebuild differs: %s", d)
	}
	few := campaigns.GainSum{N: 4}
	if few.Gain().Enough {
		t.Error("a gain over 4 pairs is shown")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestErasureKeepsCountsWithoutThePerson: a person who erases their
// account disappears from the organiser's table (an erased entry stays at
// its rank), their participations lose their person, the counts do not
// move, and the rebuild still equals them.
func TestErasureKeepsCountsWithoutThePerson(t *testing.T) {
	env, svc, trainer, c := campaignFixture(t, "Campagne et effacement", map[string]int{"5.1": 2})
	ctx := testenv.Ctx(t)
	var leaving *profile.User
	for i := range 3 {
		u := env.CreateUser(t, profile.RoleLearner)
		p, _ := joinAndFinish(t, env, u, c.Code)
		if _, err := svc.Share(ctx, u, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.Count(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			leaving = u
		}
	}
	if exp, err := svc.ExportFor(ctx, leaving.ID); err != nil || len(exp) != 1 {
		t.Fatalf("export: %v, %+v", err, exp)
	}
	if err := svc.DeleteFor(ctx, leaving.ID); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Results(ctx, trainer, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	erased := 0
	for _, e := range r.Participants {
		if e.Name == leaving.Name {
			t.Errorf("the erased person's name is still shown: %+v", e)
		}
		if e.Erased && e.Name == "" {
			erased++
		}
	}
	if erased != 1 || r.Counters.Shared != 3 || len(r.Participants) != 3 {
		t.Fatalf("after erasure: %d erased entries, counters %+v, %d participants", erased, r.Counters.Shared, len(r.Participants))
	}
	if exp, _ := svc.ExportFor(ctx, leaving.ID); len(exp) != 0 {
		t.Errorf("the erased person still has %d participations", len(exp))
	}
	rebuilt, err := svc.RebuildCampaign(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := campaigns.DiffCounters(r.Counters, rebuilt); d != "" {
		t.Fatalf("rebuild after erasure: %s", d)
	}
}
