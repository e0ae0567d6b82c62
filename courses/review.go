package courses

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// LineFilter narrows an inspector's list of ledger lines.
type LineFilter struct {
	SchoolYear string
	State      string
	Slug       string
	After      string // the cursor the previous page returned as next ("" for the start)
	Limit      int
}

// maxReviewPage bounds a page of lines (and a bulk action).
const maxReviewPage = 200

// ErrOwnLine refuses a review of the reviewer's own ledger line: nobody
// validates, rejects or exports their own hours; an admin does.
var ErrOwnLine = &errkind.DeniedError{Code: "own_line"}

// reviewScope is the lines a reviewer may act on: those of an inspector's
// scope (never their own territory as they typed it), or every line for an
// admin, who reviews what inspectors may not; except the reviewer's own
// lines, which go to another admin. An inspector without a territory sees
// nothing.
func reviewScope(reviewer *profile.User) (lineScope, error) {
	sc := lineScope{all: reviewer.Has(profile.RoleAdmin), except: reviewer.ID}
	if !sc.all {
		sc.territory = reviewer.InspectionScope()
		if sc.territory.Academie == "" {
			return lineScope{}, fmt.Errorf("courses: inspector without a territory: %w", errkind.ErrForbidden)
		}
	}
	return sc, nil
}

// Lines lists the ledger lines of an inspector's scope, in the order they
// were added, a page at a time, from the page documents of the scope's
// list (store_line_pages.go): the filters are applied to each page read,
// and a request reads at most a few page documents, so a page may hold
// fewer than the limit (none, even) while next is set; next is empty at
// the end of the list. The inspector's own lines are not listed.
func (s *Service) Lines(ctx context.Context, inspector *profile.User, lf LineFilter) (lines []Line, next string, err error) {
	sc, err := reviewScope(inspector)
	if err != nil {
		return nil, "", err
	}
	after, err := parseCursor(lf.After)
	if err != nil {
		return nil, "", err
	}
	limit := lf.Limit
	if limit <= 0 || limit > maxReviewPage {
		limit = maxReviewPage
	}
	keep := func(l *Line) bool {
		return l.LearnerID != sc.except && (lf.SchoolYear == "" || l.SchoolYear == lf.SchoolYear) &&
			(lf.State == "" || l.State == lf.State) && (lf.Slug == "" || l.Slug == lf.Slug)
	}
	lines, n, err := s.store.listPage(ctx, sc.pageScope(), after, limit, keep)
	if err != nil {
		return nil, "", err
	}
	if n > 0 {
		next = strconv.Itoa(n)
	}
	return lines, next, nil
}

// ReviewReport says what a bulk action did.
type ReviewReport struct {
	Changed []string `json:"changed"`
	Skipped []string `json:"skipped"` // not in the territory, or not in a state the action applies to
}

// Review applies a review action (validate or reject) to lines of the
// inspector's scope: for each line, one event appended and the state set
// in the same update, conditioned on the state read. A reason is required
// to reject. Lines whose attestation must follow (issued, reinstated,
// revoked) get the marker in that update, then the task. A request that
// names one of the reviewer's own lines is refused as a whole (ErrOwnLine),
// admins included.
func (s *Service) Review(ctx context.Context, inspector *profile.User, ids []string, action, reason string) (*ReviewReport, error) {
	if err := s.refuseOwnLines(ctx, inspector, ids); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case action != ActionValidate && action != ActionReject:
		return nil, errkind.Invalid("action", "unknown")
	case len(ids) == 0:
		return nil, errkind.Invalid("lines", "required")
	case len(ids) > maxReviewPage:
		return nil, errkind.Invalid("lines", "too_many")
	case action == ActionReject && len([]rune(reason)) < 3:
		return nil, errkind.Invalid("reason", "required")
	case len([]rune(reason)) > 500:
		return nil, errkind.Invalid("reason", "too_long")
	}
	lines, err := s.linesIn(ctx, inspector, ids)
	if err != nil {
		return nil, err
	}
	rep := &ReviewReport{Changed: []string{}, Skipped: []string{}}
	now := s.now()
	for _, id := range ids {
		i := slices.IndexFunc(lines, func(l Line) bool { return l.ID == id })
		if i < 0 || !lines[i].Can(action) {
			rep.Skipped = append(rep.Skipped, id)
			continue
		}
		l := lines[i]
		ev := Event{At: now, By: inspector.ID, ByName: inspector.Name, Action: action, State: transitions[action].to, Reason: reason}
		release, err := s.lockLine(ctx, l.ID)
		if err != nil {
			return rep, err
		}
		matched, err := s.store.reviewLine(ctx, &l, ev, now)
		if err == nil && matched {
			s.copyLines(ctx, []string{l.ID}) // under the line's lock: no newer state can be overwritten
		}
		release()
		if err != nil {
			return rep, err
		}
		if !matched {
			rep.Skipped = append(rep.Skipped, id) // changed meanwhile
			continue
		}
		rep.Changed = append(rep.Changed, id)
		s.enqueueAttestation(ctx, id)
	}
	return rep, nil
}

// refuseOwnLines returns ErrOwnLine when one of ids is a line of the
// reviewer's own hours (its id starts with the learner's id, and the
// stored learner id says so).
func (s *Service) refuseOwnLines(ctx context.Context, reviewer *profile.User, ids []string) error {
	var own []string
	for _, id := range ids {
		if strings.HasPrefix(id, reviewer.ID+":") {
			own = append(own, id)
		}
	}
	if len(own) == 0 {
		return nil
	}
	n, err := s.store.countLinesOf(ctx, own, reviewer.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return ErrOwnLine
	}
	return nil
}

// linesIn reads lines by id, keeping those the reviewer may act on.
func (s *Service) linesIn(ctx context.Context, inspector *profile.User, ids []string) ([]Line, error) {
	sc, err := reviewScope(inspector)
	if err != nil {
		return nil, err
	}
	return s.store.linesIn(ctx, sc, ids)
}

// ExportLines returns the validated lines of the inspector's scope for a
// school year (all years when empty) and marks them exported, each with its
// event, in one update. Lines exported before are included again when
// again is true (a lost file can be produced anew; their state stays). The
// inspector's own lines are never in their export: an admin exports them.
func (s *Service) ExportLines(ctx context.Context, inspector *profile.User, schoolYear string, again bool) ([]Line, error) {
	sc, err := reviewScope(inspector)
	if err != nil {
		return nil, err
	}
	states := []string{StateValidated}
	if again {
		states = append(states, StateExported)
	}
	lines, err := s.store.exportableLines(ctx, sc, schoolYear, states)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range lines {
		if l.State == StateValidated {
			ids = append(ids, l.ID)
		}
	}
	if len(ids) > 0 {
		for _, id := range ids {
			release, err := s.lockLine(ctx, id)
			if err != nil {
				return nil, err
			}
			defer release()
		}
		ev := Event{At: s.now(), By: inspector.ID, ByName: inspector.Name, Action: ActionExport, State: StateExported}
		if err := s.store.markExported(ctx, ids, ev, s.now()); err != nil {
			return nil, err
		}
		s.copyLines(ctx, ids)
		for i := range lines {
			if lines[i].State == StateValidated {
				lines[i].State, lines[i].Events = StateExported, append(lines[i].Events, ev)
			}
		}
	}
	return lines, nil
}

// YearHours sums a person's ledger lines of one school year.
type YearHours struct {
	SchoolYear        string
	Lines             []Line
	ObligationMinutes int
	PaidMinutes       int
	AmountCents       int
}

// HoursOf returns a person's ledger by school year, newest first. Rejected
// lines are listed but count for nothing.
func (s *Service) HoursOf(ctx context.Context, userID string) ([]YearHours, error) {
	lines, err := s.store.linesOfLearner(ctx, userID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(lines, func(a, b Line) int { return b.CompletedAt.Compare(a.CompletedAt) })
	var out []YearHours
	for _, l := range lines {
		i := slices.IndexFunc(out, func(y YearHours) bool { return y.SchoolYear == l.SchoolYear })
		if i < 0 {
			out = append(out, YearHours{SchoolYear: l.SchoolYear})
			i = len(out) - 1
		}
		y := &out[i]
		y.Lines = append(y.Lines, l)
		if l.State == StateRejected {
			continue
		}
		if l.CountsFor == CountsPaid {
			y.PaidMinutes += l.DeclaredMinutes
			y.AmountCents += l.AmountCents
		} else {
			y.ObligationMinutes += l.DeclaredMinutes
		}
	}
	slices.SortStableFunc(out, func(a, b YearHours) int { return strings.Compare(b.SchoolYear, a.SchoolYear) })
	return out, nil
}
