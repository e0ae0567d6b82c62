package database

import "go.mongodb.org/mongo-driver/v2/bson"

type keyValue struct {
	key string
	dir int
}

func toD(kv []keyValue) bson.D {
	d := make(bson.D, 0, len(kv))
	for _, e := range kv {
		d = append(d, bson.E{Key: e.key, Value: e.dir})
	}
	return d
}
