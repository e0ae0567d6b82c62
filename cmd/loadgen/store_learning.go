package main

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// rawLearning does to the store what a learning event does, without
// Ardoise: one findOne and one updateOne by _id and sequence number on
// enrolment documents of a module's size, one per worker.
type rawLearning struct {
	client *mongo.Client
	coll   *mongo.Collection
	ids    []string
}

func enrolmentDoc(id string, now time.Time, pages int) bson.M {
	pp := bson.A{}
	for i := 0; i < pages; i++ {
		pp = append(pp, bson.M{"id": fmt.Sprintf("%02d-page", i+1), "hash": "0123456789abcdef", "seenAt": now, "activeSeconds": 60})
	}
	return bson.M{"_id": id, "userId": id, "slug": "raw", "title": "Module", "version": 1, "enrolledAt": now,
		"pages": pp, "quizzes": bson.A{}, "activeSeconds": 60 * pages, "clock": now, "clockPage": "01-page", "seq": 0}
}

func newRawLearning(uri string, workers int) (*rawLearning, error) {
	client, coll, err := connect(uri, enrolmentsCollection)
	if err != nil {
		return nil, err
	}
	r := &rawLearning{client: client, coll: coll}
	now := time.Now().UTC()
	var docs []any
	for i := 0; i < workers; i++ {
		id := fmt.Sprintf("raw-%d-%d", now.UnixNano(), i)
		r.ids = append(r.ids, id)
		docs = append(docs, enrolmentDoc(id, now, 5))
	}
	_, err = coll.InsertMany(context.Background(), docs)
	return r, err
}

func (r *rawLearning) op(w int) error {
	ctx := context.Background()
	id := r.ids[w%len(r.ids)]
	var doc struct {
		Seq   int      `bson:"seq"`
		Pages []bson.M `bson:"pages"`
	}
	if err := r.coll.FindOne(ctx, bson.M{"_id": id}).Decode(&doc); err != nil {
		return err
	}
	now := time.Now().UTC()
	_, err := r.coll.UpdateOne(ctx, bson.M{"_id": id, "seq": doc.Seq}, bson.M{"$set": bson.M{
		"pages": doc.Pages, "activeSeconds": 300, "clock": now, "clockPage": "02-page", "seq": doc.Seq + 1}})
	return err
}

func (r *rawLearning) close() {
	_, _ = r.coll.DeleteMany(context.Background(), bson.M{"_id": bson.M{"$in": r.ids}})
	_ = r.client.Disconnect(context.Background())
}

// prefillEnrolments inserts enrolments until the store holds n of them.
func prefillEnrolments(uri string, n int) (int64, error) {
	return prefill(uri, enrolmentsCollection, bson.M{}, n, func(i int64, now time.Time) any {
		return enrolmentDoc(fmt.Sprintf("prefill-%017d", i), now, 5)
	})
}
