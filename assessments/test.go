package assessments

import "time"

// Test states.
const (
	StateStarted  = "started"
	StateFinished = "finished"
)

// Test is one positioning test, stored as one document that embeds its
// answers: every change is a single-document update guarded by the number
// of answers, so a double submit is recorded once.
type Test struct {
	ID     string `bson:"_id"`
	UserID string `bson:"userId,omitempty"`
	// AnonKey is the SHA-256 of the cookie that ties an anonymous test to
	// its browser; PrivateKey the SHA-256 of the private result link.
	AnonKey    string `bson:"anonKey,omitempty"`
	PrivateKey string `bson:"privateKey,omitempty"`
	Scope      Scope  `bson:"scope"`
	// ContentVersion, ParamsVersion, Config and Seed are what it takes to
	// explain and replay the test: the same inputs choose the same questions.
	ContentVersion string     `bson:"contentVersion"`
	ParamsVersion  string     `bson:"paramsVersion"`
	Config         TestConfig `bson:"config"`
	Seed           int64      `bson:"seed"`
	Accessible     bool       `bson:"accessible,omitempty"`
	// Seen are the challenges the owner answered in earlier tests of the
	// scope: the engine prefers the others (part of the replay inputs).
	Seen []string `bson:"seen,omitempty"`
	// Pretests are the unscored challenges planned for this test.
	Pretests    []PlannedPretest `bson:"pretests,omitempty"`
	State       string           `bson:"state"`
	Answered    int              `bson:"answered"`
	Current     *Served          `bson:"current,omitempty"`
	Answers     []Recorded       `bson:"answers"`
	FocusLosses int              `bson:"focusLosses"`
	// Certification tests only (certification.go): the moment the server
	// stops taking answers, the hash of the one device that may answer,
	// the question the page reported leaving, and why the test ended
	// before its last question ("time", "invigilator").
	Deadline  time.Time `bson:"deadline,omitempty"`
	Device    string    `bson:"device,omitempty"`
	FocusLost string    `bson:"focusLost,omitempty"`
	EndReason string    `bson:"endReason,omitempty"`
	// Session and Candidate name the certification session and the
	// candidate of the list the test is for.
	Session    string    `bson:"session,omitempty"`
	Candidate  string    `bson:"candidate,omitempty"`
	Result     *Result   `bson:"result,omitempty"`
	Pending    []string  `bson:"pending,omitempty"`
	PendingAt  time.Time `bson:"pendingAt,omitempty"`
	CreatedAt  time.Time `bson:"createdAt"`
	UpdatedAt  time.Time `bson:"updatedAt"`
	FinishedAt time.Time `bson:"finishedAt,omitempty"`
}

// TestConfig records the engine configuration a test ran with.
type TestConfig struct {
	Name             string  `bson:"name" json:"name"`
	MinLength        int     `bson:"minLength" json:"minLength"`
	MaxLength        int     `bson:"maxLength" json:"maxLength"`
	SETarget         float64 `bson:"seTarget" json:"seTarget"`
	ContentBalancing bool    `bson:"contentBalancing" json:"contentBalancing"`
	OnePerTube       bool    `bson:"onePerTube" json:"onePerTube"`
	TopK             int     `bson:"topK" json:"topK"`
	ExposureCap      float64 `bson:"exposureCap" json:"exposureCap"`
	Rho              float64 `bson:"rho" json:"rho"`
	ScoringVersion   string  `bson:"scoringVersion" json:"scoringVersion"`
}

// Served is the question currently shown, and when it was first served
// (the timer runs from then, across reloads and restarts).
type Served struct {
	ChallengeID string    `bson:"challengeId"`
	ServedAt    time.Time `bson:"servedAt"`
}

// Recorded is one answer as stored.
type Recorded struct {
	ChallengeID string `bson:"challengeId" json:"challengeId"`
	Answer      Answer `bson:"answer" json:"answer"`
	Correct     bool   `bson:"correct" json:"correct"`
	Late        bool   `bson:"late,omitempty" json:"late,omitempty"`
	// Pretest answers gather evidence on a new challenge; they never count.
	Pretest bool `bson:"pretest,omitempty" json:"pretest,omitempty"`
	// Voided marks a certification question replaced after an alert the
	// invigilator validated; FocusLost one the page left before the answer
	// (counted wrong without an adjustment). Neither is evidence.
	Voided    bool      `bson:"voided,omitempty" json:"voided,omitempty"`
	FocusLost bool      `bson:"focusLost,omitempty" json:"focusLost,omitempty"`
	At        time.Time `bson:"at" json:"at"`
	Millis    int64     `bson:"ms" json:"ms"`
}

// Result is a finished test's measure. Competences are a list, not a map:
// their ids hold dots, which the store refuses in keys.
type Result struct {
	Score          int                `bson:"score" json:"score"`
	Level          int                `bson:"level" json:"level"`
	Theta          float64            `bson:"theta" json:"theta"`
	SE             float64            `bson:"se" json:"se"`
	Competences    []CompetenceResult `bson:"competences" json:"competences"`
	ScoringVersion string             `bson:"scoringVersion" json:"scoringVersion"`
}

// CompetenceResult is one competence's measure.
type CompetenceResult struct {
	ID    string  `bson:"id" json:"id"`
	Level int     `bson:"level" json:"level"`
	Theta float64 `bson:"theta" json:"theta"`
	SE    float64 `bson:"se" json:"se"`
}

// Of returns the measure of a competence (zero when the test did not measure it).
func (r *Result) Of(id string) CompetenceResult {
	for _, c := range r.Competences {
		if c.ID == id {
			return c
		}
	}
	return CompetenceResult{ID: id}
}

// Levels maps each competence to its level.
func (r *Result) Levels() map[string]int {
	m := make(map[string]int, len(r.Competences))
	for _, c := range r.Competences {
		m[c.ID] = c.Level
	}
	return m
}

// StandardErrors maps each competence to the standard error of its estimate.
func (r *Result) StandardErrors() map[string]float64 {
	m := make(map[string]float64, len(r.Competences))
	for _, c := range r.Competences {
		m[c.ID] = c.SE
	}
	return m
}

// Owner is who may see a test: a signed-in user, or the browser holding
// the anonymous test cookie.
type Owner struct {
	UserID  string
	AnonKey string
	// Device is the SHA-256 (hex) of the device token a certification
	// test was started or last authorised with: only that device answers.
	Device string
}

func (t *Test) ownedBy(o Owner) bool {
	if t.Scope.Certification {
		return o.UserID != "" && o.UserID == t.UserID && o.Device != "" && o.Device == t.Device
	}
	if t.UserID != "" {
		return o.UserID != "" && o.UserID == t.UserID
	}
	return o.AnonKey != "" && o.AnonKey == t.AnonKey
}
