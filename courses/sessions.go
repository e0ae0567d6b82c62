package courses

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
	"ardoise/profile"
)

// SessionsCollection holds modules run as sessions: a cohort, dates in
// half-days, a trainer who records attendance.
const SessionsCollection = "course_sessions"

const markerCreditSession = "credit-session"

// Why a line waits for an inspector instead of being credited.
const (
	// ReasonHalfDaysMissed: some half-days were not attended; the
	// allocation is paid only for a session attended in full (no amount).
	ReasonHalfDaysMissed = "half-days-missed"
	// ReasonOwnSession: the participant runs the session (its trainer or a
	// co-author of its module); recorded before that was refused.
	ReasonOwnSession = "own-session"
	// ReasonYearlyCap: with this line, the person's allocation for the school
	// year would exceed the yearly cap of the rate in force.
	ReasonYearlyCap = "yearly-cap"
	// ReasonEmailUnverified: the person's address was not verified when the
	// line was credited (an enrolment made before that was required).
	ReasonEmailUnverified = "email-unverified"
)

// Half-day slots.
const (
	SlotMorning   = "am"
	SlotAfternoon = "pm"
)

// Session is a module run for a cohort on given half-days (for example
// during school holidays): it is paid training outside teaching time.
type Session struct {
	ID           string        `bson:"_id" json:"id"`
	Slug         string        `bson:"slug" json:"module"`
	Title        string        `bson:"title" json:"title"`
	Version      int           `bson:"version" json:"version"`
	TrainerID    string        `bson:"trainerId" json:"-"`
	TrainerName  string        `bson:"trainerName" json:"trainer"`
	Place        string        `bson:"place" json:"place"`
	HalfDays     []HalfDay     `bson:"halfDays" json:"halfDays"`
	Participants []Participant `bson:"participants" json:"participants"`
	Seq          int           `bson:"seq" json:"-"`
	ClosedAt     time.Time     `bson:"closedAt,omitempty" json:"closedAt,omitempty"`
	Pending      []string      `bson:"pending,omitempty" json:"-"`
	PendingAt    time.Time     `bson:"pendingAt,omitempty" json:"-"`
	CreatedAt    time.Time     `bson:"createdAt" json:"createdAt"`
}

// HalfDay is a morning or an afternoon of a date (YYYY-MM-DD).
type HalfDay struct {
	Date string `bson:"date" json:"date"`
	Slot string `bson:"slot" json:"slot"`
}

// ID names the half-day, e.g. "2027-02-15-am".
func (h HalfDay) ID() string { return h.Date + "-" + h.Slot }

// Participant is a teacher of the cohort and the half-days they attended.
type Participant struct {
	UserID   string   `bson:"userId" json:"userId"`
	Name     string   `bson:"name" json:"name"`
	Attended []string `bson:"attended" json:"attended"`
}

// Closed reports whether attendance is final and hours were credited.
func (s *Session) Closed() bool { return !s.ClosedAt.IsZero() }

// ParseHalfDays reads half-days written "2027-02-15-am 2027-02-15-pm …"
// (spaces, commas or new lines between them).
func ParseHalfDays(text string) ([]HalfDay, error) {
	var out []HalfDay
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == ';' }) {
		i := strings.LastIndex(f, "-")
		if i < 0 {
			return nil, errkind.Invalid("halfDays", "bad_half_day")
		}
		h := HalfDay{Date: f[:i], Slot: f[i+1:]}
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil || (h.Slot != SlotMorning && h.Slot != SlotAfternoon) {
			return nil, errkind.Invalid("halfDays", "bad_half_day")
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return nil, errkind.Invalid("halfDays", "required")
	}
	if len(out) > 20 {
		return nil, errkind.Invalid("halfDays", "too_many")
	}
	slices.SortFunc(out, func(a, b HalfDay) int { return strings.Compare(a.ID(), b.ID()) })
	return out, nil
}

// CreateSession opens a session of a published module, led by trainer.
func (s *Service) CreateSession(ctx context.Context, trainer *profile.User, slug, place string, halfDays []HalfDay) (*Session, error) {
	place = strings.TrimSpace(place)
	if place == "" || len([]rune(place)) > 200 {
		return nil, errkind.Invalid("place", "required")
	}
	if len(halfDays) == 0 {
		return nil, errkind.Invalid("halfDays", "required")
	}
	doc, err := s.PublishedModule(ctx, slug)
	if err != nil {
		return nil, err
	}
	if _, ok := s.rates.On(halfDays[0].Date); !ok {
		return nil, errkind.Invalid("halfDays", "no_rate")
	}
	ss := &Session{ID: keyring.RandomToken(9), Slug: slug, Title: doc.Title, Version: doc.Latest, TrainerID: trainer.ID,
		TrainerName: trainer.Name, Place: place, HalfDays: halfDays, Participants: []Participant{}, CreatedAt: s.now()}
	if err := s.store.insertSession(ctx, ss); err != nil {
		return nil, err
	}
	return ss, nil
}

// Session returns a session its trainer (or an admin) may manage.
func (s *Service) Session(ctx context.Context, trainer *profile.User, id string) (*Session, error) {
	ss, err := s.store.session(ctx, id)
	if err != nil {
		return nil, err
	}
	if ss.TrainerID != trainer.ID && !trainer.Has(profile.RoleAdmin) {
		return nil, fmt.Errorf("courses: session %s: %w", id, errkind.ErrNotFound)
	}
	return ss, nil
}

// SessionsOf lists the sessions a trainer leads, newest first.
func (s *Service) SessionsOf(ctx context.Context, trainerID string) ([]Session, error) {
	return s.store.sessionsOf(ctx, trainerID)
}

// updateSession writes a session changed by fn, if still open and unchanged since read.
func (s *Service) updateSession(ctx context.Context, trainer *profile.User, id string, fn func(*Session) error) (*Session, error) {
	// Read and write under the session's lock (see lockLine): a write based
	// on a read made before the closure must not undo it.
	release, err := s.claims.Lock(ctx, "session:"+id, 10*time.Second)
	if err != nil {
		return nil, err
	}
	defer release()
	ss, err := s.Session(ctx, trainer, id)
	if err != nil {
		return nil, err
	}
	if ss.Closed() {
		return nil, fmt.Errorf("courses: session %s is closed: %w", id, errkind.ErrConflict)
	}
	if err := fn(ss); err != nil {
		return nil, err
	}
	saved, err := s.store.saveSession(ctx, ss)
	if err != nil {
		return nil, err
	}
	if !saved {
		return nil, fmt.Errorf("courses: session %s changed meanwhile: %w", id, errkind.ErrConflict)
	}
	ss.Seq++
	return ss, nil
}

// runners returns who runs a session: its trainer and the owners
// (co-authors) of its module. They cannot attend it: a session's hours are
// paid to its participants, on its trainer's word.
func (s *Service) runners(ctx context.Context, ss *Session) (func(userID string) bool, error) {
	owners := []string{ss.TrainerID}
	doc, err := s.store.Module(ctx, ss.Slug)
	if err != nil && !errkind.IsNotFound(err) {
		return nil, err
	}
	if err == nil {
		owners = append(owners, doc.Owners...)
	}
	return func(userID string) bool { return slices.Contains(owners, userID) }, nil
}

// AddParticipant adds a teacher, found by email, to a session's cohort. The
// account must be a verified teacher's who does not run the session.
func (s *Service) AddParticipant(ctx context.Context, trainer *profile.User, id, email string) (*Session, error) {
	ss, err := s.Session(ctx, trainer, id)
	if err != nil {
		return nil, err
	}
	u, err := s.profile.FindUser(ctx, email)
	if errkind.IsNotFound(err) || (err == nil && (u.Kind != profile.KindTeacher || u.Deleted)) {
		return nil, errkind.Invalid("email", "not_a_teacher")
	}
	if err != nil {
		return nil, err
	}
	if !u.EmailVerified {
		return nil, errkind.Invalid("email", "participant_unverified")
	}
	if runs, err := s.runners(ctx, ss); err != nil {
		return nil, err
	} else if runs(u.ID) {
		return nil, errkind.Invalid("email", "own_session")
	}
	return s.updateSession(ctx, trainer, id, func(ss *Session) error {
		if slices.ContainsFunc(ss.Participants, func(p Participant) bool { return p.UserID == u.ID }) {
			return nil
		}
		if len(ss.Participants) >= 60 {
			return errkind.Invalid("email", "cohort_full")
		}
		ss.Participants = append(ss.Participants, Participant{UserID: u.ID, Name: u.Name, Attended: []string{}})
		return nil
	})
}

// SetAttendance records the whole attendance grid: for each participant,
// the half-days attended. Unknown participants or half-days are refused,
// and so is any attendance of a person who runs the session (its trainer
// or a co-author of its module, say one added before becoming co-author).
func (s *Service) SetAttendance(ctx context.Context, trainer *profile.User, id string, attended map[string][]string) (*Session, error) {
	return s.updateSession(ctx, trainer, id, func(ss *Session) error {
		runs, err := s.runners(ctx, ss)
		if err != nil {
			return err
		}
		for uid, days := range attended {
			i := slices.IndexFunc(ss.Participants, func(p Participant) bool { return p.UserID == uid })
			if i < 0 {
				return errkind.Invalid("attendance", "unknown_participant")
			}
			if len(days) > 0 && runs(uid) {
				return errkind.Invalid("attendance", "own_session")
			}
			var keep []string
			for _, h := range ss.HalfDays {
				if slices.Contains(days, h.ID()) {
					keep = append(keep, h.ID())
				}
			}
			if len(keep) != len(slices.Compact(slices.Sorted(slices.Values(days)))) {
				return errkind.Invalid("attendance", "unknown_half_day")
			}
			ss.Participants[i].Attended = append([]string{}, keep...)
		}
		return nil
	})
}

// When a half-day ends, Paris time: a session can be closed (its hours
// credited) only once its last half-day has ended, by the server's clock.
const (
	morningEndHour   = 12
	afternoonEndHour = 17
)

// End is the instant the half-day ends: 12:00 for a morning, 17:00 for an
// afternoon, Paris time.
func (h HalfDay) End() time.Time {
	d, err := time.ParseInLocation(time.DateOnly, h.Date, paris)
	if err != nil {
		return time.Time{}
	}
	hour := morningEndHour
	if h.Slot == SlotAfternoon {
		hour = afternoonEndHour
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, paris)
}

// Ends is the instant the session's last half-day ends.
func (s *Session) Ends() time.Time {
	var end time.Time
	for _, h := range s.HalfDays {
		if e := h.End(); e.After(end) {
			end = e
		}
	}
	return end
}

// CloseSession makes attendance final and credits the hours: the closure
// and its pending follow-up are one update, then the task is enqueued. A
// session is closed only once its last half-day has ended (server clock),
// so nobody is paid for half-days still to come.
func (s *Service) CloseSession(ctx context.Context, trainer *profile.User, id string) (*Session, error) {
	ss, err := s.updateSession(ctx, trainer, id, func(ss *Session) error {
		now := s.now()
		if now.Before(ss.Ends()) {
			return errkind.Invalid("session", "not_over")
		}
		ss.ClosedAt, ss.Pending, ss.PendingAt = now, []string{markerCreditSession}, now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.outbox.After(ctx, SessionsCollection, id, markerCreditSession)
	return ss, nil
}

// creditSession writes one paid ledger line per participant who attended
// at least one half-day. Hours are the module's declared duration in
// proportion to the half-days attended; the allocation is paid only when
// every half-day was attended (the line is credited), otherwise the line
// goes to review with no amount.
func (s *Service) creditSession(ctx context.Context, id string) error {
	ss, err := s.store.session(ctx, id)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains(ss.Pending, markerCreditSession) {
		return nil
	}
	m, err := s.Published(ctx, ss.Slug, ss.Version)
	if err != nil {
		return err
	}
	rate, _ := s.rates.On(ss.HalfDays[0].Date)
	runs, err := s.runners(ctx, ss)
	if err != nil {
		return err
	}
	first, _ := time.ParseInLocation(time.DateOnly, ss.HalfDays[0].Date, paris)
	last, _ := time.ParseInLocation(time.DateOnly, ss.HalfDays[len(ss.HalfDays)-1].Date, paris)
	for _, p := range ss.Participants {
		if len(p.Attended) == 0 {
			continue
		}
		u, err := s.profile.User(ctx, p.UserID)
		if errkind.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		all := len(p.Attended) == len(ss.HalfDays)
		l := &Line{
			ID: LineID(u.ID, ss.Slug, SchoolYear(first)), LearnerID: u.ID, LearnerName: u.Name, Slug: ss.Slug, Title: ss.Title,
			Version: ss.Version, SchoolYear: SchoolYear(first), Territory: u.Territory, CountsFor: CountsPaid, Nature: NatureSession,
			DeclaredMinutes: m.DurationMinutes * len(p.Attended) / len(ss.HalfDays), Quizzes: []QuizEvidence{},
			SessionID: ss.ID, HalfDays: len(ss.HalfDays), Attended: len(p.Attended), RateRef: rate.Reference,
			CompletedAt: last.Add(18 * time.Hour).UTC(), State: StateToReview,
		}
		reason := ReasonHalfDaysMissed
		if all {
			l.State, reason = StateCredited, ""
			l.AmountCents = rate.Amount(ss.HalfDays, m.DurationMinutes)
		}
		// Recorded before these were refused: an inspector decides.
		switch {
		case l.State != StateCredited:
		case runs(u.ID):
			l.State, reason = StateToReview, ReasonOwnSession
		case !u.EmailVerified:
			l.State, reason = StateToReview, ReasonEmailUnverified
		}
		l.Events = []Event{{By: ss.TrainerID, ByName: ss.TrainerName, Action: "credit", State: l.State, Reason: reason}}
		if err := s.creditPaid(ctx, l, rate); err != nil {
			return err
		}
	}
	release, err := s.claims.Lock(ctx, "session:"+id, 10*time.Second)
	if err != nil {
		return err
	}
	defer release()
	return s.store.sessionCredited(ctx, id)
}

// creditPaid credits a paid line, holding it for review when, with it, the
// person's allocation for the school year would exceed the yearly cap of
// the rate (the line keeps its amount as evidence; an inspector decides).
// The year's lines are summed and the line inserted under a lock on the
// (person, school year), so two sessions closed at once cannot both pass.
func (s *Service) creditPaid(ctx context.Context, l *Line, rate Rate) error {
	if l.State != StateCredited || l.AmountCents == 0 || rate.YearlyCapCents <= 0 {
		return s.credit(ctx, l)
	}
	release, err := s.claims.Lock(ctx, "allocation:"+l.LearnerID+":"+l.SchoolYear, 10*time.Second)
	if err != nil {
		return err
	}
	defer release()
	year, err := s.store.linesOfYear(ctx, l.LearnerID, l.SchoolYear)
	if err != nil {
		return err
	}
	total := l.AmountCents
	for _, o := range year {
		if o.ID != l.ID && o.CountsFor == CountsPaid && o.State != StateRejected {
			total += o.AmountCents
		}
	}
	if total > rate.YearlyCapCents {
		l.State = StateToReview
		l.Events[0].State, l.Events[0].Reason = StateToReview, ReasonYearlyCap
	}
	return s.credit(ctx, l)
}
