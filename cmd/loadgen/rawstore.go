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

const testsCollection = "assessment_tests"

func connect(uri string) (*mongo.Client, *mongo.Collection, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, nil, err
	}
	name := "ardoise"
	if db := dbName(uri); db != "" {
		name = db
	}
	return client, client.Database(name).Collection(testsCollection), nil
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

// prefillTests inserts finished tests until the store holds n of them, so
// the store's scans cost what they would in production.
func prefillTests(uri string, n int) (int64, error) {
	client, coll, err := connect(uri)
	if err != nil {
		return 0, err
	}
	defer client.Disconnect(context.Background())
	ctx := context.Background()
	have, err := coll.CountDocuments(ctx, bson.M{"state": "finished"})
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	for have < int64(n) {
		batch := min(int64(n)-have, 500)
		docs := make([]any, 0, batch)
		for i := int64(0); i < batch; i++ {
			answers := make([]bson.M, 24)
			for j := range answers {
				answers[j] = bson.M{"challengeId": fmt.Sprintf("crcn-prefill-%d", j), "answer": bson.M{"choice": "a"}, "correct": j%2 == 0, "at": now, "ms": 8000}
			}
			docs = append(docs, bson.M{"_id": fmt.Sprintf("prefill%017d", have+i), "userId": fmt.Sprintf("prefill-user-%d", have+i),
				"scope": bson.M{"framework": "crcn", "competence": ""}, "contentVersion": "prefill", "paramsVersion": "initial",
				"state": "finished", "answered": 24, "answers": answers, "focusLosses": 0, "seed": have + i,
				"result": bson.M{"score": 400, "level": 3}, "createdAt": now, "updatedAt": now, "finishedAt": now})
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			return have, err
		}
		have += batch
	}
	return have, nil
}

// rawStore does what an answer does to the store, without Ardoise: one
// findOne and one conditional updateOne by _id, on prefilled tests.
type rawStore struct {
	client *mongo.Client
	coll   *mongo.Collection
	ids    []string
}

func newRawStore(uri string) (*rawStore, error) {
	client, coll, err := connect(uri)
	if err != nil {
		return nil, err
	}
	cur, err := coll.Find(context.Background(), bson.M{"contentVersion": "prefill"}, options.Find().SetProjection(bson.M{"_id": 1}).SetLimit(2000))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(context.Background(), &docs); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no prefilled tests: use --prefill")
	}
	r := &rawStore{client: client, coll: coll}
	for _, d := range docs {
		r.ids = append(r.ids, d.ID)
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
	_, err := r.coll.UpdateOne(ctx, bson.M{"_id": id, "answered": doc.Answered},
		bson.M{"$inc": bson.M{"answered": 1, "focusLosses": 1}, "$set": bson.M{"updatedAt": time.Now().UTC()}})
	return err
}

func (r *rawStore) close() { _ = r.client.Disconnect(context.Background()) }
