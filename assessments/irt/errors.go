package irt

import "errors"

// ErrInvalidInput is wrapped by every error caused by the caller's data:
// NaN or infinite parameters, empty or inconsistent banks, unknown items,
// out-of-range options. The web app maps it to 400/422 with errors.Is.
var ErrInvalidInput = errors.New("irt: invalid input")

// ErrNoEligibleItem is returned when the filters of a test (locale,
// accessibility, retired items) leave no item to ask.
var ErrNoEligibleItem = errors.New("irt: no eligible item")

// ErrTestDone is returned by Test.Answer once the stopping rule has ended
// the test: an answer arriving after the end is not scored, rather than
// silently changing a finished result.
var ErrTestDone = errors.New("irt: test is over")

// ErrReplayMismatch is returned by Engine.Replay when the recorded answers
// do not follow the items the engine would choose: the bank, the
// configuration or the seed differ from the ones the test ran with.
var ErrReplayMismatch = errors.New("irt: replay does not match the recorded test")
