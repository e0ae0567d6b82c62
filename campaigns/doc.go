// Package campaigns runs positioning campaigns and the dashboards that
// aggregate them: an organiser opens a campaign on a target profile,
// teachers join it by code and choose to share their results, and
// inspectors read territory counters. Every aggregate shown to an
// organiser or an inspector goes through [Suppress], so that no group of
// fewer than [MinCell] people can be read, directly or by subtraction.
package campaigns
