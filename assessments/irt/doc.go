// Package irt is Ardoise's adaptive test engine: a two-parameter logistic
// (2PL) item response model, ability estimation on a fixed quadrature grid,
// maximum-information item selection under content and exposure
// constraints, stopping rules, scoring, item calibration and the
// simulation harness that measures all of it.
//
// The package is pure computation: no I/O, no database, no clock except in
// the simulation harness, and no dependency on the rest of Ardoise, so that
// the web application, the command line and the tests all drive the very
// same engine.
//
// The moving parts:
//
//   - An Engine is built once per item bank and Config (NewEngine). It holds
//     the precomputed tables (response probabilities and information
//     rankings at every grid point, Sympson–Hetter exposure parameters) and
//     never changes afterwards, so one Engine serves every test of a content
//     version concurrently.
//   - A Test is one person's test (Engine.NewTest): answers so far, the
//     posterior on the grid, a random source seeded per test so that the
//     same seed and the same answers replay the same test (Engine.Replay).
//     A Test is not safe for concurrent use; the web app holds one per
//     running session.
//   - Simulate and SimulateCalibration are the measurement protocol of
//     shared/simulation.md, exposed as functions so that the command and the
//     tests share it.
package irt
