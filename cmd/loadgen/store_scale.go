package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/assessments"
	"ardoise/certificates"
	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/database"
	"ardoise/profile"
)

// The scale scenario's prefill writes the domains' own structs, so that
// every document has the exact shape (bson tags) Ardoise writes, straight
// into their collections in batches: going through the services would take
// hours at a million documents.

// scaleBatch is the number of documents of one InsertMany.
const scaleBatch = 1000

// bigAcademie holds most of the hours lines (and of the people).
const bigAcademie = "versailles"

// scalePeople are the accounts the measured requests are made as, made
// through the services before the prefill.
type scalePeople struct {
	learner   *profile.User // follows a module, has finished tests, the 5,000 notifications
	inspector *profile.User // scope: bigAcademie
}

// scaleFixture is what the measurements read: the biggest group of each list.
type scaleFixture struct {
	bigThread      string
	bigThreadPosts int
	bigSpace       string
	spaceLastAfter string // the sort key after which the big space's last page starts
	spaceThreads   int
	resultID       string // a finished test of the learner, in the archive
	codes          []string
	hoursLastAfter string // the cursor after which the big académie's last page document of hours starts
	hoursLines     int
	notes          int           // the learner's notifications
	threads        []scaleThread // a sample of the threads, for --readers
}

// scaleThread is a prefilled thread and its number of posts.
type scaleThread struct {
	id    string
	posts int
}

// prefiller inserts one collection's documents in batches and tells progress.
type prefiller struct {
	db   *database.DB
	out  io.Writer
	size int
	// skip are the collections no measured kind reads (see scaleNeeds).
	skip map[string]bool
}

func (p *prefiller) insert(ctx context.Context, collection string, n int, doc func(i int) any) error {
	if p.skip[collection] {
		fmt.Fprintf(p.out, "  %s: not prefilled (no measured kind reads it)\n", collection)
		return nil
	}
	coll := p.db.Collection(collection)
	start := time.Now()
	for i := 0; i < n; i += scaleBatch {
		docs := make([]any, 0, min(scaleBatch, n-i))
		for j := i; j < n && j < i+scaleBatch; j++ {
			docs = append(docs, doc(j))
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			return fmt.Errorf("prefill %s: %w", collection, err)
		}
		if done := i + len(docs); done%(20*scaleBatch) == 0 || done == n {
			fmt.Fprintf(p.out, "  %s: %d/%d (%.0f docs/s)\n", collection, done, n, float64(done)/time.Since(start).Seconds())
		}
	}
	return nil
}

// scaleUser is prefilled person i: most in bigAcademie, the others spread.
func scaleUser(i int) (id string, terr profile.Territory) {
	id = fmt.Sprintf("su%08d", i)
	if i%10 < 8 {
		deps := []string{"78", "91", "92", "95"}
		d := deps[i%len(deps)]
		return id, profile.Territory{Academie: bigAcademie, Departement: d, Circonscription: fmt.Sprintf("Circonscription %s-%d", d, i%37),
			UAI: fmt.Sprintf("0%s%04dA", d, i%997)}
	}
	others := []struct{ a, d string }{{"lyon", "69"}, {"lille", "59"}, {"toulouse", "31"}, {"bordeaux", "33"}}
	o := others[i%len(others)]
	return id, profile.Territory{Academie: o.a, Departement: o.d, Circonscription: fmt.Sprintf("Circonscription %s-%d", o.d, i%23),
		UAI: fmt.Sprintf("0%s%04dB", o.d, i%991)}
}

// prefillScale fills posts (with their threads and spaces), finished
// tests, enrolments, ledger lines (with their attestations), users and
// notifications to size documents each, with uneven groups: one thread of
// 2,000 posts among threads of 5–50, one space holding half the threads,
// one académie holding most hours lines, the learner with 5,000
// notifications.
func prefillScale(ctx context.Context, db *database.DB, size int, people scalePeople, modules []string, skip map[string]bool, out io.Writer) (*scaleFixture, error) {
	p := &prefiller{db: db, out: out, size: size, skip: skip}
	rng := rand.New(rand.NewPCG(uint64(size), 12))
	base := time.Now().UTC().Add(-time.Duration(size) * time.Minute).Truncate(time.Millisecond)
	f := &scaleFixture{bigSpace: "parents-parents"}
	users := size

	// Users.
	if err := p.insert(ctx, profile.UsersCollection, users, func(i int) any {
		id, terr := scaleUser(i)
		handle := fmt.Sprintf("charge-%08d", i)
		return &profile.User{ID: id, Email: fmt.Sprintf("charge.%d@exemple.fr", i), EmailLower: fmt.Sprintf("charge.%d@exemple.fr", i),
			EmailVerified: true, Name: fmt.Sprintf("Personne %d", i), Handle: handle, HandleSkeleton: handle, Kind: profile.KindTeacher,
			Roles: []profile.Role{profile.RoleLearner}, Territory: terr,
			SpaceMembership: profile.SpaceMembership{SpaceAcademie: terr.Academie, SpaceDepartement: terr.Departement},
			PasswordHash:    "prefilled-no-sign-in", CreatedAt: base, UpdatedAt: base}
	}); err != nil {
		return nil, err
	}

	// Spaces, threads and posts (with the page documents community keeps
	// of them): the big thread first, then threads of 5–50 posts until the
	// posts number size; half the threads in the big space, the others in
	// 20 theme spaces.
	const themes = 20
	if err := p.insert(ctx, community.SpacesCollection, themes, func(i int) any {
		ref := fmt.Sprintf("charge-%02d", i)
		return &community.Space{ID: community.KindTheme + "-" + ref, Kind: community.KindTheme, Ref: ref, Title: "Thème de charge " + ref,
			Visibility: community.Public, Moderators: []string{}, Silenced: []community.Silence{}, CreatedAt: base}
	}); err != nil {
		return nil, err
	}
	f.bigThreadPosts = min(2000, size/5)
	var sizes []int
	for left := size - f.bigThreadPosts; left > 0; {
		n := min(left, 5+rng.IntN(46))
		sizes = append(sizes, n)
		left -= n
	}
	// The big thread is thread 0, in the big space; its last post is the newest.
	sizes = append([]int{f.bigThreadPosts}, sizes...)
	threadIDs := make([]string, len(sizes))
	spaceOf := make([]string, len(sizes))
	lastAt := make([]time.Time, len(sizes))
	var bigKeys []string
	for t := range sizes {
		threadIDs[t] = fmt.Sprintf("fil%07d", t)
		spaceOf[t] = f.bigSpace
		if t%2 == 1 {
			spaceOf[t] = fmt.Sprintf("%s-charge-%02d", community.KindTheme, t%themes)
		}
		lastAt[t] = base.Add(time.Duration(t) * time.Minute)
		if t == 0 {
			lastAt[t] = base.Add(time.Duration(len(sizes)) * time.Minute)
		}
		if spaceOf[t] == f.bigSpace {
			bigKeys = append(bigKeys, threadSortKey(lastAt[t], threadIDs[t]))
		}
	}
	f.bigThread, f.spaceThreads = threadIDs[0], len(bigKeys)
	sort.Sort(sort.Reverse(sort.StringSlice(bigKeys)))
	if len(bigKeys) > community.PageSize {
		// The cursor a reader paging down the list gets for its last page:
		// the key, and the list page that holds the threads after it (the
		// oldest: page 0).
		f.spaceLastAfter = bigKeys[len(bigKeys)-community.PageSize-1] + "~0"
	}
	threads := make([]community.Thread, len(sizes))
	for t := range threads {
		threads[t] = community.Thread{ID: threadIDs[t], SpaceID: spaceOf[t], Title: fmt.Sprintf("Fil de charge %d", t), AuthorID: "su00000001",
			AuthorName: "Personne 1", Posts: sizes[t], LastPostAt: lastAt[t], SortKey: threadSortKey(lastAt[t], threadIDs[t]),
			CreatedAt: lastAt[t].Add(-time.Duration(sizes[t]) * time.Second)}
	}
	for t := 0; t < len(threads); t += max(1, len(threads)/1000) {
		f.threads = append(f.threads, scaleThread{threads[t].ID, threads[t].Posts})
	}
	lists := placeThreads(threads)
	if err := p.insert(ctx, community.ThreadsCollection, len(threads), func(t int) any { return &threads[t] }); err != nil {
		return nil, err
	}
	if err := p.insert(ctx, community.ThreadListsCollection, len(lists), func(i int) any { return lists[i] }); err != nil {
		return nil, err
	}
	type postRef struct {
		thread, seq int
	}
	refs := make([]postRef, 0, size)
	for t, n := range sizes {
		for s := 1; s <= n; s++ {
			refs = append(refs, postRef{t, s})
		}
	}
	postID := func(r postRef) string { return fmt.Sprintf("%s.%06d", threadIDs[r.thread], r.seq) }
	body := strings.Repeat("Un message de charge avec du **texte** et un [lien](https://eduscol.education.fr). ", 4)
	html := "<p>" + strings.Repeat(`Un message de charge avec du <strong>texte</strong> et un <a href="https://eduscol.education.fr" rel="nofollow noopener" target="_blank">lien</a>. `, 4) + "</p>"
	post := func(t, seq int) *community.Post {
		author, _ := scaleUser((t*7919 + seq) % users)
		return &community.Post{ID: postID(postRef{t, seq}), ThreadID: threadIDs[t], SpaceID: spaceOf[t], Seq: seq, AuthorID: author,
			AuthorName: "Personne", AuthorHandle: "charge", Source: body, HTML: html, PolicyVersion: "ardoise-ugc-2",
			Tokens:    []string{"charge", "message", "texte", "lien"},
			CreatedAt: lastAt[t].Add(-time.Duration(sizes[t]-seq) * time.Second)}
	}
	if err := p.insert(ctx, community.PostsCollection, len(refs), func(i int) any {
		return post(refs[i].thread, refs[i].seq)
	}); err != nil {
		return nil, err
	}
	if err := prefillPostPages(ctx, p, sizes, threadIDs, post); err != nil {
		return nil, err
	}

	// Notifications: the learner's 5,000 about the first posts, the others
	// one per post for someone else.
	f.notes = min(5000, size/2)
	notes := make([]community.Notification, size)
	for i := range notes {
		r := refs[i%len(refs)]
		user, _ := scaleUser(i % users)
		if i < f.notes {
			user = people.learner.ID
		}
		notes[i] = community.Notification{ID: postID(r) + "|" + user, UserID: user, Kind: "reply", PostID: postID(r),
			ThreadID: threadIDs[r.thread], Title: fmt.Sprintf("Fil de charge %d", r.thread), ByName: "Personne",
			Read: i%3 == 0, Digested: i%2 == 0, CreatedAt: base.Add(time.Duration(i) * time.Second)}
	}
	stored, notePages, err := numberedNotes(notes)
	if err != nil {
		return nil, err
	}
	if err := p.insert(ctx, community.NotificationsCollection, len(stored), func(i int) any { return stored[i] }); err != nil {
		return nil, err
	}
	if err := p.insert(ctx, community.NotificationPagesCollection, len(notePages), func(i int) any { return notePages[i] }); err != nil {
		return nil, err
	}

	// Finished tests, three per person; the learner's first three among them.
	answers := make([]assessments.Recorded, 24)
	for j := range answers {
		answers[j] = assessments.Recorded{ChallengeID: fmt.Sprintf("crcn-charge-%02d", j), Answer: assessments.Answer{Choice: "a"},
			Correct: j%2 == 0, At: base, Millis: 8000}
	}
	f.resultID = "sr00000000000000"
	if err := p.insert(ctx, assessments.ResultsCollection, size, func(i int) any {
		user, _ := scaleUser(i / 3)
		if i < 3 {
			user = people.learner.ID
		}
		at := base.Add(time.Duration(i) * time.Second)
		return &assessments.Test{ID: fmt.Sprintf("sr%014d", i), UserID: user, Scope: assessments.Scope{Framework: "crcn"},
			ContentVersion: "charge", ParamsVersion: "initial", Seed: int64(i), State: assessments.StateFinished, Answered: len(answers),
			Answers: answers, Result: &assessments.Result{Score: 300 + i%300, Level: 1 + i%5, Theta: 0.1, SE: 0.3,
				Competences: []assessments.CompetenceResult{{ID: "1.1", Level: 2, Theta: 0.1, SE: 0.4}}, ScoringVersion: "charge"},
			CreatedAt: at.Add(-20 * time.Minute), UpdatedAt: at, FinishedAt: at}
	}); err != nil {
		return nil, err
	}

	// Each person's newest test (assessments' heads): the last of their three.
	heads := (size + 2) / 3
	if err := p.insert(ctx, assessments.HeadsCollection, heads, func(h int) any {
		i := min(size-1, 3*h+2)
		user, _ := scaleUser(i / 3)
		if i/3 == 0 {
			user = people.learner.ID
		}
		return bson.M{"_id": "u:" + user + "|crcn|", "owner": "u:" + user, "testId": fmt.Sprintf("sr%014d", i),
			"createdAt": base.Add(time.Duration(i) * time.Second).Add(-20 * time.Minute)}
	}); err != nil {
		return nil, err
	}

	// Enrolments: each person in each module, until size.
	pages := make([]courses.PageProgress, 5)
	for j := range pages {
		pages[j] = courses.PageProgress{ID: fmt.Sprintf("%02d-page", j+1), Hash: "0123456789abcdef", SeenAt: base, ActiveSeconds: 120}
	}
	if err := p.insert(ctx, courses.EnrolmentsCollection, size, func(i int) any {
		user, _ := scaleUser(i / len(modules))
		slug := modules[i%len(modules)]
		e := &courses.Enrolment{ID: courses.EnrolmentID(user, slug), UserID: user, Slug: slug, Title: "Module " + slug, Version: 1,
			EnrolledAt: base, Pages: pages, Quizzes: []courses.QuizResult{}, ActiveSeconds: 600, Clock: base, ClockPage: "05-page", Seq: 12}
		if i%2 == 0 {
			e.Completion = &courses.CompletionRecord{At: base, Version: 1, State: courses.StateCredited, ActiveSeconds: 600,
				QuizScore: 1, DeclaredMinutes: 60}
		}
		return e
	}); err != nil {
		return nil, err
	}

	// Ledger lines: each person, module and school year, until size; the
	// people of the big académie hold most of them. Each has its attestation.
	years := []string{"2024-2025", "2025-2026"}
	lineOf := func(i int) (id, user string, terr profile.Territory, slug, year string) {
		user, terr = scaleUser(i / (len(modules) * len(years)))
		slug, year = modules[i%len(modules)], years[(i/len(modules))%len(years)]
		return courses.LineID(user, slug, year), user, terr, slug, year
	}
	pager, err := p.prefillLedger(ctx, size, func(i int) *courses.Line {
		id, user, terr, slug, year := lineOf(i)
		return &courses.Line{ID: id, LearnerID: user, LearnerName: "Personne", Slug: slug, Title: "Module " + slug, Version: 1,
			SchoolYear: year, Territory: terr, CountsFor: courses.CountsObligation, Nature: courses.NatureDistance, DeclaredMinutes: 60,
			ActiveMinutes: 64, NeededMinutes: 45, QuizScore: 1, Quizzes: []courses.QuizEvidence{}, EnrolmentID: courses.EnrolmentID(user, slug),
			CompletedAt: base, State: courses.StateCredited, CreatedAt: base,
			Events: []courses.Event{{At: base, By: "system", ByName: "Ardoise", Action: "credit", State: courses.StateCredited}}}
	})
	if err != nil {
		return nil, err
	}
	f.hoursLines = pager.Count(profile.Territory{Academie: bigAcademie})
	f.hoursLastAfter = strconv.Itoa(max(f.hoursLines-1, 0) / courses.LinePageSize * courses.LinePageSize)
	codes := make([]string, size)
	for i := range codes {
		b := make([]byte, certificates.CodeLength)
		for j := range b {
			b[j] = certificates.CodeAlphabet[rng.IntN(len(certificates.CodeAlphabet))]
		}
		codes[i] = string(b)
	}
	if err := p.insert(ctx, certificates.Collection, size, func(i int) any {
		id, user, _, slug, _ := lineOf(i)
		return &certificates.Certificate{ID: certificates.CertificateID(id), Code: codes[i], Kind: certificates.KindTraining, SourceID: id,
			HolderID: user, HolderName: "Personne", Locale: "fr", Title: "Module " + slug, Slug: slug, Version: 1,
			Objectives: []string{"Comprendre", "Appliquer"}, Nature: certificates.NatureDistance, Minutes: 60, CompletedAt: base,
			IssuedAt: base, Issuer: "Réseau Canopé — Ardoise", MailedAt: base,
			History: []certificates.Event{{At: base, By: certificates.SystemActor, Action: certificates.ActionIssued}}}
	}); err != nil {
		return nil, err
	}
	// Each code's document (certificates.CodesCollection), as issuing writes it.
	if err := p.insert(ctx, certificates.CodesCollection, size, func(i int) any {
		id, _, _, _, _ := lineOf(i)
		return bson.M{"_id": codes[i], "certificateId": certificates.CertificateID(id)}
	}); err != nil {
		return nil, err
	}
	for i := 0; i < len(codes); i += max(1, len(codes)/1000) {
		f.codes = append(f.codes, codes[i])
	}
	return f, nil
}

// pageFields are the fields of a post its page document leaves out
// (community/store_pages.go).
var pageFields = []string{"tokens", "pending", "pendingAt", "spaceId"}

// prefillPostPages writes the page documents community keeps of each
// thread (community/store_pages.go): _id "<threadId>:<k>", the page's
// posts keyed by their rank, without the fields in pageFields.
func prefillPostPages(ctx context.Context, p *prefiller, sizes []int, threadIDs []string, post func(t, seq int) *community.Post) error {
	var pages [][2]int // thread, page number (0-based)
	for t, n := range sizes {
		for k := 0; k*community.PageSize < n; k++ {
			pages = append(pages, [2]int{t, k})
		}
	}
	return p.insert(ctx, community.PostPagesCollection, len(pages), func(i int) any {
		t, k := pages[i][0], pages[i][1]
		entries := bson.D{}
		for seq := k*community.PageSize + 1; seq <= min((k+1)*community.PageSize, sizes[t]); seq++ {
			raw, _ := bson.Marshal(post(t, seq))
			var d bson.D
			_ = bson.Unmarshal(raw, &d)
			d = slices.DeleteFunc(d, func(e bson.E) bool { return slices.Contains(pageFields, e.Key) })
			entries = append(entries, bson.E{Key: strconv.Itoa(seq), Value: d})
		}
		return bson.D{{Key: "_id", Value: threadIDs[t] + ":" + strconv.Itoa(k)}, {Key: "posts", Value: entries}}
	})
}

// threadSortKey is community's sort key of a thread not pinned (threads.go).
func threadSortKey(last time.Time, id string) string {
	return fmt.Sprintf("0%019d%s", last.UnixNano(), id)
}

// finishRunning ends a person's test in progress as finishing it would,
// so that the next start makes a new test: the test_start measure starts a
// real test each time, without answering 20 questions in between.
func finishRunning(ctx context.Context, db *database.DB, testID string) error {
	now := time.Now().UTC()
	_, err := db.Collection(assessments.TestsCollection).UpdateOne(ctx, bson.M{"_id": testID, "state": assessments.StateStarted},
		bson.M{"$set": bson.M{"state": assessments.StateFinished, "finishedAt": now, "updatedAt": now,
			"result": &assessments.Result{Score: 300, Level: 2, Competences: []assessments.CompetenceResult{}, ScoringVersion: "charge"}},
			"$unset": bson.M{"current": ""}})
	return err
}

// analyzePostgres gathers the planner's statistics on the tables of a
// FerretDB database (a PostgreSQL schema) after the prefill, as autovacuum
// does on a production server after a bulk load (it may be off on a test
// server, leaving the planner to guess).
func analyzePostgres(ctx context.Context, pgURL, schema string) error {
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = $1", schema)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := conn.Exec(ctx, "ANALYZE "+pgx.Identifier{schema, t}.Sanitize()); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}

// scaleNeeds lists, for each prefilled collection, the kinds that read it
// (or whose answer depends on its size). --all-collections prefills every
// one whatever the kinds; otherwise a collection no measured kind needs is
// left empty, which makes a 1,000,000 run of a few kinds possible.
var scaleNeeds = map[string][]string{
	profile.UsersCollection:               {"profile", "inspector_hours"},
	community.ThreadsCollection:           {"thread_page", "thread_last_page", "space_threads", "readers"},
	community.ThreadListsCollection:       {"space_threads"},
	community.PostsCollection:             {"thread_page", "thread_last_page", "readers"},
	community.PostPagesCollection:         {"thread_page", "thread_last_page", "readers"},
	community.NotificationsCollection:     {"notifications"},
	community.NotificationPagesCollection: {"notifications"},
	assessments.ResultsCollection:         {"test_start", "result", "profile"},
	assessments.HeadsCollection:           {"test_start", "result", "profile"},
	courses.EnrolmentsCollection:          {"page_view", "heartbeat", "profile"},
	courses.LedgerCollection:              {"inspector_hours", "profile"},
	certificates.Collection:               {"verify", "profile"},
	certificates.CodesCollection:          {"verify"},
}

// skipped returns the collections none of kinds needs.
func skipped(kinds []string) map[string]bool {
	out := map[string]bool{}
	for coll, need := range scaleNeeds {
		if !slices.ContainsFunc(need, func(k string) bool { return slices.Contains(kinds, k) }) {
			out[coll] = true
		}
	}
	return out
}
