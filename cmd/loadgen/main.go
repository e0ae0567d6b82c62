// Command loadgen offers answers to a running Ardoise at fixed rates (open
// loop) from simulated candidates, and measures the same rate on the raw
// store (one findOne plus one conditional updateOne by _id) for comparison.
//
//	loadgen --url http://127.0.0.1:8080 --mongodb-uri mongodb://127.0.0.1:27017/ardoise \
//	        --prefill 10000 --candidates 64 --rates 50,100,200 --duration 15s
//
// Run the server with ARDOISE_RETRY_COOLDOWN=0 so candidates can start again,
// and with ARDOISE_OPS_NETWORKS=127.0.0.1/32 so that it tells the load
// generator the store commands each request cost (X-Store-Commands), and
// ARDOISE_REGISTRATIONS_PER_IP raised above the accounts it registers. Its
// accounts are verified through --mongodb-uri (enrolling and posting need
// a verified address).
//
// With --scenario forum, a forum of --threads threads of --posts-per-thread
// posts is prefilled, then thread pages, space lists (first pages and deep
// ones) and posts are measured, each next to the raw store doing the same
// commands.
//
// With --scenario scale, Ardoise is started in this process on a fresh
// database for each of --sizes, prefilled to that size, and each hot request
// is measured (scale.go):
//
//	loadgen --scenario scale --backend sqlite|postgres --sizes 10000,100000 --json [--untuned]
//
// With --scenario campaign, Ardoise is started in this process likewise,
// one campaign of --participants participations (--shared shared) is
// prefilled with its counters and shared pages, and the organiser's
// dashboard, sharing and the worker's count are measured (campaign.go):
//
//	loadgen --scenario campaign --backend postgres|sqlite --participants 20000 --shared 12000 [--shares 50] [--json]
//
// With --scenario learn, learners follow a published module instead: page
// views and heartbeats are measured at each rate (with the store commands
// each cost, from the X-Store-Commands header), then the raw store doing
// the same commands (findOne plus updateOne by _id on enrolments).
//
//	loadgen --scenario learn --module rgpd-en-classe --prefill 20000 --candidates 50 --rates 100,200
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"ardoise/campaigns"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "Ardoise base URL")
	mongoURI := flag.String("mongodb-uri", "", "store URI, for --prefill and the raw-store comparison")
	prefill := flag.Int("prefill", 0, "ensure at least this many finished tests in the store first")
	candidates := flag.Int("candidates", 64, "simulated candidates (the concurrency)")
	rates := flag.String("rates", "25,50,100", "answers per second to offer, one run each")
	duration := flag.Duration("duration", 15*time.Second, "length of each run")
	skipRaw := flag.Bool("skip-raw", false, "do not measure the raw store")
	scenario := flag.String("scenario", "answers", "answers (positioning tests), learn (module page views and heartbeats), forum, scale, campaign (a campaign's dashboard and sharing) or calibration (the weekly calibration over --sizes stored answers)")
	module := flag.String("module", "rgpd-en-classe", "with --scenario learn: the published module followed")
	threads := flag.Int("threads", 5000, "with --scenario forum: threads to prefill in the parents' space")
	postsPerThread := flag.Int("posts-per-thread", 20, "with --scenario forum: posts per prefilled thread")
	backend := flag.String("backend", "sqlite", "with --scenario scale, campaign or calibration: sqlite or postgres (ARDOISE_POSTGRES_URL)")
	sizes := flag.String("sizes", "10000,100000", "with --scenario scale: documents per large collection, one run each")
	jsonOut := flag.Bool("json", false, "with --scenario scale or campaign: print one JSON object")
	untuned := flag.Bool("untuned", false, "with --scenario scale: also run each size without Ardoise's FerretDB indexes")
	requests := flag.Int("requests", 200, "with --scenario scale or campaign: requests measured per kind")
	budget := flag.Duration("budget", time.Minute, "with --scenario scale or campaign: time after which a kind stops early (see --min-requests)")
	minRequests := flag.Int("min-requests", 5, "with --scenario scale or campaign: requests measured per kind at least, past --budget (3 past three times it)")
	kinds := flag.String("kinds", "", "with --scenario scale: the kinds of request to measure, separated by commas (default: all)")
	readers := flag.Int("readers", 0, "with --scenario scale: after the kinds, this many readers read thread pages at once (throughput)")
	allCollections := flag.Bool("all-collections", false, "with --scenario scale: prefill every large collection, even those no measured kind reads")
	readFor := flag.Duration("read-for", 20*time.Second, "with --scenario scale: how long the --readers read")
	participants := flag.Int("participants", 20000, "with --scenario campaign: participations prefilled in the campaign")
	shared := flag.Int("shared", 12000, "with --scenario campaign: of them, shared")
	shares := flag.Int("shares", 50, "with --scenario campaign: sharings measured (each then counted)")
	flag.Parse()
	if *scenario == "campaign" {
		if *participants < 100 || *shared < campaigns.PageSize || *shared > *participants || *shares < 1 {
			fail("--participants must be at least 100, --shared at least %d and at most --participants, --shares at least 1", campaigns.PageSize)
		}
		if *minRequests < 3 || *requests < *minRequests {
			fail("--min-requests must be at least 3, and --requests at least --min-requests")
		}
		runCampaign(campaignOptions{backend: *backend, participants: *participants, shared: *shared, shares: *shares, json: *jsonOut,
			measure: scaleOptions{requests: *requests, budget: *budget, minRequests: *minRequests}})
		return
	}
	if *scenario == "scale" {
		var ns []int
		for _, s := range strings.Split(*sizes, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1000 {
				fail("--sizes: %q is not a whole number of at least 1000", s)
			}
			ns = append(ns, n)
		}
		if *minRequests < 3 || *requests < *minRequests {
			fail("--min-requests must be at least 3, and --requests at least --min-requests")
		}
		ks := scaleKinds
		if *kinds != "" {
			want := map[string]bool{}
			for _, k := range strings.Split(*kinds, ",") {
				want[strings.TrimSpace(k)] = true
			}
			ks = nil
			for _, k := range scaleKinds {
				if want[k] {
					ks = append(ks, k)
					delete(want, k)
				}
			}
			if len(want) > 0 || len(ks) == 0 {
				fail("--kinds: unknown kinds %v; known: %s", want, strings.Join(scaleKinds, ","))
			}
		}
		runScale(scaleOptions{backend: *backend, sizes: ns, json: *jsonOut, untuned: *untuned, requests: *requests, budget: *budget,
			minRequests: *minRequests, kinds: ks, readers: max(0, *readers), readFor: *readFor, allCollections: *allCollections})
		return
	}
	var rs []int
	for _, r := range strings.Split(*rates, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(r))
		if err != nil || n <= 0 {
			fail("--rates: %q is not a positive whole number", r)
		}
		rs = append(rs, n)
	}
	if *duration <= 0 || *duration > 10*time.Minute || *candidates <= 0 || *candidates > 2000 {
		fail("--duration must be in (0, 10m] and --candidates in [1, 2000]")
	}
	if *scenario == "calibration" {
		var ns []int
		for _, f := range strings.Split(*sizes, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				fail("--sizes: %q is not a positive number", f)
			}
			ns = append(ns, n)
		}
		runCalibration(*backend, ns)
		return
	}
	if *scenario == "forum" {
		runForum(*url, *mongoURI, *candidates, rs, *duration, *threads, *postsPerThread, *skipRaw)
		return
	}
	if *scenario == "learn" {
		runLearning(*url, *mongoURI, *module, *candidates, rs, *duration, *prefill, *skipRaw)
		return
	}
	if *mongoURI != "" && *prefill > 0 {
		n, err := prefillTests(*mongoURI, *prefill)
		if err != nil {
			fail("prefill: %v", err)
		}
		fmt.Printf("store holds %d finished tests\n", n)
	}
	pool, err := newCandidates(*url, *candidates)
	if err != nil {
		fail("candidates: %v", err)
	}
	fmt.Printf("%d candidates ready; %s per run, open loop\n\n", *candidates, *duration)
	fmt.Printf("%-10s %8s %8s %8s %8s %9s %9s %9s\n", "target", "offered", "ok", "errors", "missed", "rate/s", "p50 ms", "p99 ms")
	for _, r := range rs {
		st := runOpenLoop(r, *duration, *candidates, pool.answer)
		st.print("ardoise")
		if *mongoURI != "" && !*skipRaw {
			raw, err := newRawStore(*mongoURI, *candidates)
			if err != nil {
				fail("raw store: %v", err)
			}
			runOpenLoop(r, *duration, *candidates, raw.op).print("raw store")
			raw.close()
		}
	}
	lost, dup, err := pool.verify()
	if err != nil {
		fail("verify: %v", err)
	}
	fmt.Printf("\nanswers acknowledged but missing from the store: %d; recorded more than acknowledged: %d\n", lost, dup)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
	os.Exit(1)
}
