package assessments

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Store methods for this package's tests only: they put tests and
// responses in states that only time or many test-takers reach.

// Response is an answer copied for calibration, as the archiving task
// writes it.
type Response = response

// BackdateServed records that the question test id serves was served at at,
// as if the person had waited since.
func (s *Store) BackdateServed(ctx context.Context, id string, at time.Time) error {
	res, err := s.tests.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"current.servedAt": at}})
	if err != nil {
		return wrap(err, "backdate served")
	}
	if res.MatchedCount != 1 {
		return wrap(mongo.ErrNoDocuments, "backdate served "+id)
	}
	return nil
}

// BackdateTests sets the creation date of every test, running or archived.
func (s *Store) BackdateTests(ctx context.Context, at time.Time) error {
	set := bson.M{"$set": bson.M{"createdAt": at}}
	if _, err := s.tests.UpdateMany(ctx, bson.M{}, set); err != nil {
		return wrap(err, "backdate running tests")
	}
	if _, err := s.results.UpdateMany(ctx, bson.M{}, set); err != nil {
		return wrap(err, "backdate archived tests")
	}
	return nil
}

// ResponsesOf counts the answers of test id copied for calibration.
func (s *Store) ResponsesOf(ctx context.Context, id string) (int64, error) {
	n, err := s.responses.CountDocuments(ctx, bson.M{"testId": id})
	if err != nil {
		return 0, wrap(err, "count responses")
	}
	return n, nil
}

// Placement reports how many copies of test id the running tests and the
// archived ones hold.
func (s *Store) Placement(ctx context.Context, id string) (running, archived int64, err error) {
	if running, err = s.tests.CountDocuments(ctx, bson.M{"_id": id}); err != nil {
		return 0, 0, wrap(err, "count running")
	}
	if archived, err = s.results.CountDocuments(ctx, bson.M{"_id": id}); err != nil {
		return 0, 0, wrap(err, "count archived")
	}
	return running, archived, nil
}

// InsertResponses stores answers for calibration as if tests had been
// archived with them.
func (s *Store) InsertResponses(ctx context.Context, rs []Response) error {
	docs := make([]any, len(rs))
	for i := range rs {
		docs[i] = rs[i]
	}
	if _, err := s.responses.InsertMany(ctx, docs); err != nil {
		return wrap(err, "insert responses")
	}
	return nil
}

// ForgetHeads deletes every test head, as before heads existed.
func (s *Store) ForgetHeads(ctx context.Context) error {
	if _, err := s.heads.DeleteMany(ctx, bson.M{}); err != nil {
		return wrap(err, "forget heads")
	}
	return nil
}

// StoreOf returns the service's store.
func StoreOf(s *Service) *Store { return s.store }

// UseContent makes src the content new tests start on, as a new release
// of the content files would.
func (s *Service) UseContent(ctx context.Context, src Sources) error {
	b, problems := Load(src)
	if len(problems) > 0 {
		return errors.New(problems[0].String())
	}
	if err := s.store.SaveContent(ctx, src); err != nil {
		return err
	}
	s.mu.Lock()
	s.current, s.banks[b.Version] = b, b
	s.mu.Unlock()
	return nil
}

// SetSeed makes every new test start from seed.
func (s *Service) SetSeed(seed int64) { s.seed = func() int64 { return seed } }

// SetNow moves the service's clock (certification deadlines).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

// SimulateCertification runs a certification test of seed in memory as
// the answer path does (replay the stored answers, apply the new one,
// measure on that run), with right deciding each answer and every tenth
// question voided, and returns the test as the store would hold it.
func (s *Service) SimulateCertification(seed int64, right func(n int, ch *Challenge) bool) (*Test, error) {
	bank := s.current
	scope := Scope{Framework: "crcn", Certification: true}
	params := s.currentParams(context.Background())
	be, err := s.engines.get(bank, params, scope)
	if err != nil {
		return nil, err
	}
	t := &Test{ID: "sim", Scope: scope, ContentVersion: bank.Version, ParamsVersion: params.Version,
		Config: recordConfig(be.config), Seed: seed, State: StateStarted}
	for n := 0; ; n++ {
		run, err := s.replay(bank, be.engine, t)
		if err != nil {
			return nil, err
		}
		next, _ := run.Next()
		ch, _ := bank.Challenge(be.engine.Item(next).ID)
		if n%10 == 9 {
			if err := run.Skip(next); err != nil {
				return nil, err
			}
			t.Answers = append(t.Answers, Recorded{ChallengeID: ch.ID, Voided: true})
		} else {
			ok := right(n, ch)
			if err := run.Answer(next, ok); err != nil {
				return nil, err
			}
			t.Answers = append(t.Answers, Recorded{ChallengeID: ch.ID, Answer: ch.SampleAnswer(ok), Correct: ok})
		}
		if _, more := run.Next(); !more {
			t.State, t.Result = StateFinished, resultOf(run.Estimates())
			return t, nil
		}
	}
}

// ReplayInMemory is Replay on a test in hand.
func (s *Service) ReplayInMemory(t *Test) (*ReplayReport, error) {
	bank, be, err := s.engineOf(context.Background(), t)
	if err != nil {
		return nil, err
	}
	return s.replayReport(bank, be, t), nil
}
