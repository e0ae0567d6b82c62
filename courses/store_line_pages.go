package courses

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// The inspectors' list of ledger lines is also kept in page documents,
// LinePageSize lines each, one list per scope a reviewer can have (the
// nation, an académie, a département, a circonscription), so that a page
// of the list is read by _id on every backend: FerretDB filters ranges and
// sorts in Go, after reading every line the equality on the académie
// returned (every line on SQLite). The ledger stays the source of truth; a
// page document is a copy. docs/store.md, "Hours pages".

// LinePagesCollection holds the pages of each scope's list of lines, _id
// "<scope>:<k>", and their head, _id "<scope>:head".
const LinePagesCollection = "hours_pages"

// LinePageSize is the number of lines a page document holds.
const LinePageSize = 100

// maxLinePagesRead bounds the page documents one request of the list
// reads: a filter that matches few lines returns a short page with a
// cursor rather than read on.
const maxLinePagesRead = 5

// rebuildLockTTL bounds the lock of a scope's head while its lines are
// numbered from the ledger (the migration of a scope, done once).
const rebuildLockTTL = 5 * time.Minute

// LinePlace is where a line sits in one scope's list: the scope's key and
// the line's number there (from 1).
type LinePlace struct {
	Scope string `bson:"k" json:"-"`
	Seq   int    `bson:"s" json:"-"`
}

// pageScope is one list of lines: its key and the ledger filter that
// selects its lines (used only to number them from the ledger).
type pageScope struct {
	key    string
	filter bson.M
}

// scopeParts are the fields of a territory a scope can narrow to, in order.
var scopeParts = []string{"territory.academie", "territory.departement", "territory.circonscription"}

// pageScopes lists the lists a line of territory t belongs to: the
// nation's, then its académie's, département's and circonscription's, as
// far as t names them (a scope names each level above the one it sets).
func pageScopes(t profile.Territory) []pageScope {
	out := []pageScope{{key: "*", filter: bson.M{}}}
	vals := []string{t.Academie, t.Departement, t.Circonscription}
	var key []string
	f := bson.M{}
	for i, v := range vals {
		if v == "" {
			break
		}
		key = append(key, url.QueryEscape(v))
		f = maps.Clone(f)
		f[scopeParts[i]] = v
		out = append(out, pageScope{key: strings.Join(key, "/"), filter: f})
	}
	return out
}

// pageScope is the list of the lines sc covers.
func (sc lineScope) pageScope() pageScope {
	if sc.all {
		return pageScopes(profile.Territory{})[0]
	}
	all := pageScopes(sc.territory.Scope())
	return all[len(all)-1]
}

// linePageDoc is one page of a scope's list, its lines keyed by their seq
// as a decimal string, so that copying one line is a $set of one field.
type linePageDoc struct {
	ID    string          `bson:"_id"`
	Lines map[string]Line `bson:"lines"`
}

// lineHead is the head of a scope's list: the last seq given.
type lineHead struct {
	ID   string `bson:"_id"`
	Next int    `bson:"next"`
}

func linePageOf(seq int) int                { return (seq - 1) / LinePageSize }
func linePageID(scope string, k int) string { return scope + ":" + strconv.Itoa(k) }
func lineHeadID(scope string) string        { return scope + ":head" }

// placeIn returns the line's seq in scope, 0 when it has none yet.
func (l *Line) placeIn(scope string) int {
	for _, p := range l.Places {
		if p.Scope == scope {
			return p.Seq
		}
	}
	return 0
}

// pageEntry is the line as its pages keep it: without its outbox markers
// and places.
func pageEntry(l Line) Line {
	l.Pending, l.PendingAt, l.Places = nil, time.Time{}, nil
	return l
}

// lockLine locks a ledger line against other writers (see Service.lockLine).
func (s *Store) lockLine(ctx context.Context, id string) (func(), error) {
	return s.claims.Lock(ctx, "ledger:"+id, 10*time.Second)
}

// lockPageDoc locks a page or head document of the lists.
func (s *Store) lockPageDoc(ctx context.Context, id string, ttl time.Duration) (func(), error) {
	return s.claims.Lock(ctx, LinePagesCollection+":"+id, ttl)
}

// insertMarked stores a new line with its line-page marker: its place in
// the inspectors' lists follows (PlaceLine), and a crash before it leaves
// the marker, whose task places it. A line with its id already there is a
// duplicate (database.IsDuplicate).
func (s *Store) insertMarked(ctx context.Context, l *Line, now time.Time) error {
	if !slices.Contains(l.Pending, markerLinePage) {
		l.Pending = append(l.Pending, markerLinePage)
	}
	if l.PendingAt.IsZero() {
		l.PendingAt = now
	}
	l.Places = nil
	_, err := s.ledger.InsertOne(ctx, l)
	return err
}

// PlaceLine gives line id its place in each of its scopes' lists that it
// has none in yet, copies its current state into its pages and takes its
// line-page marker off: the copy after a line is stored, and the task of
// that marker. Doing it again changes nothing. A line that does not exist
// is nothing to place.
func (s *Store) PlaceLine(ctx context.Context, id string) error {
	l, err := s.line(ctx, id)
	if err != nil {
		if errkind.IsNotFound(err) {
			return nil
		}
		return err
	}
	var missing []pageScope
	for _, ps := range pageScopes(l.Territory) {
		if l.placeIn(ps.key) == 0 {
			missing = append(missing, ps)
		}
	}
	if len(missing) > 0 {
		if err := s.placeLineIn(ctx, id, missing); err != nil {
			return err
		}
	}
	release, err := s.lockLine(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	return s.recopyLines(ctx, []string{id})
}

// recopyLines reads lines ids and copies their state into their pages
// (copyLines). The caller holds the lock of every line, so the state read
// is the latest, places included.
func (s *Store) recopyLines(ctx context.Context, ids []string) error {
	filter := bson.M{"_id": bson.M{"$in": ids}}
	if len(ids) == 1 {
		filter = bson.M{"_id": ids[0]} // the filter FerretDB/SQLite pushes down
	}
	lines, err := database.FindAll[Line](ctx, "courses: lines to copy", s.ledger, filter)
	if err != nil {
		return err
	}
	return s.copyLines(ctx, lines)
}

// placeLineIn gives line id the next seq of each list of scopes, under
// the locks of their heads (so two lines added at once get two seqs; taken
// from the nation's down, the same order for every line) and the line's
// (so no other writer of the line overwrites its places). The heads are
// advanced before the line records its places: a crash between the two
// leaves unused seqs, gaps the list skips, never two lines with one seq.
func (s *Store) placeLineIn(ctx context.Context, id string, scopes []pageScope) error {
	heads := make([]*lineHead, len(scopes))
	for i, ps := range scopes {
		release, err := s.lockPageDoc(ctx, lineHeadID(ps.key), rebuildLockTTL)
		if err != nil {
			return err
		}
		defer release()
		if heads[i], err = s.lineHeadLocked(ctx, ps); err != nil {
			return err
		}
	}
	releaseLine, err := s.lockLine(ctx, id)
	if err != nil {
		return err
	}
	defer releaseLine()
	l, err := s.line(ctx, id)
	if err != nil {
		return err
	}
	var places []LinePlace
	for i, ps := range scopes {
		if l.placeIn(ps.key) > 0 { // numbered by the head's rebuild, or placed meanwhile
			continue
		}
		seq := heads[i].Next + 1
		if _, err := s.linePages().UpdateOne(ctx, bson.M{"_id": heads[i].ID}, bson.M{"$set": bson.M{"next": seq}}); err != nil {
			return database.Wrap(err, "courses: hours list head")
		}
		places = append(places, LinePlace{Scope: ps.key, Seq: seq})
	}
	if len(places) == 0 {
		return nil
	}
	if _, err := s.ledger.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$push": bson.M{"places": bson.M{"$each": places}}}); err != nil {
		return database.Wrap(err, "courses: place a ledger line")
	}
	return nil
}

// lineHeadLocked reads the head of ps's list, numbering the list from the
// ledger first when the head is missing (a scope without lines yet, or
// whose lines are from before pages). The caller holds the head's lock.
func (s *Store) lineHeadLocked(ctx context.Context, ps pageScope) (*lineHead, error) {
	head, err := database.FindByID[lineHead](ctx, "courses: hours list head", s.linePages(), lineHeadID(ps.key))
	if head == nil && err == nil {
		return s.numberLines(ctx, ps)
	}
	return head, err
}

// numberLines is the migration of a scope's lines to pages, and the
// creation of its head: the lines that have a place in the list keep it,
// the others get the next seqs in order of creation; then page by page,
// under the locks of the page's lines (so that no review copies a newer
// state that this would overwrite), each line's place is recorded and its
// state read again, and the page written. The head comes last: a crash
// leaves no head, and the next run keeps the places already given. The
// slow path (every line of the scope, once); the caller holds the head's
// lock.
func (s *Store) numberLines(ctx context.Context, ps pageScope) (*lineHead, error) {
	lines, err := database.FindAll[Line](ctx, "courses: lines to number", s.ledger, ps.filter,
		options.Find().SetProjection(bson.M{"places": 1, "createdAt": 1}).
			SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	next := 0
	for i := range lines {
		next = max(next, lines[i].placeIn(ps.key))
	}
	byPage := map[int][]numbered{}
	for i := range lines {
		seq := lines[i].placeIn(ps.key)
		if seq == 0 {
			next++
			seq = next
		}
		byPage[linePageOf(seq)] = append(byPage[linePageOf(seq)], numbered{id: lines[i].ID, seq: seq})
	}
	for k := 0; k <= linePageOf(max(next, 1)); k++ {
		if err := s.numberPage(ctx, ps.key, k, byPage[k]); err != nil {
			return nil, err
		}
	}
	head := &lineHead{ID: lineHeadID(ps.key), Next: next}
	if _, err := s.linePages().UpdateOne(ctx, bson.M{"_id": head.ID}, bson.M{"$max": bson.M{"next": next}}, upsertOne); err != nil {
		return nil, database.Wrap(err, "courses: hours list head")
	}
	return head, nil
}

// numbered is a line and the seq numberLines gives it.
type numbered struct {
	id  string
	seq int
}

// numberPage records the places of one page's lines in scope and writes
// the page from their state read under their locks.
func (s *Store) numberPage(ctx context.Context, scope string, k int, ids []numbered) error {
	if len(ids) == 0 {
		return nil
	}
	set := bson.M{}
	for _, p := range ids {
		release, err := s.lockLine(ctx, p.id)
		if err != nil {
			return err
		}
		defer release()
		l, err := s.line(ctx, p.id) // by _id alone: the only filter FerretDB/SQLite pushes down
		if err != nil {
			return err
		}
		if l.placeIn(scope) == 0 {
			place := LinePlace{Scope: scope, Seq: p.seq}
			if _, err := s.ledger.UpdateOne(ctx, bson.M{"_id": p.id}, bson.M{"$push": bson.M{"places": place}}); err != nil {
				return database.Wrap(err, "courses: number a ledger line")
			}
			l.Places = append(l.Places, place)
		}
		if seq := l.placeIn(scope); seq > 0 && linePageOf(seq) == k {
			set["lines."+strconv.Itoa(seq)] = pageEntry(*l)
		}
	}
	return s.setLinePage(ctx, linePageID(scope, k), set)
}

// setLinePage $sets entries of a page document (created if missing) under the page's lock.
func (s *Store) setLinePage(ctx context.Context, id string, set bson.M) error {
	if len(set) == 0 {
		return nil
	}
	release, err := s.lockPageDoc(ctx, id, 10*time.Second)
	if err != nil {
		return err
	}
	defer release()
	if _, err := s.linePages().UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": set}, upsertOne); err != nil {
		return database.Wrap(err, "courses: hours page")
	}
	return nil
}

// copyLines copies lines, as given, into their pages, one update a page,
// and takes the line-page marker off those placed in every scope of
// theirs (a line still without a place keeps it: its task places it). The
// caller holds the lock of every line, and gives each line's current
// state.
func (s *Store) copyLines(ctx context.Context, lines []Line) error {
	byPage := map[string]bson.M{}
	var order []string
	var done []string
	for _, l := range lines {
		scopes := pageScopes(l.Territory)
		placed := 0
		for _, ps := range scopes {
			seq := l.placeIn(ps.key)
			if seq == 0 {
				continue
			}
			placed++
			id := linePageID(ps.key, linePageOf(seq))
			if byPage[id] == nil {
				byPage[id] = bson.M{}
				order = append(order, id)
			}
			byPage[id]["lines."+strconv.Itoa(seq)] = pageEntry(l)
		}
		if placed == len(scopes) {
			done = append(done, l.ID)
		}
	}
	for _, id := range order {
		if err := s.setLinePage(ctx, id, byPage[id]); err != nil {
			return err
		}
	}
	if len(done) == 0 {
		return nil
	}
	// pendingAt stays: the sweeper drops it once no marker is left.
	filter := bson.M{"_id": done[0]}
	if len(done) > 1 {
		filter = bson.M{"_id": bson.M{"$in": done}}
	}
	if _, err := s.ledger.UpdateMany(ctx, filter, bson.M{"$pull": bson.M{"pending": markerLinePage}}); err != nil {
		return database.Wrap(err, "courses: ledger line copied")
	}
	return nil
}

// listPage reads the lines of ps's list after the seq after, in order,
// keeping those keep accepts, until limit lines or maxLinePagesRead page
// documents; next is the seq to continue after (0 when the list is read
// to its end). A scope without a head has its lines numbered first (once).
func (s *Store) listPage(ctx context.Context, ps pageScope, after, limit int, keep func(*Line) bool) (lines []Line, next int, err error) {
	head := &lineHead{}
	err = s.linePages().FindOne(ctx, bson.M{"_id": lineHeadID(ps.key)}).Decode(head)
	if errors.Is(err, mongo.ErrNoDocuments) {
		if head, err = s.ensureLineHead(ctx, ps); err != nil {
			return nil, 0, err
		}
	} else if err != nil {
		return nil, 0, database.Wrap(err, "courses: hours list head")
	}
	lines = []Line{}
	after = max(after, 0)
	for read := 0; read < maxLinePagesRead && after < head.Next; read++ {
		k := linePageOf(after + 1)
		doc := &linePageDoc{}
		err := s.linePages().FindOne(ctx, bson.M{"_id": linePageID(ps.key, k)}).Decode(doc)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, 0, database.Wrap(err, "courses: hours page")
		}
		seqs := make([]int, 0, len(doc.Lines))
		for key := range doc.Lines {
			if seq, err := strconv.Atoi(key); err == nil && seq > after {
				seqs = append(seqs, seq)
			}
		}
		slices.Sort(seqs)
		for _, seq := range seqs {
			l := doc.Lines[strconv.Itoa(seq)]
			if !keep(&l) {
				continue
			}
			lines = append(lines, l)
			if len(lines) == limit {
				if seq < head.Next {
					next = seq
				}
				return lines, next, nil
			}
		}
		after = (k + 1) * LinePageSize
	}
	if after < head.Next {
		next = after
	}
	return lines, next, nil
}

// ensureLineHead makes ps's head, numbering its lines, and returns it.
func (s *Store) ensureLineHead(ctx context.Context, ps pageScope) (*lineHead, error) {
	release, err := s.lockPageDoc(ctx, lineHeadID(ps.key), rebuildLockTTL)
	if err != nil {
		return nil, err
	}
	defer release()
	return s.lineHeadLocked(ctx, ps)
}

func (s *Store) linePages() *mongo.Collection { return s.pages }
