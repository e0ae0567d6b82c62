package assessments

import (
	"math"
	"testing"
)

// TestExposureCapForSmallPools: the cap is 0.20 for a big pool, the lowest
// cap a test can honour for a small one, and off only when a test asks
// nearly the whole pool.
func TestExposureCapForSmallPools(t *testing.T) {
	for _, c := range []struct {
		length, n int
		want      float64
	}{
		{32, 215, 0.20},   // the CRCN
		{18, 80, 0.28125}, // the teachers' framework
		{10, 16, 0.78125}, // one competence
		{10, 12, 0},       // a test asks 10 of 12: nothing to control
		{32, 1000, 0.20},  // a big bank
		{0, 0, 0},         // nothing to serve
	} {
		if got := exposureCapFor(c.length, c.n); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("exposureCapFor(%d, %d) = %v, want %v", c.length, c.n, got, c.want)
		}
	}
}
