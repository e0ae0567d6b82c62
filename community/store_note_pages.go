package community

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// A person's notifications are also kept in page documents, NotePageSize
// each, so that the list is read by _id on every backend (FerretDB sorts
// in Go, after reading every notification of the person, or of everyone
// on SQLite). The notifications collection stays the source of truth; a
// page document is a copy. docs/community.md, "Notification pages".

// NotificationPagesCollection holds the pages of each person's
// notifications, _id "<userId>:<k>", and their head, _id "<userId>:head".
const NotificationPagesCollection = "notification_pages"

// NotePageSize is the number of notifications a page document holds: the
// list the notifications page and the API show (the 50 newest).
const NotePageSize = 50

// noteDoc is a notification as stored: with its number in its person's
// list (seq, from 1; 0 for one written before pages and not numbered yet)
// and its outbox markers.
type noteDoc struct {
	Notification `bson:",inline"`
	Seq          int        `bson:"seq,omitempty"`
	Pending      []string   `bson:"pending,omitempty"`
	PendingAt    *time.Time `bson:"pendingAt,omitempty"`
}

// notePageDoc is one page of a person's notifications, keyed by their seq
// as a decimal string, so that copying one is a $set of one field.
type notePageDoc struct {
	ID    string                  `bson:"_id"`
	Notes map[string]Notification `bson:"notes"`
}

// noteHead is the head of a person's pages: the last seq given and the
// last seq every notification up to which was marked read.
type noteHead struct {
	ID       string `bson:"_id"`
	Next     int    `bson:"next"`
	ReadUpTo int    `bson:"readUpTo"`
}

// noteRef locates a notification's entry in its person's pages.
type noteRef struct {
	ID     string `bson:"_id"`
	UserID string `bson:"userId"`
	Seq    int    `bson:"seq"`
}

func notePageOf(seq int) int                 { return (seq - 1) / NotePageSize }
func notePageID(userID string, k int) string { return userID + ":" + strconv.Itoa(k) }
func noteHeadID(userID string) string        { return userID + ":head" }
func (st *Store) notePages() *mongo.Collection {
	return st.notes.Database().Collection(NotificationPagesCollection)
}

// noteOwner is the person a notification id (postId|userId) is for.
func noteOwner(id string) string { return id[strings.LastIndex(id, "|")+1:] }

// AddNotification stores a notification once, numbered with the next seq
// of its person's list, and counts it unread. It holds the lock of the
// person's head throughout: the seq is taken once (a notification that is
// there already, a retried notify, keeps the seq it has, so no retry adds
// it twice to the pages), and MarkAllRead, which takes the same lock,
// never falls between the insert and the count. The head is advanced
// before the insert: a crash between the two leaves an unused seq, a gap
// the list skips, never two notifications with one seq. It reports
// whether it added the notification, and its seq (0 for one from before
// pages that its person's first read numbers).
func (st *Store) AddNotification(ctx context.Context, n Notification) (bool, int, error) {
	release, err := st.lock(ctx, st.notePages(), noteHeadID(n.UserID))
	if err != nil {
		return false, 0, err
	}
	defer release()
	var old noteRef
	err = st.notes.FindOne(ctx, bson.M{"_id": n.ID}, options.FindOne().SetProjection(bson.M{"seq": 1})).Decode(&old)
	if err == nil {
		return false, old.Seq, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return false, 0, database.Wrap(err, "community: notification")
	}
	head, err := st.noteHeadLocked(ctx, n.UserID)
	if err != nil {
		return false, 0, err
	}
	seq := head.Next + 1
	if _, err := st.notePages().UpdateOne(ctx, bson.M{"_id": head.ID}, bson.M{"$set": bson.M{"next": seq}}); err != nil {
		return false, 0, database.Wrap(err, "community: notification head")
	}
	if _, err := st.notes.InsertOne(ctx, noteDoc{Notification: n, Seq: seq}); err != nil {
		if database.IsDuplicate(err) { // written meanwhile without the lock (a process from before pages)
			return false, 0, nil
		}
		return false, 0, database.Wrap(err, "community: notification")
	}
	return true, seq, st.IncUnread(ctx, n.UserID)
}

// noteHeadLocked reads a person's head, numbering their notifications
// first when it is missing (a person with none yet, or whose
// notifications are from before pages). The caller holds the head's lock.
func (st *Store) noteHeadLocked(ctx context.Context, userID string) (*noteHead, error) {
	head, err := database.FindByID[noteHead](ctx, "community: notification head", st.notePages(), noteHeadID(userID))
	if head == nil && err == nil {
		return st.numberNotes(ctx, userID)
	}
	return head, err
}

// numberNotes is the migration of a person's notifications to pages, and
// the creation of a head: it numbers them by date (the slow path: every
// notification on SQLite, the person's on PostgreSQL, once per person),
// writes their pages from the state read, each under its lock, then the
// seqs into the notifications, then the head. A flag changed meanwhile
// leaves its note-page marker on a notification without seq, which its
// task copies once numbered. The caller holds the head's lock; the order
// is deterministic, so a second run after a crash gives the same numbers.
func (st *Store) numberNotes(ctx context.Context, userID string) (*noteHead, error) {
	notes, err := database.FindAll[noteDoc](ctx, "community: notifications to number", st.notes, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	for start := 0; start < len(notes); start += NotePageSize {
		set := bson.M{}
		for i := start; i < min(start+NotePageSize, len(notes)); i++ {
			set["notes."+strconv.Itoa(i+1)] = notes[i].Notification
		}
		if err := st.setNotePage(ctx, notePageID(userID, notePageOf(start+1)), set); err != nil {
			return nil, err
		}
	}
	for i, n := range notes {
		if n.Seq == i+1 {
			continue
		}
		if _, err := st.notes.UpdateOne(ctx, bson.M{"_id": n.ID}, bson.M{"$set": bson.M{"seq": i + 1}}); err != nil {
			return nil, database.Wrap(err, "community: number a notification")
		}
	}
	head := &noteHead{ID: noteHeadID(userID), Next: len(notes)}
	if _, err := st.notePages().UpdateOne(ctx, bson.M{"_id": head.ID},
		bson.M{"$max": bson.M{"next": head.Next}, "$setOnInsert": bson.M{"readUpTo": 0}}, upsert); err != nil {
		return nil, database.Wrap(err, "community: notification head")
	}
	return head, nil
}

// setNotePage $sets entries of a page document (created if missing) under the page's lock.
func (st *Store) setNotePage(ctx context.Context, id string, set bson.M) error {
	if _, err := st.updateOne(ctx, st.notePages(), id, bson.M{"_id": id}, bson.M{"$set": set}, upsert); err != nil {
		return database.Wrap(err, "community: notification page")
	}
	return nil
}

// CopyNote copies one notification's current state into its page: the
// notify task's copy, after AddNotification gave it seq. It reads the
// notification under the page's lock, so that a change of the
// notification (written before its own copy, which waits for that lock)
// is never overwritten by an older state. Doing it again changes nothing.
func (st *Store) CopyNote(ctx context.Context, id, userID string, seq int) error {
	return st.copyNotes(ctx, []noteRef{{ID: id, UserID: userID, Seq: seq}})
}

// CopyNotes copies the current state of the notifications ids into their
// pages and takes their note-page marker off: the task of that marker,
// and the copy that follows every change of notifications the list shows.
// Notifications of a person without pages yet are numbered first.
func (st *Store) CopyNotes(ctx context.Context, ids []string) error {
	byUser := map[string][]string{}
	for _, id := range ids {
		byUser[noteOwner(id)] = append(byUser[noteOwner(id)], id)
	}
	for userID, ids := range byUser {
		refs, err := st.noteRefs(ctx, noteFilter(userID, ids))
		if err != nil {
			return err
		}
		if slices.ContainsFunc(refs, func(r noteRef) bool { return r.Seq == 0 }) {
			if err := st.ensureNoteHead(ctx, userID); err != nil {
				return err
			}
			if refs, err = st.noteRefs(ctx, noteFilter(userID, ids)); err != nil {
				return err
			}
		}
		if err := st.copyNotes(ctx, refs); err != nil {
			return err
		}
	}
	return nil
}

// noteFilter selects notifications ids of one person: an _id equality
// for one (pushed down on both backends), the person's otherwise.
func noteFilter(userID string, ids []string) bson.M {
	if len(ids) == 1 {
		return bson.M{"_id": ids[0]}
	}
	return bson.M{"userId": userID, "_id": bson.M{"$in": ids}}
}

// noteRefs reads where notifications sit in their pages.
func (st *Store) noteRefs(ctx context.Context, filter bson.M) ([]noteRef, error) {
	return database.FindAll[noteRef](ctx, "community: notification refs", st.notes, filter,
		options.Find().SetProjection(bson.M{"userId": 1, "seq": 1}))
}

// ensureNoteHead makes a person's head, numbering their notifications.
func (st *Store) ensureNoteHead(ctx context.Context, userID string) error {
	release, err := st.lock(ctx, st.notePages(), noteHeadID(userID))
	if err != nil {
		return err
	}
	defer release()
	_, err = st.noteHeadLocked(ctx, userID)
	return err
}

// copyNotes copies the notifications refs into their pages, page by page
// (copyNotePage). Refs without seq are left with their marker: the task
// of the marker numbers and copies them.
func (st *Store) copyNotes(ctx context.Context, refs []noteRef) error {
	byPage := map[string][]noteRef{}
	var order []string
	for _, r := range refs {
		if r.Seq == 0 {
			continue
		}
		id := notePageID(r.UserID, notePageOf(r.Seq))
		if _, ok := byPage[id]; !ok {
			order = append(order, id)
		}
		byPage[id] = append(byPage[id], r)
	}
	for _, id := range order {
		if err := st.copyNotePage(ctx, id, byPage[id]); err != nil {
			return err
		}
	}
	return nil
}

// copyNotePage copies notifications of one page under the page's lock:
// it reads their current state, $sets their entries, then takes off the
// note-page marker of each one whose state is still the one copied (a
// guarded update: a change written after the read keeps its marker, and
// its own copy, or the marker's task, copies it).
func (st *Store) copyNotePage(ctx context.Context, pageID string, refs []noteRef) error {
	release, err := st.lock(ctx, st.notePages(), pageID)
	if err != nil {
		return err
	}
	defer release()
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	notes, err := database.FindAll[noteDoc](ctx, "community: notifications to copy", st.notes, noteFilter(refs[0].UserID, ids))
	if err != nil {
		return err
	}
	set := bson.M{}
	for _, n := range notes {
		if n.Seq > 0 && notePageID(n.UserID, notePageOf(n.Seq)) == pageID {
			set["notes."+strconv.Itoa(n.Seq)] = n.Notification
		}
	}
	if len(set) == 0 {
		return nil
	}
	if _, err := st.notePages().UpdateOne(ctx, bson.M{"_id": pageID}, bson.M{"$set": set}, upsert); err != nil {
		return database.Wrap(err, "community: notification page")
	}
	for _, n := range notes {
		if n.Seq == 0 || !slices.Contains(n.Pending, markerNotePage) {
			continue
		}
		// Notifications carry no other marker: pendingAt goes with it.
		if _, err := st.notes.UpdateOne(ctx,
			bson.M{"_id": n.ID, "read": n.Read, "digested": n.Digested, "byName": n.ByName},
			bson.M{"$pull": bson.M{"pending": markerNotePage}, "$unset": bson.M{"pendingAt": ""}}); err != nil {
			return database.Wrap(err, "community: notification copied")
		}
	}
	return nil
}

// NotificationPage lists a person's newest notifications, at most
// NotePageSize, newest first, from their head and one or two page
// documents: the last page, and the one before when the last is not full
// (whatever the number of notifications: 2 or 3 store commands). A person
// without a head has their notifications numbered first (once).
func (st *Store) NotificationPage(ctx context.Context, userID string) ([]Notification, error) {
	head := &noteHead{}
	err := st.notePages().FindOne(ctx, bson.M{"_id": noteHeadID(userID)}).Decode(head)
	if errors.Is(err, mongo.ErrNoDocuments) {
		if err := st.ensureNoteHead(ctx, userID); err != nil {
			return nil, err
		}
		err = st.notePages().FindOne(ctx, bson.M{"_id": noteHeadID(userID)}).Decode(head)
	}
	if err != nil {
		return nil, database.Wrap(err, "community: notification head")
	}
	if head.Next == 0 {
		return []Notification{}, nil
	}
	type entry struct {
		seq int
		n   Notification
	}
	var all []entry
	for k := notePageOf(head.Next); k >= 0 && k >= notePageOf(head.Next)-1; k-- {
		doc := &notePageDoc{}
		err := st.notePages().FindOne(ctx, bson.M{"_id": notePageID(userID, k)}).Decode(doc)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, database.Wrap(err, "community: notification page")
		}
		for key, n := range doc.Notes {
			seq, err := strconv.Atoi(key)
			if err != nil || n.ID == "" {
				continue
			}
			all = append(all, entry{seq, n})
		}
		if len(doc.Notes) >= NotePageSize {
			break
		}
	}
	slices.SortFunc(all, func(a, b entry) int { return b.seq - a.seq })
	out := make([]Notification, 0, min(len(all), NotePageSize))
	for _, e := range all[:min(len(all), NotePageSize)] {
		e.n.Read = e.n.Read || e.seq <= head.ReadUpTo
		e.n.UserID = userID
		out = append(out, e.n)
	}
	return out, nil
}

// MarkAllRead marks every notification of a person read, on their pages
// (the head's readUpTo: everything numbered up to now reads as read, one
// write whatever the number) and in the notifications, and sets their
// unread count to zero, all under the head's lock: a notification added
// at the same time is either numbered, inserted and counted before (and
// marked read) or after (and unread, counted once).
func (st *Store) MarkAllRead(ctx context.Context, userID string) error {
	release, err := st.lock(ctx, st.notePages(), noteHeadID(userID))
	if err != nil {
		return err
	}
	defer release()
	head, err := st.noteHeadLocked(ctx, userID)
	if err != nil {
		return err
	}
	if _, err := st.notes.UpdateMany(ctx, bson.M{"userId": userID, "read": false}, bson.M{"$set": bson.M{"read": true}}); err != nil {
		return database.Wrap(err, "community: mark read")
	}
	if _, err := st.notePages().UpdateOne(ctx, bson.M{"_id": head.ID}, bson.M{"$set": bson.M{"readUpTo": head.Next}}); err != nil {
		return database.Wrap(err, "community: mark read")
	}
	return st.ResetUnread(ctx, userID)
}

// deleteNotePages deletes a person's pages and head (their erasure).
func (st *Store) deleteNotePages(ctx context.Context, userID string) error {
	head := &noteHead{}
	err := st.notePages().FindOne(ctx, bson.M{"_id": noteHeadID(userID)}).Decode(head)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return database.Wrap(err, "community: notification head")
	}
	for k := 0; k <= notePageOf(max(head.Next, 1)); k++ {
		if _, err := st.notePages().DeleteOne(ctx, bson.M{"_id": notePageID(userID, k)}); err != nil {
			return database.Wrap(err, "community: erase notification pages")
		}
	}
	if _, err := st.notePages().DeleteOne(ctx, bson.M{"_id": head.ID}); err != nil {
		return database.Wrap(err, "community: erase notification pages")
	}
	return nil
}

// insertUnnumbered stores a notification as before pages: without seq,
// and without counting it (tests: a person from before pages).
func (st *Store) insertUnnumbered(ctx context.Context, n Notification) error {
	if _, err := st.notes.InsertOne(ctx, n); err != nil {
		return database.Wrap(err, "community: notification")
	}
	return nil
}

// notePage reads a person's page k as stored, keyed by seq.
func (st *Store) notePage(ctx context.Context, userID string, k int) (map[int]Notification, error) {
	doc := &notePageDoc{}
	err := st.notePages().FindOne(ctx, bson.M{"_id": notePageID(userID, k)}).Decode(doc)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, database.Wrap(err, "community: notification page")
	}
	out := map[int]Notification{}
	for key, n := range doc.Notes {
		seq, err := strconv.Atoi(key)
		if err != nil {
			return nil, err
		}
		out[seq] = n
	}
	return out, nil
}

// notePending reads a notification's seq and markers (tests).
func (st *Store) notePending(ctx context.Context, id string) (int, []string, error) {
	var n noteDoc
	if err := st.notes.FindOne(ctx, bson.M{"_id": id}).Decode(&n); err != nil {
		return 0, nil, database.Wrap(err, "community: notification")
	}
	return n.Seq, n.Pending, nil
}
