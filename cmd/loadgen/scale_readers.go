package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"time"

	"ardoise/community"
)

// scaleThroughput is what --readers measures at one size: readers at once,
// each reading thread pages one after another (a random thread among the
// prefilled ones, a random page of it) for the given time.
type scaleThroughput struct {
	Readers     int     `json:"readers"`
	Seconds     float64 `json:"seconds"`
	PagesPerSec float64 `json:"thread_pages_per_s"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	Pages       int     `json:"pages"`
	Errors      int     `json:"errors,omitempty"`
}

// readThreads runs the readers against the thread pages of fx's sample of
// threads, as the learner (whose token is cached: one /api/v1/me first).
func (m *scaleMeasure) readThreads(readers int, d time.Duration) (scaleThroughput, error) {
	out := scaleThroughput{Readers: readers}
	if len(m.fix.threads) == 0 {
		return out, fmt.Errorf("no threads to read")
	}
	if code, _, err := m.call(m.client, "GET", "/api/v1/me", m.acc.learnerToken, nil); err != nil || code != 200 {
		return out, fmt.Errorf("/api/v1/me: %d %v", code, err)
	}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: readers}}
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			for time.Now().Before(deadline) {
				t := m.fix.threads[rng.IntN(len(m.fix.threads))]
				after := rng.IntN((t.posts+community.PageSize-1)/community.PageSize) * community.PageSize
				path := fmt.Sprintf("/api/v1/threads/%s?after=%d", t.id, after)
				t0 := time.Now()
				resp, err := m.send(scaleRequest{client: client, method: "GET", path: path, token: m.acc.learnerToken})
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				el := time.Since(t0)
				mu.Lock()
				if ok {
					lat = append(lat, el)
				} else {
					errs++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	out.Seconds = time.Since(start).Seconds()
	out.Errors, out.Pages = errs, len(lat)
	if len(lat) == 0 {
		return out, fmt.Errorf("no thread page read (%d errors)", errs)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	out.PagesPerSec = float64(len(lat)) / out.Seconds
	out.P50, out.P99 = ms(lat[len(lat)/2]), ms(lat[min(len(lat)-1, len(lat)*99/100)])
	return out, nil
}
