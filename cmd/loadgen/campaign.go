package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"ardoise/campaigns"
	"ardoise/internal/boot"
	"ardoise/internal/database"
	"ardoise/profile"
)

// The campaign scenario (issue 14): Ardoise started in this process on a
// fresh database of the backend, one trainer's campaign of --participants
// participations of which --shared are shared, its counters and shared
// pages built by RebuildCampaign; then, one request at a time with
// authentication cached, the organiser's dashboard (GET
// /api/v1/campaigns/:id/results, newest page and oldest page), the
// dashboard page /suivi/campagnes/:id when the route exists, and --shares
// sharings (POST /api/v1/participations/:id/share), each followed by the
// worker's count (Service.Count, called here with its store commands
// counted).
//
//	go run ./cmd/loadgen --scenario campaign --backend postgres|sqlite --participants 20000 --shared 12000 [--json]

// campaignOptions are the campaign scenario's flags.
type campaignOptions struct {
	backend              string
	participants, shared int
	shares               int // sharings measured (one more is the warm-up)
	measure              scaleOptions
	json                 bool
}

// campaignReport is the scenario's figures.
type campaignReport struct {
	Backend      string `json:"backend"`
	Participants int    `json:"participants"`
	Finished     int    `json:"finished"`
	Shared       int    `json:"shared"`
	SharedPages  int    `json:"shared_pages"`
	// PrefillSeconds is the bulk insert of participations and member
	// lists; RebuildSeconds is RebuildCampaign (counters and pages).
	PrefillSeconds float64 `json:"prefill_seconds"`
	RebuildSeconds float64 `json:"rebuild_seconds"`
	// Requests are results_first, results_deep, share and, when the
	// route exists, dashboard_page.
	Requests map[string]scaleFigures `json:"requests"`
	// DashboardPage says why dashboard_page was not measured.
	DashboardPage string `json:"dashboard_page,omitempty"`
	// Count is the worker's count of each measured sharing.
	Count scaleFigures `json:"count"`
	// SharedAfter is the counters' Shared once the sharings are counted.
	SharedAfter int `json:"shared_after"`
}

// campaignKinds are the requests measured, in order.
var campaignKinds = []string{"results_first", "results_deep", "dashboard_page", "share"}

func runCampaign(o campaignOptions) {
	rep, err := campaignRun(o, os.Stderr)
	if err != nil {
		fail("campaign: %v", err)
	}
	if o.json {
		if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
			fail("%v", err)
		}
		return
	}
	printCampaign(os.Stdout, rep)
}

// campaignRun prefills and measures; progress goes to log.
func campaignRun(o campaignOptions, log io.Writer) (*campaignReport, error) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, stop, err := startStore(o.backend, logger)
	if err != nil {
		return nil, err
	}
	defer stop()
	ctx := context.Background()
	dbName := fmt.Sprintf("camp%d%d", o.participants, time.Now().UnixNano()%1e9)
	fmt.Fprintf(log, "loadgen: campaign of %d participants (%d shared) on %s, database %s\n", o.participants, o.shared, o.backend, dbName)
	sys, closeSys, err := openSystem(ctx, store, dbName, logger)
	if err != nil {
		return nil, err
	}
	defer closeSys()
	f, err := campaignFixture(ctx, sys, o.shares+warmups)
	if err != nil {
		return nil, err
	}
	rep := &campaignReport{Backend: o.backend, Participants: o.participants, Requests: map[string]scaleFigures{}}
	t0 := time.Now()
	pre, err := prefillCampaign(ctx, sys.DB, f.campaign, campaignPlan{participants: o.participants, shared: o.shared, sharers: f.sharerIDs()}, log)
	if err != nil {
		return nil, err
	}
	rep.Finished, f.fresh = pre.finished, pre.fresh
	if _, err := store.Tune(ctx, dbName); err != nil {
		return nil, fmt.Errorf("tune: %w", err)
	}
	if o.backend == "postgres" {
		if err := analyzePostgres(ctx, os.Getenv("ARDOISE_POSTGRES_URL"), dbName); err != nil {
			return nil, err
		}
	}
	rep.PrefillSeconds = time.Since(t0).Seconds()
	t1 := time.Now()
	k, err := sys.Campaigns.RebuildCampaign(ctx, f.campaign.ID)
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	rep.RebuildSeconds = time.Since(t1).Seconds()
	if k.Joined != o.participants || k.Finished != pre.finished || k.Shared != o.shared {
		return nil, fmt.Errorf("rebuilt counters: %d joined, %d finished, %d shared; want %d, %d, %d",
			k.Joined, k.Finished, k.Shared, o.participants, pre.finished, o.shared)
	}
	rep.Shared, rep.SharedPages = k.Shared, (k.Shared+campaigns.PageSize-1)/campaigns.PageSize
	fmt.Fprintf(log, "  prefill %.1f s, rebuild %.1f s: %d joined, %d finished, %d shared in %d pages\n",
		rep.PrefillSeconds, rep.RebuildSeconds, k.Joined, k.Finished, k.Shared, rep.SharedPages)
	url, stopWeb, err := serveWeb(sys)
	if err != nil {
		return nil, err
	}
	defer stopWeb()
	m := &scaleMeasure{url: url, client: measureClient(), o: o.measure}
	m.requests = f.requests(m, o.shared)
	for _, kind := range campaignKinds {
		n := o.measure.requests
		if kind == "share" {
			m.o.requests, m.o.minRequests = o.shares, min(o.shares, m.o.minRequests)
		}
		if kind == "dashboard_page" {
			if why := f.pageAbsent(m); why != "" {
				rep.DashboardPage = why
				fmt.Fprintf(log, "  %-15s not measured: %s\n", kind, why)
				continue
			}
		}
		fig, err := m.run(kind)
		m.o.requests = n
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
		rep.Requests[kind] = fig
		fmt.Fprintf(log, "  %-15s p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  commands %d (max %d)  n=%d errors %d\n",
			kind, fig.P50, fig.P95, fig.P99, fig.Commands, fig.CommandsMax, fig.N, fig.Errors)
	}
	if rep.Count, err = countShared(ctx, sys, f.sharedIDs); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "  %-15s p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  commands %d (max %d)  n=%d\n",
		"count", rep.Count.P50, rep.Count.P95, rep.Count.P99, rep.Count.Commands, rep.Count.CommandsMax, rep.Count.N)
	r, err := sys.Campaigns.Results(ctx, f.organiser, f.campaign.ID, "")
	if err != nil {
		return nil, err
	}
	if rep.SharedAfter = r.Counters.Shared; rep.SharedAfter != o.shared+len(f.sharedIDs) {
		return nil, fmt.Errorf("after counting %d sharings the counters hold %d shared, want %d", len(f.sharedIDs), rep.SharedAfter, o.shared+len(f.sharedIDs))
	}
	return rep, nil
}

// countShared runs the worker's count of each shared participation, in
// order, and measures it (the first is a warm-up); Count's store commands
// are counted through its context.
func countShared(ctx context.Context, sys *boot.System, ids []string) (scaleFigures, error) {
	var lat []time.Duration
	var cmds []int
	for i, id := range ids {
		cctx, n := database.WithCounter(ctx)
		t0 := time.Now()
		if err := sys.Campaigns.Count(cctx, id); err != nil {
			return scaleFigures{}, fmt.Errorf("count %s: %w", id, err)
		}
		if i >= warmups {
			lat, cmds = append(lat, time.Since(t0)), append(cmds, int(n.Load()))
		}
	}
	if len(lat) == 0 {
		return scaleFigures{}, fmt.Errorf("no sharing to count")
	}
	return figuresOf(lat, cmds), nil
}

// printCampaign writes the figures as a table.
func printCampaign(w io.Writer, r *campaignReport) {
	fmt.Fprintf(w, "\ncampaign on %s: %d participants, %d finished, %d shared in %d pages; prefill %.1f s, rebuild %.1f s\n",
		r.Backend, r.Participants, r.Finished, r.Shared, r.SharedPages, r.PrefillSeconds, r.RebuildSeconds)
	fmt.Fprintf(w, "%-15s %8s %8s %8s %9s %5s %5s\n", "request", "p50 ms", "p95 ms", "p99 ms", "commands", "max", "n")
	row := func(k string, f scaleFigures) {
		fmt.Fprintf(w, "%-15s %8.1f %8.1f %8.1f %9d %5d %5d\n", k, f.P50, f.P95, f.P99, f.Commands, f.CommandsMax, f.N)
	}
	for _, k := range campaignKinds {
		if f, ok := r.Requests[k]; ok {
			row(k, f)
		}
	}
	row("count (worker)", r.Count)
	if r.DashboardPage != "" {
		fmt.Fprintf(w, "dashboard_page not measured: %s\n", r.DashboardPage)
	}
	fmt.Fprintf(w, "counters after the sharings: %d shared\n", r.SharedAfter)
}

// campaignFixtures are the campaign measured and the people acting on it.
type campaignFixtures struct {
	organiser *profile.User
	campaign  *campaigns.Campaign
	token     string // the organiser's API token
	cookie    string // the organiser's session, for the dashboard page
	sharers   []campaignSharer
	fresh     []string // the sharers' participations, in sharers' order
	sharedIDs []string // those shared so far
}

// campaignSharer is a measured person and their API token.
type campaignSharer struct {
	user  *profile.User
	token string
}

func (f *campaignFixtures) sharerIDs() []string {
	ids := make([]string, len(f.sharers))
	for i, s := range f.sharers {
		ids[i] = s.user.ID
	}
	return ids
}

// campaignFixture makes, through the services, the organiser (a trainer),
// their campaign on six CRCN competences with target levels 3–5, open for
// a month already, and n sharers.
func campaignFixture(ctx context.Context, sys *boot.System, n int) (*campaignFixtures, error) {
	f := &campaignFixtures{}
	run := time.Now().UnixNano()
	mk := func(what string, r profile.Role) (*profile.User, string, error) {
		return makeAccount(ctx, sys, what, r, run)
	}
	var err error
	if f.organiser, f.token, err = mk("formateur", profile.RoleTrainer); err != nil {
		return nil, err
	}
	f.cookie, _ = sys.Profile.NewSession(f.organiser)
	for i := range n {
		u, tok, err := mk(fmt.Sprintf("partage%03d", i), profile.RoleLearner)
		if err != nil {
			return nil, err
		}
		f.sharers = append(f.sharers, campaignSharer{user: u, token: tok})
	}
	crcn, ok := sys.Assessments.Bank().Framework("crcn")
	if !ok {
		return nil, fmt.Errorf("no CRCN framework")
	}
	targets := map[string]int{}
	for i := 0; i < len(crcn.Competences) && len(targets) < 6; i += 2 {
		targets[crcn.Competences[i].ID] = 3 + len(targets)%3
	}
	now := time.Now().UTC()
	f.campaign, err = sys.Campaigns.Create(ctx, f.organiser, campaigns.NewCampaign{Title: "Campagne de charge", Framework: "crcn",
		Targets: targets, OpensAt: now.Add(-31 * 24 * time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour)})
	if err != nil {
		return nil, fmt.Errorf("campaign: %w", err)
	}
	return f, nil
}

// requests prepares the campaign kinds' requests for m.
func (f *campaignFixtures) requests(m *scaleMeasure, shared int) func(kind string, i int) (scaleRequest, error) {
	// The newest page holds what the last full page left over.
	results := func(path string, entries int) scaleRequest {
		return scaleRequest{method: "GET", path: path, token: f.token, want: 200, after: func(raw []byte) error {
			var r struct {
				Shared       int   `json:"shared"`
				Participants []any `json:"participants"`
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				return err
			}
			if r.Shared != shared || len(r.Participants) != entries {
				return fmt.Errorf("%s: %d shared, %d participants on the page", path, r.Shared, len(r.Participants))
			}
			return nil
		}}
	}
	base := "/api/v1/campaigns/" + f.campaign.ID + "/results"
	return func(kind string, i int) (scaleRequest, error) {
		switch kind {
		case "results_first":
			return results(base, (shared-1)%campaigns.PageSize+1), nil
		case "results_deep":
			return results(base+"?after=0", min(shared, campaigns.PageSize)), nil // the oldest page
		case "dashboard_page":
			return scaleRequest{method: "GET", path: "/suivi/campagnes/" + f.campaign.ID, cookie: f.cookie, want: 200}, nil
		case "share":
			if i >= len(f.fresh) {
				return scaleRequest{}, fmt.Errorf("share %d: only %d participations to share", i, len(f.fresh))
			}
			id := f.fresh[i]
			return scaleRequest{method: "POST", path: "/api/v1/participations/" + id + "/share", token: f.sharers[i].token, want: 200,
				after: func([]byte) error {
					f.sharedIDs = append(f.sharedIDs, id)
					return nil
				}}, nil
		}
		return scaleRequest{}, fmt.Errorf("unknown kind %q", kind)
	}
}

// pageAbsent tries the dashboard page once: "" when it answers 200.
func (f *campaignFixtures) pageAbsent(m *scaleMeasure) string {
	resp, err := m.send(scaleRequest{client: m.client, method: "GET", path: "/suivi/campagnes/" + f.campaign.ID, cookie: f.cookie})
	if err != nil {
		return err.Error()
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Sprintf("GET /suivi/campagnes/:id answered %d (the page is not built in this tree)", resp.StatusCode)
	}
	return ""
}
