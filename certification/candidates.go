package certification

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"ardoise/internal/clock"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// MaxCandidatesFile is the largest candidates file ImportCandidates reads.
const MaxCandidatesFile = 1 << 20

// candidateIDAlphabet draws candidate ids: short, lower-case, no look-alikes.
const candidateIDAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// Refusal codes of the candidates list (errkind.RefusedError, HTTP 422).
const (
	// CodeCandidatesJoined refuses replacing the list once a candidate
	// has checked in.
	CodeCandidatesJoined = "candidates_joined"
	// CodeSessionClosed refuses changing the list of a session past open.
	CodeSessionClosed = "session_closed"
	// CodeCandidatesFull refuses adding a candidate to a full list.
	CodeCandidatesFull = "candidates_full"
)

// ImportError is a candidates file with errors: nothing was saved, and
// Lines says what to fix, line by line. It wraps errkind.ErrInvalid.
type ImportError struct {
	Lines []LineError
}

// Error counts the lines, for logs.
func (e *ImportError) Error() string {
	return fmt.Sprintf("certification: candidates file: %d error(s)", len(e.Lines))
}

// Unwrap makes errors.Is(err, errkind.ErrInvalid) true.
func (e *ImportError) Unwrap() error { return errkind.ErrInvalid }

// ImportCandidates replaces a session's candidates with those of a file (a
// référent of its centre only). A file with any error saves nothing: the
// lines come back, and the error is an *ImportError. The list can be
// replaced until a candidate has checked in, while the session is created
// or open. It returns the number of candidates imported.
func (s *Service) ImportCandidates(ctx context.Context, actor *profile.User, sessionID string, r io.Reader) (int, []LineError, error) {
	x, _, err := s.referentSession(ctx, actor, sessionID)
	if err != nil {
		return 0, nil, err
	}
	if err := replaceable(x); err != nil {
		return 0, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCandidatesFile+1))
	if err != nil {
		return 0, nil, fmt.Errorf("certification: read candidates file: %w", errkind.ErrInvalid)
	}
	if len(data) > MaxCandidatesFile {
		return 0, nil, errkind.Invalid("file", "file_too_large")
	}
	ins, lines := ParseCandidates(strings.NewReader(string(data)), s.now().In(clock.Paris()))
	if len(lines) > 0 {
		return 0, lines, &ImportError{Lines: lines}
	}
	_, err = s.store.update(ctx, sessionID, func(x *Session) error {
		if err := replaceable(x); err != nil {
			return err
		}
		list := make([]Candidate, 0, len(ins))
		for _, in := range ins {
			list = append(list, newCandidate(list, in))
		}
		x.Candidates = list
		x.Events = append(x.Events, Event{At: s.now(), Kind: "candidates_imported", Detail: fmt.Sprint(len(list))})
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return len(ins), nil, nil
}

// AddCandidate adds one candidate to a session (a référent of its centre
// only), checked as a line of the candidates file, while the session is
// created or open. An address already on the list is a field error.
func (s *Service) AddCandidate(ctx context.Context, actor *profile.User, sessionID string, in CandidateInput) (*Candidate, error) {
	if _, _, err := s.referentSession(ctx, actor, sessionID); err != nil {
		return nil, err
	}
	in, err := CheckCandidate(in, s.now().In(clock.Paris()))
	if err != nil {
		return nil, err
	}
	var added Candidate
	_, err = s.store.update(ctx, sessionID, func(x *Session) error {
		if x.Status != StatusCreated && x.Status != StatusOpen {
			return &errkind.RefusedError{Code: CodeSessionClosed}
		}
		if len(x.Candidates) >= csvMaxCandidates {
			return &errkind.RefusedError{Code: CodeCandidatesFull}
		}
		for _, c := range x.Candidates {
			if c.Email == in.Email {
				return errkind.Invalid("email", "candidate_taken")
			}
		}
		added = newCandidate(x.Candidates, in)
		x.Candidates = append(x.Candidates, added)
		x.Events = append(x.Events, Event{At: s.now(), Kind: "candidate_added", CandidateID: added.ID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &added, nil
}

// replaceable refuses replacing the list of a session past open, or once a
// candidate has checked in.
func replaceable(x *Session) error {
	switch {
	case x.Status != StatusCreated && x.Status != StatusOpen:
		return &errkind.RefusedError{Code: CodeSessionClosed}
	case x.joined():
		return &errkind.RefusedError{Code: CodeCandidatesJoined}
	}
	return nil
}

// newCandidate makes an absent candidate with an id not used in list.
func newCandidate(list []Candidate, in CandidateInput) Candidate {
	id := randomString(candidateIDAlphabet, 8)
	for used(list, id) {
		id = randomString(candidateIDAlphabet, 8)
	}
	return Candidate{ID: id, LastName: in.LastName, FirstName: in.FirstName, BirthDate: in.BirthDate,
		Email: in.Email, ExtraTime: in.ExtraTime, Adjustment: in.Adjustment, State: StateAbsent}
}

func used(list []Candidate, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

// CheckCandidate checks one candidate given field by field (the API's
// single add) with the rules of a line of the candidates file, and returns
// it cleaned as ParseCandidates would. now sets the date birth dates are
// checked against. Errors are field errors (lastName, firstName,
// birthDate, email, extraTime).
func CheckCandidate(in CandidateInput, now time.Time) (CandidateInput, error) {
	p := candidatesParser{now: now, seen: map[string]int{}}
	v := &errkind.ValidationError{}
	failed := func(f func()) bool {
		n := len(p.errs)
		f()
		return len(p.errs) > n
	}
	var out CandidateInput
	if ln := strings.TrimSpace(in.LastName); ln == "" {
		v.Add("lastName", "required")
	} else if failed(func() { out.LastName = p.name(0, "nom", ln) }) {
		v.Add("lastName", "bad_candidate_name")
	}
	if fn := strings.TrimSpace(in.FirstName); fn == "" {
		v.Add("firstName", "required")
	} else if failed(func() { out.FirstName = p.name(0, "prénom", fn) }) {
		v.Add("firstName", "bad_candidate_name")
	}
	if bd := strings.TrimSpace(in.BirthDate); bd == "" {
		v.Add("birthDate", "required")
	} else if failed(func() { out.BirthDate = p.birthDate(0, bd) }) {
		v.Add("birthDate", "bad_birth_date")
	}
	if em := strings.TrimSpace(in.Email); em == "" {
		v.Add("email", "required")
	} else if failed(func() { out.Email = p.email(0, em) }) {
		v.Add("email", "bad_email")
	}
	if in.ExtraTime < 0 || failed(func() { out.ExtraTime = p.extraTime(0, fmt.Sprint(in.ExtraTime)) }) {
		v.Add("extraTime", "bad_extra_time")
	}
	out.Adjustment = in.Adjustment
	return out, v.Err()
}
