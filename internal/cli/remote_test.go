package cli

import (
	"testing"
	"time"
)

// The waits of the standard retry mode: 1 s, 2 s, 4 s, ... never more than
// 20 s, however many attempts AWS_MAX_ATTEMPTS allows.
func TestMaxBackoff(t *testing.T) {
	t.Parallel()
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 20 * time.Second}
	for n := 1; n <= 100; n++ {
		w := 20 * time.Second
		if n <= len(want) {
			w = want[n-1]
		}
		if got := maxBackoff(n); got != w {
			t.Errorf("maxBackoff(%d) = %v, want %v", n, got, w)
		}
	}
}
