package courses_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/courses"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

var (
	paris5 = profile.Territory{Academie: "paris", Departement: "75", Circonscription: "Paris 5", UAI: "0751234A"}
	paris6 = profile.Territory{Academie: "paris", Departement: "75", Circonscription: "Paris 6", UAI: "0756789B"}
	lyon1  = profile.Territory{Academie: "lyon", Departement: "69", Circonscription: "Lyon 1", UAI: "0691234C"}
)

// ledgerLine is learner's line of module slug in terr, created at at.
func ledgerLine(learner, slug string, terr profile.Territory, state string, at time.Time) courses.Line {
	at = at.UTC().Truncate(time.Millisecond)
	year := courses.SchoolYear(at)
	return courses.Line{ID: courses.LineID(learner, slug, year), LearnerID: learner, LearnerName: "Enseignant " + learner,
		Slug: slug, Title: "Module " + slug, Version: 1, SchoolYear: year, Territory: terr, CountsFor: courses.CountsObligation,
		Nature: courses.NatureDistance, DeclaredMinutes: 60, CompletedAt: at, State: state, CreatedAt: at,
		Events: []courses.Event{{At: at, By: "system", Action: "credit", State: state}}}
}

// inspectorOf is an inspector whose scope is terr (as an admin set it).
func inspectorOf(id string, terr profile.Territory) *profile.User {
	return &profile.User{ID: id, Name: "Inspectrice " + id, Roles: []profile.Role{profile.RoleLearner, profile.RoleInspector}, Scope: terr.Scope()}
}

var admin = &profile.User{ID: "admin-national", Name: "Admin", Roles: []profile.Role{profile.RoleLearner, profile.RoleAdmin}}

// hoursFixture gives a test of the lists its context, store and service.
func hoursFixture(t *testing.T, env *testenv.Env) (context.Context, *courses.Store, *courses.Service) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx, courses.NewStore(env.Sys.DB, env.Sys.Claims), env.Sys.Courses
}

// retried runs f again while a burst of writers held a lock past its wait,
// or the store did not answer (as a task's retry would).
func retried(f func() error) error {
	err := f()
	for try := 0; try < 50 && errkind.Retryable(err); try++ {
		err = f()
	}
	return err
}

// listAll follows the cursor from the start and returns every line listed.
func listAll(ctx context.Context, t *testing.T, svc *courses.Service, u *profile.User, lf courses.LineFilter) []courses.Line {
	t.Helper()
	var out []courses.Line
	for range 100 {
		lines, next, err := svc.Lines(ctx, u, lf)
		if err != nil {
			t.Fatalf("list after %q: %v", lf.After, err)
		}
		out = append(out, lines...)
		if next == "" {
			return out
		}
		lf.After = next
	}
	t.Fatal("the cursor never ends")
	return nil
}

func ids(lines []courses.Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.ID
	}
	return out
}

// TestHoursListByPages: 231 lines of one département (three page
// documents), the inspector's own among them, and lines elsewhere: each
// scope lists its lines once, in the order they were added, a page at a
// time with the cursor; the filters apply on every page.
func TestHoursListByPages(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, store, svc := hoursFixture(t, env)
		insp := inspectorOf("insp-75", profile.Territory{Academie: "paris", Departement: "75"})
		start := time.Now().Add(-time.Hour)
		var want, validatedM1 []string
		for i := range 231 {
			learner, terr, state := fmt.Sprintf("t%03d", i), paris5, courses.StateCredited
			if i == 40 {
				learner = insp.ID // the inspector's own hours: never in their list
			}
			if i%2 == 1 {
				terr = paris6
			}
			if i%7 == 0 {
				state = courses.StateValidated
			}
			l := ledgerLine(learner, fmt.Sprintf("m%d", i%3), terr, state, start.Add(time.Duration(i)*time.Second))
			// Most from before the pages (the first list numbers them: a
			// quicker prefill), the last ones placed as they are added.
			add := store.InsertLegacy
			if i == 195 {
				if got := listAll(ctx, t, svc, admin, courses.LineFilter{}); len(got) != 195 {
					t.Fatalf("the nation numbered %d lines", len(got))
				}
			}
			if i >= 195 {
				add = store.ImportLine
			}
			if err := add(ctx, &l); err != nil {
				t.Fatal(err)
			}
			if learner != insp.ID {
				want = append(want, l.ID)
				if state == courses.StateValidated && l.Slug == "m1" {
					validatedM1 = append(validatedM1, l.ID)
				}
			}
		}
		far := ledgerLine("t900", "m1", lyon1, courses.StateCredited, start)
		if err := store.ImportLine(ctx, &far); err != nil {
			t.Fatal(err)
		}

		lines, next, err := svc.Lines(ctx, insp, courses.LineFilter{})
		if err != nil || len(lines) != 200 || next == "" || !slices.Equal(ids(lines), want[:200]) {
			t.Fatalf("first page: %d lines, next %q, %v", len(lines), next, err)
		}
		// What a request costs does not depend on the list: the head and
		// the pages of the 200 lines (a third when 200 ends a page), or at
		// most 5 pages for a filter that keeps few.
		counted, n := database.WithCounter(ctx)
		if _, _, err := svc.Lines(counted, insp, courses.LineFilter{}); err != nil || n.Load() < 3 || n.Load() > 4 {
			t.Fatalf("a page of 200 cost %d store commands (%v)", n.Load(), err)
		}
		counted, n = database.WithCounter(ctx)
		if _, _, err := svc.Lines(counted, insp, courses.LineFilter{State: courses.StateExported}); err != nil || n.Load() > 6 {
			t.Fatalf("a filtered page cost %d store commands (%v)", n.Load(), err)
		}
		rest, next2, err := svc.Lines(ctx, insp, courses.LineFilter{After: next})
		if err != nil || next2 != "" || !slices.Equal(ids(rest), want[200:]) {
			t.Fatalf("second page: %d lines, next %q, %v", len(rest), next2, err)
		}
		if got := listAll(ctx, t, svc, insp, courses.LineFilter{Limit: 37}); !slices.Equal(ids(got), want) {
			t.Fatalf("by 37: %d lines", len(got))
		}
		got := listAll(ctx, t, svc, insp, courses.LineFilter{State: courses.StateValidated, Slug: "m1", SchoolYear: courses.SchoolYear(start)})
		if !slices.Equal(ids(got), validatedM1) || len(validatedM1) == 0 {
			t.Fatalf("filtered: %v, want %v", ids(got), validatedM1)
		}
		if got := listAll(ctx, t, svc, insp, courses.LineFilter{SchoolYear: "1999-2000"}); len(got) != 0 {
			t.Fatalf("another year: %d lines", len(got))
		}
		// Narrower and other scopes.
		circ := inspectorOf("insp-p6", paris6)
		for _, l := range listAll(ctx, t, svc, circ, courses.LineFilter{}) {
			if l.Territory.Circonscription != "Paris 6" {
				t.Fatalf("Paris 6 lists %s of %+v", l.ID, l.Territory)
			}
		}
		if got := listAll(ctx, t, svc, inspectorOf("insp-76", profile.Territory{Academie: "rouen", Departement: "76"}), courses.LineFilter{}); len(got) != 0 {
			t.Fatalf("Rouen lists %d lines", len(got))
		}
		if got := listAll(ctx, t, svc, inspectorOf("insp-69", lyon1), courses.LineFilter{}); !slices.Equal(ids(got), []string{far.ID}) {
			t.Fatalf("Lyon lists %v", ids(got))
		}
		if got := listAll(ctx, t, svc, admin, courses.LineFilter{Limit: 200}); len(got) != 232 {
			t.Fatalf("the nation lists %d lines", len(got))
		}
		if _, _, err := svc.Lines(ctx, insp, courses.LineFilter{After: want[3]}); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("a line id as cursor: %v", err)
		}
		// Each scope's pages hold each line once.
		for _, scope := range []*profile.Territory{nil, &paris5, &profile.Territory{Academie: "paris", Departement: "75"}} {
			count, _, _, err := store.PageEntries(ctx, scope)
			if err != nil {
				t.Fatal(err)
			}
			for id, n := range count {
				if n != 1 {
					t.Fatalf("%s %d times in the pages of %v", id, n, scope)
				}
			}
		}
	}, testenv.WithoutServer())
}

// TestHoursListFollowsReviews: a review and an export show in every list
// the line is in, and leave no copy pending.
func TestHoursListFollowsReviews(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, store, svc := hoursFixture(t, env)
		insp := inspectorOf("insp-75", paris5)
		var lines []courses.Line
		for i := range 3 {
			l := ledgerLine(fmt.Sprintf("t%d", i), "m", paris5, courses.StateToReview, time.Now().Add(time.Duration(i)*time.Second))
			if err := store.ImportLine(ctx, &l); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, l)
		}
		if rep, err := svc.Review(ctx, insp, []string{lines[1].ID}, courses.ActionValidate, ""); err != nil || len(rep.Changed) != 1 {
			t.Fatalf("review: %+v %v", rep, err)
		}
		got, _, err := svc.Lines(ctx, insp, courses.LineFilter{State: courses.StateValidated})
		if err != nil || len(got) != 1 || got[0].ID != lines[1].ID || len(got[0].Events) != 2 {
			t.Fatalf("validated: %+v %v", got, err)
		}
		if got, _, _ := svc.Lines(ctx, insp, courses.LineFilter{State: courses.StateToReview}); len(got) != 2 {
			t.Fatalf("to review: %d", len(got))
		}
		if _, err := svc.ExportLines(ctx, insp, "", false); err != nil {
			t.Fatal(err)
		}
		for _, scope := range []*profile.Territory{nil, &paris5, &profile.Territory{Academie: "paris"}} {
			_, state, _, err := store.PageEntries(ctx, scope)
			if err != nil {
				t.Fatal(err)
			}
			if state[lines[1].ID] != courses.StateExported || state[lines[0].ID] != courses.StateToReview {
				t.Fatalf("pages of %v: %v", scope, state)
			}
		}
		for _, l := range lines {
			if pending, err := store.LinePending(ctx, l.ID); err != nil || slices.Contains(pending, "line-page") {
				t.Fatalf("%s pending %v %v", l.ID, pending, err)
			}
		}
	}, testenv.WithoutServer())
}

// TestHoursLinesAtOnce: six writers add lines to one circonscription at
// once while an inspector validates them as they appear, one of them
// reviewed while it is being added: every line is in each of its lists
// exactly once, in the state the ledger holds.
func TestHoursLinesAtOnce(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, store, svc := hoursFixture(t, env)
		insp := inspectorOf("insp-75", paris5)
		const writers, each = 6, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*each+1)
		raced := ledgerLine("t-race", "m", paris5, courses.StateToReview, time.Now())
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					l := ledgerLine(fmt.Sprintf("t%d-%d", w, i), "m", paris5, courses.StateToReview, time.Now())
					if w == 0 && i == 2 {
						l = raced
					}
					errs <- retried(func() error {
						err := store.ImportLine(ctx, &l)
						if errors.Is(err, errkind.ErrConflict) { // stored; its place follows on retry
							return retried(func() error { return store.PlaceLine(ctx, l.ID) })
						}
						return err
					})
				}
			}()
		}
		wg.Add(1)
		go func() { // the review during the credit of raced
			defer wg.Done()
			for ctx.Err() == nil {
				rep, err := svc.Review(ctx, insp, []string{raced.ID}, courses.ActionValidate, "")
				if err != nil && !errkind.Retryable(err) {
					errs <- err
					return
				}
				if err == nil && len(rep.Changed) == 1 {
					return
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		// Validate the rest, a page at a time, as an inspector does.
		listed := listAll(ctx, t, svc, insp, courses.LineFilter{})
		if len(listed) != writers*each {
			t.Fatalf("%d lines listed, want %d", len(listed), writers*each)
		}
		if err := retried(func() error {
			_, err := svc.Review(ctx, insp, ids(listed[:10]), courses.ActionValidate, "")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, scope := range []*profile.Territory{nil, &paris5, &profile.Territory{Academie: "paris", Departement: "75"}} {
			count, state, next, err := store.PageEntries(ctx, scope)
			if err != nil {
				t.Fatal(err)
			}
			if len(count) != writers*each || next < writers*each {
				t.Fatalf("pages of %v: %d lines, head %d", scope, len(count), next)
			}
			for id, n := range count {
				l, err := svc.Line(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if n != 1 || state[id] != l.State {
					t.Fatalf("%s: %d times in the pages of %v, %s there, %s in the ledger", id, n, scope, state[id], l.State)
				}
			}
			if state[raced.ID] != courses.StateValidated {
				t.Fatalf("the line reviewed during its credit is %s in %v", state[raced.ID], scope)
			}
		}
	}, testenv.WithoutServer())
}

// TestHoursPageRepairedAfterCrash: a line stored by a process that died
// before placing it is missing from the list until its marker's task
// runs; the task places it once, however many times it runs.
func TestHoursPageRepairedAfterCrash(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, store, svc := hoursFixture(t, env)
		insp := inspectorOf("insp-75", paris5)
		first := ledgerLine("t1", "m", paris5, courses.StateCredited, time.Now())
		if err := store.ImportLine(ctx, &first); err != nil {
			t.Fatal(err)
		}
		lost := ledgerLine("t2", "m", paris5, courses.StateCredited, time.Now())
		if err := store.InsertUnplaced(ctx, &lost); err != nil {
			t.Fatal(err)
		}
		if got := listAll(ctx, t, svc, insp, courses.LineFilter{}); !slices.Equal(ids(got), []string{first.ID}) {
			t.Fatalf("before the repair: %v", ids(got))
		}
		if pending, _ := store.LinePending(ctx, lost.ID); !slices.Contains(pending, "line-page") {
			t.Fatalf("no marker on the unplaced line: %v", pending)
		}
		task, err := courses.NewLinePageTask(lost.ID)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := svc.HandleLinePage(ctx, task); err != nil {
				t.Fatal(err)
			}
		}
		// The worker runs it too, from the outbox (as the sweeper enqueues it).
		if err := env.Sys.Outbox.Enqueue(ctx, courses.LedgerCollection, lost.ID, "line-page"); err != nil {
			t.Fatal(err)
		}
		env.DrainQueues(t, 20*time.Second)
		if got := listAll(ctx, t, svc, insp, courses.LineFilter{}); !slices.Equal(ids(got), []string{first.ID, lost.ID}) {
			t.Fatalf("after the repair: %v", ids(got))
		}
		if pending, _ := store.LinePending(ctx, lost.ID); slices.Contains(pending, "line-page") {
			t.Fatalf("marker left: %v", pending)
		}
		count, _, _, err := store.PageEntries(ctx, nil)
		if err != nil || count[lost.ID] != 1 || count[first.ID] != 1 {
			t.Fatalf("national pages: %v %v", count, err)
		}
		if err := svc.HandleLinePage(ctx, asynq.NewTask(courses.TypeLinePage, []byte("{"))); !errors.Is(err, asynq.SkipRetry) {
			t.Fatalf("bad payload: %v", err)
		}
	}, testenv.WithoutServer())
}

// TestOldLedgerListedAfterRebuild: lines written before the hours pages
// (no place, no head) are all listed, in the order they were created, by
// the first list of each scope, which numbers them; lines added and
// reviewed afterwards follow.
func TestOldLedgerListedAfterRebuild(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx, store, svc := hoursFixture(t, env)
		insp := inspectorOf("insp-75", paris5)
		start := time.Now().Add(-24 * time.Hour)
		var want []string
		for i := range 130 {
			terr := paris5
			if i%3 == 0 {
				terr = paris6
			}
			// Inserted out of order: the list follows their creation.
			l := ledgerLine(fmt.Sprintf("t%03d", 129-i), "m", terr, courses.StateCredited, start.Add(time.Duration(129-i)*time.Minute))
			if err := store.InsertLegacy(ctx, &l); err != nil {
				t.Fatal(err)
			}
			want = append(want, l.ID)
		}
		slices.Reverse(want)
		if got := listAll(ctx, t, svc, admin, courses.LineFilter{}); !slices.Equal(ids(got), want) {
			t.Fatalf("the nation after its rebuild: %d lines", len(got))
		}
		dept := inspectorOf("insp-d75", profile.Territory{Academie: "paris", Departement: "75"})
		if got := listAll(ctx, t, svc, dept, courses.LineFilter{Limit: 50}); !slices.Equal(ids(got), want) {
			t.Fatalf("Paris 75 after its rebuild: %d lines", len(got))
		}
		added := ledgerLine("t-new", "m", paris5, courses.StateCredited, time.Now())
		if err := store.ImportLine(ctx, &added); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Review(ctx, dept, []string{want[0]}, courses.ActionReject, "Pas de trace"); err != nil {
			t.Fatal(err)
		}
		got := listAll(ctx, t, svc, insp, courses.LineFilter{})
		var wantCirc []string
		for _, l := range got {
			if l.Territory.Circonscription != "Paris 5" {
				t.Fatalf("Paris 5 lists %s", l.ID)
			}
		}
		for _, id := range append(want, added.ID) {
			l, err := svc.Line(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if l.Territory.Circonscription == "Paris 5" {
				wantCirc = append(wantCirc, id)
			}
		}
		if !slices.Equal(ids(got), wantCirc) {
			t.Fatalf("Paris 5 after its rebuild: %v", ids(got))
		}
		rejected := listAll(ctx, t, svc, dept, courses.LineFilter{State: courses.StateRejected})
		if !slices.Equal(ids(rejected), want[:1]) {
			t.Fatalf("rejected: %v", ids(rejected))
		}
		if all := listAll(ctx, t, svc, dept, courses.LineFilter{}); len(all) != 131 || all[130].ID != added.ID {
			t.Fatalf("Paris 75 after the new line: %d", len(all))
		}
	}, testenv.WithoutServer())
}
