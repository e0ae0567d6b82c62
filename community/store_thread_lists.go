package community

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// A space's list of threads is also kept in list documents, so that a
// page of it is read by _id on every backend (FerretDB sorts in Go every
// thread the equality on spaceId returned). The threads collection stays
// the source of truth; a list document holds copies.
//
//   - "<spaceId>:head" knows the newest list page, how many threads
//     arrived in it, the highest list key ever appended, and the space's
//     pinned threads (few: shown first, from the head alone).
//   - "<spaceId>:<k>" holds the threads that arrived in page k, keyed by
//     thread id, and maxBefore: the highest list key of every thread that
//     arrived before the page was opened.
//
// A thread arrives in the newest page when it is created, when a reply
// moves it up, and when it moves to the space; it leaves its earlier page
// at once. Any other change (views, a lock, an accepted answer) rewrites
// its entry where it is. Reading walks the pages from the newest and
// stops when the threads found above a page's maxBefore fill the request:
// nothing older can come before them. docs/community.md, "Lists of threads".

// ThreadListsCollection holds the spaces' list documents.
const ThreadListsCollection = "thread_lists"

// ListPageSize is how many threads arrive in one list page before the next
// opens (a page then only loses threads, as they move up).
const ListPageSize = 100

// markerList asks for a thread's copy into its space's list.
const markerList = "list"

// listHead is a space's head list document.
type listHead struct {
	ID string `bson:"_id"`
	// Last is the newest page; N the threads that arrived in it.
	Last int `bson:"last"`
	N    int `bson:"n"`
	// Max is the highest list key appended to any page.
	Max string `bson:"max"`
	// Built says the list holds every thread of the space; a head a copy
	// created before the space's threads were listed is not built, and the
	// first read builds it (rebuildThreadList).
	Built  bool              `bson:"built"`
	Pinned map[string]Thread `bson:"pinned"`
}

// listPage is one page of a space's threads.
type listPage struct {
	ID        string            `bson:"_id"`
	MaxBefore string            `bson:"maxBefore"`
	Threads   map[string]Thread `bson:"threads"`
}

func listHeadID(spaceID string) string { return spaceID + ":head" }

func listPageID(spaceID string, k int) string { return spaceID + ":" + strconv.Itoa(k) }

// listSpace returns the space of a list page's id.
func listSpace(pageID string) string {
	if i := strings.LastIndexByte(pageID, ':'); i >= 0 {
		return pageID[:i]
	}
	return pageID
}

// listKey orders a thread in the list pages: its sort key as if unpinned
// (pinned threads are shown from the head, so the pages never hold a
// pinned key above every other).
func listKey(t *Thread) string { return sortKey(false, t.LastPostAt, t.ID) }

// listEntry is the thread as a list keeps it.
func listEntry(t *Thread) Thread {
	e := *t
	e.Pending, e.PendingAt, e.ListPage, e.ListKey = nil, time.Time{}, "", ""
	return e
}

// toList adds to a thread's update the outbox marker of its list copy.
func toList(update bson.M) bson.M { return marked(update, markerList) }

// CopyThreadToList copies a thread's current state into its space's list
// and takes the list marker off the thread. It holds the thread's lock,
// then the space's head lock (every copy into one space is serialized, so
// pages open one at a time), and each page it writes is written under
// that page's lock. Idempotent; a thread that does not exist is nothing
// to copy.
func (st *Store) CopyThreadToList(ctx context.Context, threadID string) error {
	releaseThread, err := st.lock(ctx, st.threads, threadID)
	if err != nil {
		return err
	}
	defer releaseThread()
	t, err := st.Thread(ctx, threadID)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	releaseHead, err := st.lock(ctx, st.lists, listHeadID(t.SpaceID))
	if err != nil {
		return err
	}
	defer releaseHead()
	head, err := st.listHead(ctx, t.SpaceID)
	if err != nil {
		return err
	}
	key, entry := listKey(t), listEntry(t)
	target := t.ListPage
	headSet := bson.M{}
	if head.Last == 0 && head.N == 0 && !head.Built {
		// The space's first copy: the list holds every thread of the space
		// if it counts none yet (a thread is counted after its copy, and
		// any thread not counted yet is copied after this one).
		sp, err := st.Space(ctx, t.SpaceID)
		if err != nil && !errkind.IsNotFound(err) {
			return err
		}
		if sp != nil && sp.Threads == 0 {
			headSet["built"] = true
		}
	}
	if t.ListPage == "" || listSpace(t.ListPage) != t.SpaceID || t.ListKey != key {
		// It arrives in the newest page.
		set := bson.M{"threads." + t.ID: entry}
		if head.N >= st.listPageSize { // the page is full: the next opens
			head.Last, head.N = head.Last+1, 0
			set["maxBefore"] = head.Max
		}
		target = listPageID(t.SpaceID, head.Last)
		if target != t.ListPage {
			head.N++
		}
		head.Max = max(head.Max, key)
		headSet["last"], headSet["n"], headSet["max"] = head.Last, head.N, head.Max
		if _, err := st.updateOne(ctx, st.lists, target, bson.M{"_id": target}, bson.M{"$set": set}, upsert); err != nil {
			return database.Wrap(err, "community: list page")
		}
	} else if _, err := st.updateOne(ctx, st.lists, target, bson.M{"_id": target}, bson.M{"$set": bson.M{"threads." + t.ID: entry}}, upsert); err != nil {
		return database.Wrap(err, "community: list page")
	}
	headUpdate := bson.M{}
	if t.Pinned {
		headSet["pinned."+t.ID] = entry
	} else if _, ok := head.Pinned[t.ID]; ok {
		headUpdate["$unset"] = bson.M{"pinned." + t.ID: ""}
	}
	if len(headSet) > 0 {
		headUpdate["$set"] = headSet
	}
	if len(headUpdate) > 0 {
		if _, err := st.lists.UpdateOne(ctx, bson.M{"_id": head.ID}, headUpdate, upsert); err != nil {
			return database.Wrap(err, "community: list head")
		}
	}
	if t.ListPage != "" && t.ListPage != target {
		if err := st.leaveList(ctx, t, target); err != nil {
			return err
		}
	}
	done := bson.M{"$set": bson.M{"listPage": target, "listKey": key}}
	if slices.Contains(t.Pending, markerList) {
		done["$pull"] = bson.M{"pending": markerList}
		if len(t.Pending) == 1 {
			done["$unset"] = bson.M{"pendingAt": ""}
		}
	}
	if _, err := st.threads.UpdateOne(ctx, bson.M{"_id": t.ID}, done); err != nil {
		return database.Wrap(err, "community: listed thread")
	}
	return nil
}

// leaveList takes a thread out of the list page it was in before it
// arrived in target, and out of its former space's pinned threads when it
// moved.
func (st *Store) leaveList(ctx context.Context, t *Thread, target string) error {
	if _, err := st.updateOne(ctx, st.lists, t.ListPage, bson.M{"_id": t.ListPage}, bson.M{"$unset": bson.M{"threads." + t.ID: ""}}); err != nil {
		return database.Wrap(err, "community: leave list page")
	}
	if from := listSpace(t.ListPage); from != listSpace(target) {
		id := listHeadID(from)
		if _, err := st.updateOne(ctx, st.lists, id, bson.M{"_id": id}, bson.M{"$unset": bson.M{"pinned." + t.ID: ""}}); err != nil {
			return database.Wrap(err, "community: leave pinned")
		}
	}
	return nil
}

// listHead reads a space's head; a missing one is an empty, unbuilt list.
func (st *Store) listHead(ctx context.Context, spaceID string) (*listHead, error) {
	h, err := database.FindByID[listHead](ctx, "community: list head", st.lists, listHeadID(spaceID))
	if h == nil && err == nil {
		h = &listHead{ID: listHeadID(spaceID)}
	}
	return h, err
}

// listPageDoc reads a list page; a missing one is empty.
func (st *Store) listPageDoc(ctx context.Context, id string) (*listPage, error) {
	p, err := database.FindByID[listPage](ctx, "community: list page", st.lists, id)
	if p == nil && err == nil {
		p = &listPage{ID: id}
	}
	return p, err
}

// ThreadList is a part of a space's list of threads, in order.
type ThreadList struct {
	Threads []Thread
	// Hint is the newest list page holding a thread after the ones
	// returned, for the cursor of the next page (-1: none known).
	Hint int
}

// ThreadPage reads up to limit threads of a space in list order (pinned
// first, then by latest post), after the sort key after ("" from the top),
// starting from list page hint when it is not negative (the cursor's
// hint: no thread of a newer page comes after that key). Store commands:
// the head, then one per list page read, usually one or two.
func (st *Store) ThreadPage(ctx context.Context, spaceID, after string, hint, limit int) (*ThreadList, error) {
	head, err := st.listHead(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	if !head.Built {
		if head, err = st.rebuildThreadList(ctx, spaceID); err != nil {
			return nil, err
		}
	}
	out := &ThreadList{Threads: []Thread{}, Hint: -1}
	for _, t := range head.Pinned {
		if after == "" || t.SortKey < after {
			out.Threads = append(out.Threads, t)
		}
	}
	slices.SortFunc(out.Threads, func(a, b Thread) int { return strings.Compare(b.SortKey, a.SortKey) })
	if len(out.Threads) >= limit {
		out.Threads = out.Threads[:limit]
		return out, nil
	}
	below := after // the unpinned keys come after every pinned one
	if strings.HasPrefix(after, "1") {
		below, hint = "", -1
	}
	start := head.Last
	if below != "" && hint >= 0 && hint < head.Last {
		start = hint
	}
	need := limit - len(out.Threads)
	type found struct {
		t    Thread
		key  string
		page int
	}
	seen := map[string]found{}
	for k := start; k >= 0; k-- {
		page, err := st.listPageDoc(ctx, listPageID(spaceID, k))
		if err != nil {
			return nil, err
		}
		for id, t := range page.Threads {
			key := listKey(&t)
			if _, pinned := head.Pinned[id]; pinned || (below != "" && key >= below) {
				continue
			}
			if f, ok := seen[id]; ok && f.key >= key { // a crash left it in two pages: the newer state wins
				continue
			}
			seen[id] = found{t, key, k}
		}
		above := 0
		for _, f := range seen {
			if f.key > page.MaxBefore {
				above++
			}
		}
		if above >= need {
			break
		}
	}
	rest := make([]found, 0, len(seen))
	for _, f := range seen {
		rest = append(rest, f)
	}
	slices.SortFunc(rest, func(a, b found) int { return strings.Compare(b.key, a.key) })
	for i, f := range rest {
		if i < need {
			out.Threads = append(out.Threads, f.t)
			continue
		}
		out.Hint = max(out.Hint, f.page)
	}
	return out, nil
}

// rebuildThreadList lists every thread of a space anew, under the head's
// lock (copies wait): the list of a space from before list documents, or
// one whose head a copy created first. The slow path, once per space: it
// reads every thread of the space, then writes one page per listPageSize
// threads and each thread's place.
func (st *Store) rebuildThreadList(ctx context.Context, spaceID string) (*listHead, error) {
	// Longer than a copy's lock: a big space takes a while to list.
	release, err := st.claims.Lock(ctx, st.lists.Name()+":"+listHeadID(spaceID), 10*time.Minute)
	if err != nil {
		return nil, err
	}
	defer release()
	head, err := st.listHead(ctx, spaceID)
	if err != nil || head.Built {
		return head, err
	}
	threads, err := database.FindAll[Thread](ctx, "community: threads to list", st.threads, bson.M{"spaceId": spaceID})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(threads, func(a, b Thread) int { return strings.Compare(listKey(&a), listKey(&b)) })
	for k := 0; ; k++ { // what copies wrote before the list was built: pages 0 to the first missing
		res, err := st.lists.DeleteOne(ctx, bson.M{"_id": listPageID(spaceID, k)})
		if err != nil {
			return nil, database.Wrap(err, "community: rebuild list")
		}
		if res.DeletedCount == 0 && k >= head.Last {
			break
		}
	}
	head = &listHead{ID: head.ID, Built: true, Pinned: map[string]Thread{}}
	size := st.listPageSize
	for start := 0; start < len(threads) || start == 0; start += size {
		part := threads[start:min(start+size, len(threads))]
		page := listPage{ID: listPageID(spaceID, start/size), MaxBefore: head.Max, Threads: map[string]Thread{}}
		for i := range part {
			t := &part[i]
			page.Threads[t.ID] = listEntry(t)
			if t.Pinned {
				head.Pinned[t.ID] = listEntry(t)
			}
			head.Max = max(head.Max, listKey(t))
		}
		head.Last, head.N = start/size, len(part)
		if _, err := st.lists.ReplaceOne(ctx, bson.M{"_id": page.ID}, page, options.Replace().SetUpsert(true)); err != nil {
			return nil, database.Wrap(err, "community: rebuild list page")
		}
		for i := range part {
			t := &part[i]
			if _, err := st.threads.UpdateOne(ctx, bson.M{"_id": t.ID}, bson.M{"$set": bson.M{"listPage": page.ID, "listKey": listKey(t)}}); err != nil {
				return nil, database.Wrap(err, "community: rebuild list")
			}
		}
	}
	if _, err := st.lists.ReplaceOne(ctx, bson.M{"_id": head.ID}, head, options.Replace().SetUpsert(true)); err != nil {
		return nil, database.Wrap(err, "community: rebuild list head")
	}
	return head, nil
}

// ThreadIDsBy lists the ids of the threads a person started.
func (st *Store) ThreadIDsBy(ctx context.Context, userID string) ([]string, error) {
	threads, err := database.FindAll[Thread](ctx, "community: threads of", st.threads, bson.M{"authorId": userID},
		options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(threads))
	for i, t := range threads {
		ids[i] = t.ID
	}
	return ids, nil
}

// unlistThreadSpace deletes a space's head (tests: a space from before lists).
func (st *Store) unlistThreadSpace(ctx context.Context, spaceID string) error {
	if _, err := st.lists.DeleteOne(ctx, bson.M{"_id": listHeadID(spaceID)}); err != nil {
		return fmt.Errorf("community: unlist: %w", err)
	}
	return nil
}
