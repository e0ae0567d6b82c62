package assessments_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"ardoise/assessments"
	"ardoise/internal/testenv"
)

// cancelAfterAnswerClaim cancels a request's context right after its answer
// claim is taken: the guarded write that follows fails on its own, with no
// mock of the store.
type cancelAfterAnswerClaim struct {
	armed  atomic.Bool
	cancel context.CancelFunc
}

func (h *cancelAfterAnswerClaim) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *cancelAfterAnswerClaim) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (h *cancelAfterAnswerClaim) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if cmd.Name() == "set" && strings.Contains(fmt.Sprint(cmd.Args()...), "claim:answer:") && h.armed.CompareAndSwap(true, false) {
			h.cancel()
		}
		return err
	}
}

// TestFailedAnswerReleasesItsClaim: an answer whose write fails leaves no
// claim behind, so the same answer sent again goes through at once (not
// after the claim's 30 s).
func TestFailedAnswerReleasesItsClaim(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		svc := env.Sys.Assessments
		o := assessments.Owner{AnonKey: "cle-anonyme-claim"}
		ctx := testenv.Ctx(t)
		tt, err := svc.Start(ctx, o, assessments.Scope{Framework: "crcn"}, false)
		if err != nil {
			t.Fatal(err)
		}
		hook := &cancelAfterAnswerClaim{}
		env.Sys.RDB.AddHook(hook)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		hook.cancel = cancel
		hook.armed.Store(true)
		if _, err := svc.Answer(cctx, tt.ID, o, tt.Current.ChallengeID, assessments.Answer{Skipped: true}); !errors.Is(err, context.Canceled) {
			t.Fatalf("answer with its context cancelled after the claim = %v, want context.Canceled", err)
		}
		if hook.armed.Load() {
			t.Fatal("the answer took no claim")
		}
		next, err := svc.Answer(ctx, tt.ID, o, tt.Current.ChallengeID, assessments.Answer{Skipped: true})
		if err != nil {
			t.Fatalf("the retry was refused: %v", err)
		}
		if next.Answered != 1 {
			t.Fatalf("after the retry the test has %d answers, want 1", next.Answered)
		}
	})
}
