// Package metrics holds Ardoise's Prometheus collectors, served at /metrics.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the collectors of one process.
type Metrics struct {
	Registry      *prometheus.Registry
	HTTPRequests  *prometheus.CounterVec
	HTTPDuration  *prometheus.HistogramVec
	TasksDone     *prometheus.CounterVec
	TasksFailed   *prometheus.CounterVec
	StoreCommands prometheus.Histogram
}

// New registers the collectors on a fresh registry (one per app, so tests
// can run several apps in one process).
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ardoise_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ardoise_http_request_duration_seconds", Help: "HTTP request durations by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		TasksDone: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ardoise_tasks_processed_total", Help: "Background tasks processed, by type.",
		}, []string{"type"}),
		TasksFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ardoise_tasks_failed_total", Help: "Background tasks that returned an error, by type.",
		}, []string{"type"}),
		StoreCommands: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ardoise_store_commands_per_request", Help: "Store commands sent per HTTP request.",
			Buckets: []float64{0, 1, 2, 3, 5, 8, 13, 21},
		}),
	}
	m.Registry.MustRegister(m.HTTPRequests, m.HTTPDuration, m.TasksDone, m.TasksFailed, m.StoreCommands,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
