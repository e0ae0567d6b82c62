// Package clock holds Ardoise's one time zone: dates shown to people, school
// years and training half-days are all in Paris time.
package clock

import (
	"time"
	_ "time/tzdata" // the zone comes with the binary, not from the host's zone files
)

// paris is loaded once; with time/tzdata embedded the load cannot fail.
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("clock: Europe/Paris: " + err.Error())
	}
	return l
}()

// Paris is the Europe/Paris time zone.
func Paris() *time.Location { return paris }
