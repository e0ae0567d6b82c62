package courses_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// learningSource is a 10-minute module of two pages: half of it must be
// observed as active time, and its one quiz answered right.
func learningSource(title string) courses.Source {
	return courses.Source{Files: map[string][]byte{
		"module.md": []byte("---\ntitle: " + title + "\nsummary: Pour les tests.\naudience: teachers\ncompetences: [\"4.2\"]\n" +
			"objectives: [\"Tester l'apprentissage\"]\nduration_minutes: 10\ncompletion: {min_active_share: 0.5, min_quiz_score: 1}\n---\nBonjour.\n"),
		"01-intro.md": []byte("---\ntitle: Introduction\n---\nTexte.\n\n```quiz\nid: q1\ntype: qcu\nquestion: Oui ?\nproposals:\n" +
			"  - {id: a, text: Oui, feedback: Bien.}\n  - {id: b, text: Non, feedback: Non.}\nsolution: a\nexplanation: Parce que.\n```\n"),
		"02-suite.md": []byte("---\ntitle: Suite\n---\nLa suite.\n"),
	}}
}

// clock is a settable clock for the service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func publishModule(t *testing.T, env *testenv.Env, slug string, src courses.Source) {
	t.Helper()
	svc := env.Sys.Courses
	owner := courses.Author{ID: "formatrice-" + slug}
	if _, problems, err := svc.SaveDraft(testenv.Ctx(t), owner, slug, src); err != nil || len(problems) > 0 {
		t.Fatalf("draft: %v %v", err, problems)
	}
	if _, err := svc.Publish(testenv.Ctx(t), owner, slug, "version"); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// enrolled publishes src as slug, sets the service's clock to start, and
// enrols a new teacher.
func enrolled(t *testing.T, env *testenv.Env, slug string, src courses.Source, start time.Time) (*clock, *profile.User) {
	t.Helper()
	c := &clock{t: start.UTC().Truncate(time.Millisecond)}
	env.Sys.Courses.SetClock(c.now)
	publishModule(t, env, slug, src)
	teacher := env.CreateUser(t, profile.RoleLearner)
	if _, err := env.Sys.Courses.Enrol(testenv.Ctx(t), teacher.ID, slug); err != nil {
		t.Fatal(err)
	}
	return c, teacher
}

// readPages views each page as a page with its script and beats n times on it.
func readPages(t *testing.T, svc *courses.Service, c *clock, userID, slug string, n int, pages ...string) {
	t.Helper()
	for _, page := range pages {
		if _, _, _, err := svc.View(testenv.Ctx(t), userID, slug, page, true); err != nil {
			t.Fatal(err)
		}
		beat(t, svc, c, userID, slug, page, n)
	}
}

// beat sends n heartbeats 15 s apart on a page.
func beat(t *testing.T, svc *courses.Service, c *clock, userID, slug, page string, n int) courses.Progress {
	t.Helper()
	var p courses.Progress
	for range n {
		c.add(15 * time.Second)
		var err error
		if _, p, err = svc.Beat(testenv.Ctx(t), userID, slug, page); err != nil {
			t.Fatalf("beat: %v", err)
		}
	}
	return p
}

func TestLearnCompleteCreditAndReview(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Courses
		c := &clock{t: time.Now().UTC().Truncate(time.Millisecond)}
		svc.SetClock(c.now)
		const slug = "module-apprendre"
		publishModule(t, env, slug, learningSource("Apprendre en testant"))
		teacher := env.CreateUser(t, profile.RoleLearner)

		if _, _, _, err := svc.View(ctx, teacher.ID, slug, "01-intro", true); !errors.Is(err, courses.ErrNotEnrolled) {
			t.Fatalf("view before enrolling: %v", err)
		}
		e, err := svc.Enrol(ctx, teacher.ID, slug)
		if err != nil || e.Version != 1 {
			t.Fatalf("enrol: %+v %v", e, err)
		}
		if again, err := svc.Enrol(ctx, teacher.ID, slug); err != nil || again.ID != e.ID {
			t.Fatalf("second enrolment: %+v %v", again, err)
		}
		if _, _, _, err := svc.View(ctx, teacher.ID, slug, "99-nope", true); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("unknown page: %v", err)
		}
		if _, _, _, err := svc.View(ctx, teacher.ID, slug, "01-intro", true); err != nil {
			t.Fatal(err)
		}
		p := beat(t, svc, c, teacher.ID, slug, "01-intro", 12) // 3 minutes
		if p.ActiveSeconds != 180 || p.PagesSeen != 1 {
			t.Fatalf("after 12 beats: %+v", p)
		}
		if _, fb, err := svc.Answer(ctx, teacher.ID, slug, "q1", []string{"b"}); err != nil || fb.Correct {
			t.Fatalf("wrong answer: %+v %v", fb, err)
		}
		if _, _, err := svc.Answer(ctx, teacher.ID, slug, "q1", []string{"zz"}); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("unknown proposal: %v", err)
		}
		if _, err := svc.Finish(ctx, teacher.ID, slug); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("finish before the rule is met: %v", err)
		}
		c.add(10 * time.Second)
		if _, _, _, err := svc.View(ctx, teacher.ID, slug, "02-suite", true); err != nil {
			t.Fatal(err)
		}
		beat(t, svc, c, teacher.ID, slug, "02-suite", 8) // 2 more minutes: 5 in all
		e, fb, err := svc.Answer(ctx, teacher.ID, slug, "q1", []string{"a"})
		if err != nil || !fb.Correct || !e.Done() || e.Completion.State != courses.StateCredited {
			t.Fatalf("right answer should complete: %+v %+v %v", fb, e, err)
		}
		if e.ActiveSeconds != 310 {
			t.Errorf("active seconds %d, want 310", e.ActiveSeconds)
		}

		lineID := courses.LineID(teacher.ID, slug, courses.SchoolYear(c.now()))
		var line *courses.Line
		testenv.Eventually(t, 20*time.Second, "ledger line with attestation", func() bool {
			line, err = svc.Line(ctx, lineID)
			return err == nil && len(line.Pending) == 0
		})
		if line.State != courses.StateCredited || line.DeclaredMinutes != 10 || line.ActiveMinutes != 5 || line.QuizScore != 1 ||
			line.CountsFor != courses.CountsObligation || line.Territory.Departement != "69" || len(line.Events) != 1 {
			t.Fatalf("line: %+v", line)
		}
		certs, err := env.Sys.Certificates.ForHolder(ctx, teacher.ID)
		if err != nil || len(certs) != 1 || certs[0].SourceID != lineID {
			t.Fatalf("attestation: %+v %v", certs, err)
		}
		code := certs[0].Code
		msgs, _ := env.Sys.Mailer.To(ctx, teacher.Email)
		if n := len(msgs); n == 0 || len(msgs[n-1].Attachments) != 1 || !bytes.HasPrefix(msgs[n-1].Attachments[0].Data, []byte("%PDF-")) ||
			!strings.Contains(msgs[n-1].Body, "/verifier/") {
			t.Fatalf("attestation mail: %+v", msgs)
		}
		// A retried task credits nothing more.
		if err := env.Sys.Outbox.Enqueue(ctx, courses.EnrolmentsCollection, e.ID, "credit-hours"); err != nil {
			t.Fatal(err)
		}
		env.DrainQueues(t, 10*time.Second)
		if hours, _ := svc.HoursOf(ctx, teacher.ID); len(hours) != 1 || len(hours[0].Lines) != 1 || hours[0].ObligationMinutes != 10 {
			t.Fatalf("hours: %+v", hours)
		}

		// Review: only inspectors of the territory see and change the line.
		inspector := env.CreateUser(t, profile.RoleInspector)
		outsider := &profile.User{ID: "insp-paris", Roles: []profile.Role{profile.RoleInspector},
			Scope: profile.Territory{Academie: "paris"}}
		if lines, _, err := svc.Lines(ctx, outsider, courses.LineFilter{}); err != nil || len(lines) != 0 {
			t.Fatalf("an inspector of Paris sees Lyon's lines: %v %v", lines, err)
		}
		if rep, err := svc.Review(ctx, outsider, []string{lineID}, courses.ActionReject, "hors territoire"); err != nil || len(rep.Changed) != 0 {
			t.Fatalf("an inspector of Paris rejected a line of Lyon: %+v %v", rep, err)
		}
		if lines, _, err := svc.Lines(ctx, inspector, courses.LineFilter{State: courses.StateCredited}); err != nil || len(lines) != 1 {
			t.Fatalf("inspector's lines: %v %v", lines, err)
		}
		if _, err := svc.Review(ctx, inspector, []string{lineID}, courses.ActionReject, ""); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("reject without reason: %v", err)
		}
		if rep, err := svc.Review(ctx, inspector, []string{lineID}, courses.ActionReject, "Temps de connexion incohérent"); err != nil || len(rep.Changed) != 1 {
			t.Fatalf("reject: %+v %v", rep, err)
		}
		testenv.Eventually(t, 20*time.Second, "attestation revoked", func() bool {
			pub, err := env.Sys.Certificates.Verify(ctx, code)
			return err == nil && pub.Revoked
		})
		if lines, err := svc.ExportLines(ctx, inspector, "", false); err != nil || len(lines) != 0 {
			t.Fatalf("a rejected line was exported: %v %v", lines, err)
		}
		if rep, err := svc.Review(ctx, inspector, []string{lineID, "inconnue"}, courses.ActionValidate, "Vérifié avec la formatrice"); err != nil ||
			len(rep.Changed) != 1 || len(rep.Skipped) != 1 {
			t.Fatalf("validate: %+v %v", rep, err)
		}
		testenv.Eventually(t, 20*time.Second, "attestation reinstated", func() bool {
			pub, err := env.Sys.Certificates.Verify(ctx, code)
			return err == nil && pub.Valid && !pub.Revoked
		})
		lines, err := svc.ExportLines(ctx, inspector, courses.SchoolYear(c.now()), false)
		if err != nil || len(lines) != 1 {
			t.Fatalf("export: %v %v", lines, err)
		}
		var buf bytes.Buffer
		if err := courses.WriteCSV(&buf, lines); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "\uFEFFligne;annee_scolaire;") || !strings.Contains(out, ";0,17;0,00;") || !strings.Contains(out, teacher.Name) {
			t.Fatalf("csv:\n%s", out)
		}
		line, _ = svc.Line(ctx, lineID)
		actions := []string{}
		for _, ev := range line.Events {
			actions = append(actions, ev.Action+">"+ev.State)
		}
		if got := strings.Join(actions, " "); got != "credit>credited reject>rejected validate>validated export>exported" {
			t.Fatalf("history: %s", got)
		}
		if line.Events[1].By != inspector.ID || line.Events[1].Reason != "Temps de connexion incohérent" {
			t.Fatalf("reject event: %+v", line.Events[1])
		}
		if rep, _ := svc.Review(ctx, inspector, []string{lineID}, courses.ActionReject, "trop tard"); len(rep.Changed) != 0 {
			t.Fatal("an exported line was rejected")
		}
		if again, _ := svc.ExportLines(ctx, inspector, "", false); len(again) != 0 {
			t.Fatal("a line was exported twice")
		}
		if again, _ := svc.ExportLines(ctx, inspector, "", true); len(again) != 1 {
			t.Fatal("a lost export cannot be produced again")
		}
	})
}

func TestFinishWithTimeShortGoesToReview(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	svc := env.Sys.Courses
	const slug = "module-court"
	c, teacher := enrolled(t, env, slug, learningSource("Un module vite lu"), time.Now())
	for _, page := range []string{"01-intro", "02-suite"} {
		c.add(20 * time.Second)
		if _, _, _, err := svc.View(ctx, teacher.ID, slug, page, false); err != nil {
			t.Fatal(err)
		}
	}
	e, fb, err := svc.Answer(ctx, teacher.ID, slug, "q1", []string{"a"})
	if err != nil || !fb.Correct || e.Done() {
		t.Fatalf("time is short, the module must not complete by itself: %+v %v", e, err)
	}
	if e, err = svc.Finish(ctx, teacher.ID, slug); err != nil || e.Completion.State != courses.StateToReview {
		t.Fatalf("finish: %+v %v", e, err)
	}
	lineID := courses.LineID(teacher.ID, slug, courses.SchoolYear(c.now()))
	testenv.Eventually(t, 20*time.Second, "line to review", func() bool {
		l, err := svc.Line(ctx, lineID)
		return err == nil && l.State == courses.StateToReview && l.ActiveMinutes == 0 && l.NeededMinutes == 5
	})
	env.DrainQueues(t, 10*time.Second)
	if certs, _ := env.Sys.Certificates.ForHolder(ctx, teacher.ID); len(certs) != 0 {
		t.Fatal("an attestation was issued for hours still to review")
	}
}

func TestMoveToNewerVersionKeepsWhatCarriesOver(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	svc := env.Sys.Courses
	const slug = "module-versions"
	src := learningSource("Versions")
	c, teacher := enrolled(t, env, slug, src, time.Now())
	readPages(t, svc, c, teacher.ID, slug, 4, "01-intro", "02-suite")
	if _, _, err := svc.Answer(ctx, teacher.ID, slug, "q1", []string{"a"}); err != nil {
		t.Fatal(err)
	}
	// Version 2 rewrites page 2 only.
	src.Files["02-suite.md"] = []byte("---\ntitle: Suite\n---\nLa suite, réécrite.\n")
	publishModule(t, env, slug, src)
	e, err := svc.MoveToLatest(ctx, teacher.ID, slug)
	if err != nil || e.Version != 2 || len(e.Moves) != 1 {
		t.Fatalf("move: %+v %v", e, err)
	}
	if e.Page("01-intro") == nil || e.Page("02-suite") != nil || e.Quiz("q1") == nil || e.ActiveSeconds != 120 {
		t.Fatalf("what carried over: pages %+v quizzes %+v active %d", e.Pages, e.Quizzes, e.ActiveSeconds)
	}
}

func TestSessionAttendanceCreditsPaidHours(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Courses
		// The server's clock after the last half-day (17:00 Paris): the session may close.
		c := &clock{t: time.Date(2027, 2, 15, 16, 0, 0, 0, time.UTC)}
		svc.SetClock(c.now)
		const slug = "module-session"
		src := learningSource("En session")
		src.Files["module.md"] = bytes.Replace(src.Files["module.md"], []byte("duration_minutes: 10"), []byte("duration_minutes: 360"), 1)
		publishModule(t, env, slug, src)
		trainer := env.CreateUser(t, profile.RoleTrainer)
		other := env.CreateUser(t, profile.RoleTrainer)
		all, partial := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		halfDays, err := courses.ParseHalfDays("2027-02-15-am, 2027-02-15-pm")
		if err != nil {
			t.Fatal(err)
		}
		ss, err := svc.CreateSession(ctx, trainer, slug, "Atelier Canopé de Lyon", halfDays)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddParticipant(ctx, other, ss.ID, all.Email); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("another trainer changed the session: %v", err)
		}
		for _, u := range []*profile.User{all, partial} {
			if _, err := svc.AddParticipant(ctx, trainer, ss.ID, u.Email); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.AddParticipant(ctx, trainer, ss.ID, "personne@nulle.part"); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("unknown participant: %v", err)
		}
		if _, err := svc.SetAttendance(ctx, trainer, ss.ID, map[string][]string{all.ID: {"2027-02-16-am"}}); !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("unknown half-day: %v", err)
		}
		if _, err := svc.SetAttendance(ctx, trainer, ss.ID, map[string][]string{
			all.ID: {"2027-02-15-am", "2027-02-15-pm"}, partial.ID: {"2027-02-15-am"},
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CloseSession(ctx, trainer, ss.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetAttendance(ctx, trainer, ss.ID, map[string][]string{partial.ID: {}}); !errors.Is(err, errkind.ErrConflict) {
			t.Fatalf("attendance changed after closing: %v", err)
		}
		var full, half *courses.Line
		testenv.Eventually(t, 20*time.Second, "session lines", func() bool {
			full, _ = svc.Line(ctx, courses.LineID(all.ID, slug, "2026-2027"))
			half, _ = svc.Line(ctx, courses.LineID(partial.ID, slug, "2026-2027"))
			return full != nil && half != nil
		})
		if full.CountsFor != courses.CountsPaid || full.Nature != courses.NatureSession || full.State != courses.StateCredited ||
			full.DeclaredMinutes != 360 || full.AmountCents != 12000 || full.Attended != 2 {
			t.Fatalf("full attendance: %+v", full)
		}
		if half.State != courses.StateToReview || half.AmountCents != 0 || half.DeclaredMinutes != 180 {
			t.Fatalf("partial attendance: %+v", half)
		}
		testenv.Eventually(t, 20*time.Second, "attestation of the session", func() bool {
			certs, _ := env.Sys.Certificates.ForHolder(ctx, all.ID)
			return len(certs) == 1 && certs[0].Nature == courses.NatureSession
		})
	})
}
