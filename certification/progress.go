package certification

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// progress keeps, in Redis, each running candidate's number of counted
// answers, so that an answer costs no store command beyond the test's two
// and the invigilator's refresh reads every candidate's count at once. It
// is a view: the tests hold the truth, and a lost count comes back with
// the candidate's next answer.
type progress struct {
	rdb    redis.UniversalClient
	prefix string
}

// progressTTL outlives any session day.
const progressTTL = 48 * time.Hour

type candidateProgress struct {
	answered int
	finished bool
}

func (p progress) key(sessionID string) string { return p.prefix + "cert-progress:" + sessionID }

// set records a candidate's count ("n" or "n/done").
func (p progress) set(ctx context.Context, sessionID, candidateID string, answered int, finished bool) error {
	v := strconv.Itoa(answered)
	if finished {
		v += "/done"
	}
	pipe := p.rdb.TxPipeline()
	pipe.HSet(ctx, p.key(sessionID), candidateID, v)
	pipe.Expire(ctx, p.key(sessionID), progressTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("certification: progress: %w", err)
	}
	return nil
}

// read returns every candidate's count of a session.
func (p progress) read(ctx context.Context, sessionID string) (map[string]candidateProgress, error) {
	all, err := p.rdb.HGetAll(ctx, p.key(sessionID)).Result()
	if err != nil {
		return nil, fmt.Errorf("certification: progress: %w", err)
	}
	out := make(map[string]candidateProgress, len(all))
	for id, v := range all {
		n, done := strings.CutSuffix(v, "/done")
		answered, _ := strconv.Atoi(n)
		out[id] = candidateProgress{answered: answered, finished: done}
	}
	return out, nil
}
