//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poll

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// sock is one end of a socketpair that a test may close early without the
// cleanup closing a number the kernel has since handed to someone else.
type sock struct{ fd int }

func (s *sock) close() {
	if s.fd >= 0 {
		unix.Close(s.fd)
		s.fd = -1
	}
}

func newPoller(t testing.TB) *Poller {
	t.Helper()
	p, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// socketPair returns a connected, non-blocking stream pair.
func socketPair(t testing.TB) (*sock, *sock) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	a, b := &sock{fds[0]}, &sock{fds[1]}
	for _, s := range []*sock{a, b} {
		if err := unix.SetNonblock(s.fd, true); err != nil {
			t.Fatalf("set nonblock: %v", err)
		}
		t.Cleanup(s.close)
	}
	return a, b
}

func send(t testing.TB, s *sock) {
	t.Helper()
	if _, err := unix.Write(s.fd, []byte("x")); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// flagsFor ORs together every event Wait reported for fd (kqueue may report
// an fd twice) and says whether fd appeared at all.
func flagsFor(evs []Event, fd int) (uint32, bool) {
	var f uint32
	seen := false
	for _, e := range evs {
		if int(e.Fd) == fd {
			f |= e.Flags
			seen = true
		}
	}
	return f, seen
}

// wait calls Wait and fails the test on error.
func wait(t testing.TB, p *Poller, timeout time.Duration) []Event {
	t.Helper()
	evs := make([]Event, 64)
	n, err := p.Wait(evs, timeout)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return evs[:n]
}
