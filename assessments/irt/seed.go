package irt

import "math/rand/v2"

// mixSeed derives an independent 64-bit seed from a base seed and a stream
// label with the SplitMix64 finaliser, so that every random stream of a run
// (bank, simulees, one test, one simulee's answers) is reproducible on its
// own and does not shift when another stream draws more or fewer numbers.
func mixSeed(base uint64, labels ...uint64) uint64 {
	z := base
	for _, l := range labels {
		z ^= l + 0x9e3779b97f4a7c15 + (z << 6) + (z >> 2)
		z = splitmix(z)
	}
	return splitmix(z)
}

func splitmix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// newRand returns a PCG generator for one stream.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, splitmix(seed^0x5851f42d4c957f2d)))
}

// Stream labels for mixSeed, fixed forever: changing one changes every
// published figure.
const (
	streamBank uint64 = iota + 1
	streamSimulees
	streamCompetences
	streamResponses
	streamTests
	streamExposure
	streamCalibration
)
