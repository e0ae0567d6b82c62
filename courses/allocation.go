package courses

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"
)

// Rate is one period of the allocation de formation: paid training outside
// teaching time, with its hourly rate and caps, valid from From until
// Until (inclusive; empty means still in force). Decrees change them, so
// they live in a configuration file with their dates.
type Rate struct {
	From            string `json:"from"`
	Until           string `json:"until,omitempty"`
	HourlyCents     int    `json:"hourly_cents"`
	HalfDayCapCents int    `json:"half_day_cap_cents"`
	DayCapCents     int    `json:"day_cap_cents"`
	// YearlyCapCents is the most one person is paid in a school year; a
	// session line that would bring the year's paid lines beyond it is held
	// for review instead of credited. 0: no yearly cap.
	YearlyCapCents int    `json:"yearly_cap_cents,omitempty"`
	Reference      string `json:"reference"`
}

// Allocation is the list of rates.
type Allocation struct {
	Rates []Rate `json:"rates"`
}

//go:embed allocation.json
var defaultAllocation []byte

// LoadAllocation reads the rates from path, or the built-in ones (20 € per
// hour, at most 60 € per half-day, 120 € per day and 600 € per person and
// school year) when path is empty.
func LoadAllocation(path string) (Allocation, error) {
	raw := defaultAllocation
	if path != "" {
		var err error
		if raw, err = os.ReadFile(path); err != nil {
			return Allocation{}, fmt.Errorf("courses: allocation rates: %w", err)
		}
	}
	var a Allocation
	if err := json.Unmarshal(raw, &a); err != nil {
		return Allocation{}, fmt.Errorf("courses: allocation rates %s: %w", path, err)
	}
	for i, r := range a.Rates {
		_, e1 := time.Parse(time.DateOnly, r.From)
		_, e2 := time.Parse(time.DateOnly, r.Until)
		if e1 != nil || (r.Until != "" && e2 != nil) || (r.Until != "" && r.Until < r.From) ||
			r.HourlyCents <= 0 || r.HalfDayCapCents <= 0 || r.DayCapCents <= 0 || r.YearlyCapCents < 0 {
			return Allocation{}, fmt.Errorf("courses: allocation rates %s: rate %d: want from/until dates (YYYY-MM-DD) and positive amounts", path, i+1)
		}
	}
	slices.SortFunc(a.Rates, func(x, y Rate) int { return cmp.Compare(x.From, y.From) })
	return a, nil
}

// On returns the rate in force on a date (YYYY-MM-DD).
func (a Allocation) On(date string) (Rate, bool) {
	for i := len(a.Rates) - 1; i >= 0; i-- {
		r := a.Rates[i]
		if r.From <= date && (r.Until == "" || date <= r.Until) {
			return r, true
		}
	}
	return Rate{}, false
}

// Amount is what a session pays a teacher who attended every half-day: its
// declared minutes spread evenly over the half-days, each paid at the
// hourly rate up to the half-day cap, each day up to the day cap.
func (r Rate) Amount(halfDays []HalfDay, minutes int) int {
	if len(halfDays) == 0 {
		return 0
	}
	perHalfDay := min(minutes*r.HourlyCents/60/len(halfDays), r.HalfDayCapCents)
	byDay := map[string]int{}
	for _, h := range halfDays {
		byDay[h.Date] += perHalfDay
	}
	total := 0
	for _, v := range byDay {
		total += min(v, r.DayCapCents)
	}
	return total
}
