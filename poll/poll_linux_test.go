package poll

import (
	"encoding/binary"
	"math"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestWakeIsOneWrite looks inside: eventfd adds every write to a counter,
// so after a storm of Wakes the counter says how many writes happened.
func TestWakeIsOneWrite(t *testing.T) {
	p := newPoller(t)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			for range 10 {
				p.Wake()
			}
		})
	}
	wg.Wait()
	var buf [8]byte
	if _, err := unix.Read(p.wfd, buf[:]); err != nil {
		t.Fatal(err)
	}
	if n := binary.NativeEndian.Uint64(buf[:]); n != 1 {
		t.Fatalf("1000 Wakes issued %d writes, want 1", n)
	}
}

func TestEpollTimeoutRoundsUp(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want int
	}{
		{-1, -1},
		{0, 0},
		{1, 1},
		{300 * time.Microsecond, 1},
		{time.Millisecond, 1},
		{1500 * time.Microsecond, 2},
		{time.Second, 1000},
		{math.MaxInt64, math.MaxInt32},
	} {
		if got := epollTimeout(c.d); got != c.want {
			t.Errorf("epollTimeout(%v) = %d, want %d", c.d, got, c.want)
		}
	}
}
