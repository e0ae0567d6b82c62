// Package certification runs invigilated certification sessions: centres, sessions, candidates, the invigilator's supervision, the jury and publication.
package certification
