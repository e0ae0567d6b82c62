package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The answer path's collection (tests in progress) and the archive of
// finished tests, as in assessments/store.go.
const (
	testsCollection   = "assessment_tests"
	resultsCollection = "assessment_results"
)

func connect(uri, collection string) (*mongo.Client, *mongo.Collection, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, nil, err
	}
	name := "ardoise"
	if db := dbName(uri); db != "" {
		name = db
	}
	return client, client.Database(name).Collection(collection), nil
}

// verifyAccounts marks the load's accounts verified in the store, with set's
// other fields: enrolling and posting need a verified address, and the load
// generator reads no mail.
// It goes by address, before any authenticated request: a request would put
// the account, unverified, in the server's 30 s cache.
func verifyAccounts(ctx context.Context, uri string, run int64, n int, set bson.M) error {
	if uri == "" {
		return fmt.Errorf("--mongodb-uri is needed to verify the load's accounts")
	}
	client, users, err := connect(uri, "users")
	if err != nil {
		return err
	}
	defer client.Disconnect(ctx)
	update := bson.M{"emailVerified": true}
	for k, v := range set {
		update[k] = v
	}
	emails := make([]string, n)
	for i := range emails {
		emails[i] = loadEmail(run, i)
	}
	_, err = users.UpdateMany(ctx, bson.M{"emailLower": bson.M{"$in": emails}}, bson.M{"$set": update})
	return err
}

// dbName reads the database of a mongodb://host:port/name?… URI.
func dbName(uri string) string {
	rest := strings.TrimPrefix(uri, "mongodb://")
	_, path, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(path, "?")
	return name
}

// prefill inserts documents made by doc into collection until filter
// matches n of them, so that the store's scans cost what they would in
// production.
func prefill(uri, collection string, filter bson.M, n int, doc func(i int64, now time.Time) any) (int64, error) {
	client, coll, err := connect(uri, collection)
	if err != nil {
		return 0, err
	}
	defer client.Disconnect(context.Background())
	ctx := context.Background()
	have, err := coll.CountDocuments(ctx, filter)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	for have < int64(n) {
		batch := min(int64(n)-have, 500)
		docs := make([]any, 0, batch)
		for i := int64(0); i < batch; i++ {
			docs = append(docs, doc(have+i, now))
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			return have, err
		}
		have += batch
	}
	return have, nil
}

// prefillTests inserts finished tests (24 answers each) until the archive holds n.
func prefillTests(uri string, n int) (int64, error) {
	return prefill(uri, resultsCollection, bson.M{"state": "finished"}, n, func(i int64, now time.Time) any {
		answers := make([]bson.M, 24)
		for j := range answers {
			answers[j] = bson.M{"challengeId": fmt.Sprintf("crcn-prefill-%d", j), "answer": bson.M{"choice": "a"}, "correct": j%2 == 0, "at": now, "ms": 8000}
		}
		return bson.M{"_id": fmt.Sprintf("prefill%017d", i), "userId": fmt.Sprintf("prefill-user-%d", i),
			"scope": bson.M{"framework": "crcn", "competence": ""}, "contentVersion": "prefill", "paramsVersion": "initial",
			"state": "finished", "answered": 24, "answers": answers, "focusLosses": 0, "seed": i,
			"result": bson.M{"score": 400, "level": 3}, "createdAt": now, "updatedAt": now, "finishedAt": now}
	})
}

// rawStore does what an answer does to the store, without Ardoise: one
// findOne and one conditional updateOne by _id, on the answer path's
// collection, with one test document per worker (like a test in progress).
type rawStore struct {
	client *mongo.Client
	coll   *mongo.Collection
	ids    []string
}

func newRawStore(uri string, workers int) (*rawStore, error) {
	client, coll, err := connect(uri, testsCollection)
	if err != nil {
		return nil, err
	}
	r := &rawStore{client: client, coll: coll}
	now := time.Now().UTC()
	var docs []any
	for i := 0; i < workers; i++ {
		id := fmt.Sprintf("raw-%d-%d", now.UnixNano(), i)
		r.ids = append(r.ids, id)
		answers := bson.A{}
		for j := 0; j < 16; j++ { // a test half way through
			answers = append(answers, rawAnswer(now, j))
		}
		docs = append(docs, bson.M{"_id": id, "state": "raw", "answered": 16, "focusLosses": 0, "createdAt": now,
			"scope": bson.M{"framework": "raw", "competence": ""}, "answers": answers,
			"current": bson.M{"challengeId": "crcn-raw", "servedAt": now}})
	}
	if _, err := coll.InsertMany(context.Background(), docs); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rawStore) op(w int) error {
	ctx := context.Background()
	id := r.ids[w%len(r.ids)]
	var doc struct {
		Answered int `bson:"answered"`
	}
	if err := r.coll.FindOne(ctx, bson.M{"_id": id}).Decode(&doc); err != nil {
		return err
	}
	now := time.Now().UTC()
	// The same update an answer makes: push the answer (the document keeps
	// a test's size), count it, move the current question.
	_, err := r.coll.UpdateOne(ctx, bson.M{"_id": id, "answered": doc.Answered, "current.challengeId": "crcn-raw"},
		bson.M{"$push": bson.M{"answers": bson.M{"$each": bson.A{rawAnswer(now, doc.Answered)}, "$slice": -32}},
			"$inc": bson.M{"answered": 1}, "$set": bson.M{"updatedAt": now, "current": bson.M{"challengeId": "crcn-raw", "servedAt": now}}})
	return err
}

func rawAnswer(at time.Time, n int) bson.M {
	return bson.M{"challengeId": fmt.Sprintf("crcn-raw-%d", n), "answer": bson.M{"choice": "a"}, "correct": n%2 == 0, "at": at, "ms": 8000}
}

func (r *rawStore) close() {
	_, _ = r.coll.DeleteMany(context.Background(), bson.M{"_id": bson.M{"$in": r.ids}})
	_ = r.client.Disconnect(context.Background())
}
