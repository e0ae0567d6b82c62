package campaigns

import "time"

// Participation is one run of a campaign's test by one person: its id is
// the test's. A person may run a campaign again after the retry cool-down;
// each run is its own participation, shared or not on its own.
type Participation struct {
	ID         string `bson:"_id" json:"id"`
	CampaignID string `bson:"campaignId" json:"campaign"`
	UserID     string `bson:"userId" json:"-"`
	// Seq numbers the participation in its campaign's counters (from 1),
	// given the first time the counters count it.
	Seq      int       `bson:"seq,omitempty" json:"-"`
	JoinedAt time.Time `bson:"joinedAt" json:"joinedAt"`
	// FinishedAt and Levels are set when the test ends (by the worker).
	FinishedAt time.Time `bson:"finishedAt,omitempty" json:"finishedAt,omitzero"`
	Levels     []Level   `bson:"levels,omitempty" json:"levels,omitempty"`
	// SharedAt and Name are set when the person shares the results: the
	// name is the one shown to the organiser, as it was then.
	SharedAt time.Time `bson:"sharedAt,omitempty" json:"sharedAt,omitzero"`
	Name     string    `bson:"name,omitempty" json:"-"`
	// Erased says the person erased their account: the participation
	// stays in the counts without them.
	Erased bool `bson:"erased,omitempty" json:"-"`
	// Pending holds markerCount until the counters include what the
	// participation is now (joined, finished, shared).
	Pending   []string  `bson:"pending,omitempty" json:"-"`
	PendingAt time.Time `bson:"pendingAt,omitempty" json:"-"`
}

// Level is a competence's measure in a participation: the level, and θ
// for the pre/post gains.
type Level struct {
	Competence string  `bson:"competence" json:"competence"`
	Level      int     `bson:"level" json:"level"`
	Theta      float64 `bson:"theta" json:"-"`
}

// Finished reports whether the participation's test has ended.
func (p *Participation) Finished() bool { return !p.FinishedAt.IsZero() }

// Shared reports whether the person shared the results.
func (p *Participation) Shared() bool { return !p.SharedAt.IsZero() }

// member lists a person's participations in a campaign, in the order they
// joined: the pre/post pairing reads them by _id (campaign|user).
type member struct {
	ID             string   `bson:"_id"`
	Participations []string `bson:"participations"`
}

func memberID(campaignID, userID string) string { return campaignID + "|" + userID }
