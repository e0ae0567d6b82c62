// Package campaigns runs positioning campaigns and the dashboards that
// aggregate them: an organiser opens a campaign on a target profile,
// teachers join it by code and choose to share their results, and
// inspectors read territory counters. Every aggregate shown to an
// organiser or an inspector goes through [Suppress], so that no group of
// fewer than [MinCell] people can be read, directly or by subtraction.
//
// A person joins a campaign by code (Join), which starts an assessments
// test restricted to the target profile; the test's end (CountFinished, a
// finish hook) and the person's share (Share) mark the participation, and
// the worker counts it in the campaign's counters exactly once (Count,
// docs/campaigns.md). Results reads a dashboard in three reads by _id.
package campaigns
