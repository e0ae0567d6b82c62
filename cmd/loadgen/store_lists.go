package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/community"
)

// placeThreads lists each space's threads as community keeps them
// (community/store_thread_lists.go): in order of their list keys,
// community.ListPageSize a page, each thread told where it is. It returns
// the list documents to insert: the pages, then a built head per space.
func placeThreads(threads []community.Thread) []any {
	bySpace := map[string][]*community.Thread{}
	var spaces []string
	for i := range threads {
		t := &threads[i]
		if _, ok := bySpace[t.SpaceID]; !ok {
			spaces = append(spaces, t.SpaceID)
		}
		bySpace[t.SpaceID] = append(bySpace[t.SpaceID], t)
	}
	var docs []any
	for _, sp := range spaces {
		ts := bySpace[sp]
		slices.SortFunc(ts, func(a, b *community.Thread) int { return strings.Compare(a.SortKey, b.SortKey) })
		maxKey, last, n := "", 0, 0
		for start := 0; start < len(ts); start += community.ListPageSize {
			part := ts[start:min(start+community.ListPageSize, len(ts))]
			last, n = start/community.ListPageSize, len(part)
			id := sp + ":" + strconv.Itoa(last)
			entries := bson.D{}
			before := maxKey
			for _, t := range part {
				t.ListPage, t.ListKey = id, t.SortKey // prefilled threads are not pinned
				e := *t
				e.ListPage, e.ListKey = "", ""
				entries = append(entries, bson.E{Key: t.ID, Value: e})
				maxKey = max(maxKey, t.SortKey)
			}
			docs = append(docs, bson.D{{Key: "_id", Value: id}, {Key: "maxBefore", Value: before}, {Key: "threads", Value: entries}})
		}
		docs = append(docs, bson.D{{Key: "_id", Value: sp + ":head"}, {Key: "last", Value: last}, {Key: "n", Value: n},
			{Key: "max", Value: maxKey}, {Key: "built", Value: true}, {Key: "pinned", Value: bson.D{}}})
	}
	return docs
}

// numberedNotes gives each notification its number in its person's list
// and returns the documents to insert: the notifications with their seq,
// then the page documents and heads community keeps of each person's list
// (community/store_note_pages.go).
func numberedNotes(notes []community.Notification) (stored, pages []any, err error) {
	next := map[string]int{}
	byUser := map[string][]int{} // the seq-ordered indexes of each person's notifications
	var users []string
	for i, n := range notes {
		raw, err := bson.Marshal(n)
		if err != nil {
			return nil, nil, fmt.Errorf("notification: %w", err)
		}
		var d bson.D
		if err := bson.Unmarshal(raw, &d); err != nil {
			return nil, nil, fmt.Errorf("notification: %w", err)
		}
		next[n.UserID]++
		stored = append(stored, append(d, bson.E{Key: "seq", Value: next[n.UserID]}))
		if _, ok := byUser[n.UserID]; !ok {
			users = append(users, n.UserID)
		}
		byUser[n.UserID] = append(byUser[n.UserID], i)
	}
	for _, u := range users {
		idx := byUser[u]
		for k := 0; k*community.NotePageSize < len(idx); k++ {
			entries := bson.D{}
			for j := k * community.NotePageSize; j < min((k+1)*community.NotePageSize, len(idx)); j++ {
				entries = append(entries, bson.E{Key: strconv.Itoa(j + 1), Value: notes[idx[j]]})
			}
			pages = append(pages, bson.D{{Key: "_id", Value: u + ":" + strconv.Itoa(k)}, {Key: "notes", Value: entries}})
		}
		pages = append(pages, bson.D{{Key: "_id", Value: u + ":head"}, {Key: "next", Value: len(idx)}, {Key: "readUpTo", Value: 0}})
	}
	return stored, pages, nil
}
