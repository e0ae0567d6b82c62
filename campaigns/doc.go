// Package campaigns runs positioning campaigns and the dashboards that
// aggregate them: an organiser opens a campaign on a target profile,
// teachers join it by code and choose to share their results, and
// inspectors read territory counters. Every aggregate shown to an
// organiser or an inspector goes through [Suppress], so that no group of
// fewer than [MinCell] people can be read, directly or by subtraction.
//
// Built so far (issue 14): creating, listing and reading campaigns, the
// paired pre/post gains and the suppression rule; joining, sharing, the
// counters and the dashboards come next.
package campaigns
