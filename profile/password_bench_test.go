package profile

import "testing"

// BenchmarkCheckPassword measures one login's hashing cost with the chosen
// argon2id parameters.
func BenchmarkCheckPassword(b *testing.B) {
	h := HashPassword("une phrase de passe")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ok, _ := CheckPassword(h, "une phrase de passe"); !ok {
			b.Fatal("mismatch")
		}
	}
}
