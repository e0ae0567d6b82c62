package main

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// stats are one run's figures.
type stats struct {
	target                      int
	offered, ok, errors, missed int64
	elapsed                     time.Duration
	latencies                   []time.Duration
}

// runOpenLoop offers rate operations per second for d, each on a free worker
// among n: an offer that finds every worker busy is counted as missed (the
// system is not keeping up), never queued, so slow answers do not slow the
// offers down.
func runOpenLoop(rate int, d time.Duration, n int, op func(worker int) error) *stats {
	st := &stats{target: rate}
	free := make(chan int, n)
	for i := 0; i < n; i++ {
		free <- i
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var ok, errs atomic.Int64
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	next := start
	for time.Since(start) < d {
		next = next.Add(interval)
		time.Sleep(time.Until(next))
		st.offered++
		select {
		case w := <-free:
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				err := op(w)
				lat := time.Since(t0)
				if err != nil {
					errs.Add(1)
				} else {
					ok.Add(1)
				}
				mu.Lock()
				st.latencies = append(st.latencies, lat)
				mu.Unlock()
				free <- w
			}()
		default:
			st.missed++
		}
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	st.ok, st.errors = ok.Load(), errs.Load()
	return st
}

func (s *stats) percentile(p float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	sort.Slice(s.latencies, func(i, j int) bool { return s.latencies[i] < s.latencies[j] })
	return s.latencies[min(len(s.latencies)-1, int(p*float64(len(s.latencies))))]
}

func (s *stats) print(what string) {
	fmt.Printf("%-10s %8d %8d %8d %8d %9.1f %9.1f %9.1f  %s\n", fmt.Sprintf("%d/s", s.target), s.offered, s.ok, s.errors, s.missed,
		float64(s.ok)/s.elapsed.Seconds(), ms(s.percentile(0.5)), ms(s.percentile(0.99)), what)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
