package assessments

import (
	"context"
	"fmt"
	"math"
	"strconv"
)

// ReplayReport compares a finished test's stored result with the result
// recomputed from what the test recorded: its content version, item
// parameter version, engine configuration, seed, and its answers with
// their flags. Match means equal bit for bit.
type ReplayReport struct {
	TestID   string
	Stored   *Result
	Replayed *Result
	Match    bool
	// Problems says what differs, in English for operators.
	Problems []string
}

// Replay recomputes a finished test from its stored inputs, for an appeal
// or an audit (`ardoise certification replay ID`): the same engine chooses
// the same questions in the same order, every answer is checked again
// against the content, and the result is measured again.
func (s *Service) Replay(ctx context.Context, id string) (*ReplayReport, error) {
	t, err := s.store.test(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.State != StateFinished || t.Result == nil {
		return nil, fmt.Errorf("assessments: replay test %s: not finished", id)
	}
	bank, be, err := s.engineOf(ctx, t)
	if err != nil {
		return nil, err
	}
	return s.replayReport(bank, be, t), nil
}

// replayReport is Replay on a test in hand.
func (s *Service) replayReport(bank *Bank, be *builtEngine, t *Test) *ReplayReport {
	rep := &ReplayReport{TestID: t.ID, Stored: t.Result}
	if got := recordConfig(be.config); got != t.Config {
		rep.Problems = append(rep.Problems, fmt.Sprintf("engine configuration %+v, recorded %+v", got, t.Config))
	}
	for i, a := range t.Answers {
		if a.Voided {
			continue
		}
		ch, ok := bank.Challenge(a.ChallengeID)
		if !ok {
			rep.Problems = append(rep.Problems, fmt.Sprintf("answer %d: challenge %s not in content %s", i+1, a.ChallengeID, t.ContentVersion))
			continue
		}
		right, err := ch.Check(a.Answer)
		if err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("answer %d: %v", i+1, err))
			continue
		}
		if want := right && !a.Late && !a.FocusLost; want != a.Correct {
			rep.Problems = append(rep.Problems, fmt.Sprintf("answer %d to %s: recorded correct=%v, the content says %v", i+1, a.ChallengeID, a.Correct, want))
		}
	}
	run, err := s.replay(bank, be.engine, t)
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep
	}
	if t.EndReason == "" && !run.Done() {
		rep.Problems = append(rep.Problems, "the replayed test is not over after the recorded answers")
	}
	rep.Replayed = resultOf(run.Estimates())
	rep.Problems = append(rep.Problems, resultDiff(t.Result, rep.Replayed)...)
	rep.Match = len(rep.Problems) == 0
	return rep
}

// resultDiff lists how two results differ, floats compared bit for bit.
func resultDiff(a, b *Result) []string {
	var out []string
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	if a.Score != b.Score || a.Level != b.Level || !same(a.Theta, b.Theta) || !same(a.SE, b.SE) || a.ScoringVersion != b.ScoringVersion {
		out = append(out, fmt.Sprintf("result: stored score %d level %d θ %v SE %v (%s), replayed %d %d %v %v (%s)",
			a.Score, a.Level, a.Theta, a.SE, a.ScoringVersion, b.Score, b.Level, b.Theta, b.SE, b.ScoringVersion))
	}
	if len(a.Competences) != len(b.Competences) {
		return append(out, "competences: stored "+strconv.Itoa(len(a.Competences))+", replayed "+strconv.Itoa(len(b.Competences)))
	}
	for i, c := range a.Competences {
		d := b.Competences[i]
		if c.ID != d.ID || c.Level != d.Level || !same(c.Theta, d.Theta) || !same(c.SE, d.SE) {
			out = append(out, fmt.Sprintf("competence %s: stored level %d θ %v SE %v, replayed %s %d %v %v", c.ID, c.Level, c.Theta, c.SE, d.ID, d.Level, d.Theta, d.SE))
		}
	}
	return out
}
