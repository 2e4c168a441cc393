//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poll

import (
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestReadableAfterWrite(t *testing.T) {
	p := newPoller(t)
	a, b := socketPair(t)
	if err := p.Add(a.fd, Read); err != nil {
		t.Fatal(err)
	}
	if _, seen := flagsFor(wait(t, p, 0), a.fd); seen {
		t.Fatal("reported before anything was written")
	}
	send(t, b)
	f, _ := flagsFor(wait(t, p, time.Second), a.fd)
	if f&EvRead == 0 {
		t.Fatalf("flags %#x, want EvRead", f)
	}
	// Level-triggered: still ready because nobody read.
	if f, _ := flagsFor(wait(t, p, 0), a.fd); f&EvRead == 0 {
		t.Fatalf("second Wait flags %#x, want EvRead again", f)
	}
}

func TestWritableOnEmptySocket(t *testing.T) {
	p := newPoller(t)
	a, _ := socketPair(t)
	if err := p.Add(a.fd, Write); err != nil {
		t.Fatal(err)
	}
	if f, _ := flagsFor(wait(t, p, time.Second), a.fd); f != EvWrite {
		t.Fatalf("flags %#x, want exactly EvWrite", f)
	}
}

func TestModify(t *testing.T) {
	p := newPoller(t)
	a, b := socketPair(t)
	send(t, b) // a is now readable as well as writable
	if err := p.Add(a.fd, Read|Write); err != nil {
		t.Fatal(err)
	}
	if f, _ := flagsFor(wait(t, p, time.Second), a.fd); f != EvRead|EvWrite {
		t.Fatalf("Read|Write: flags %#x, want EvRead|EvWrite", f)
	}
	if err := p.Modify(a.fd, Read|Write, Write); err != nil {
		t.Fatal(err)
	}
	if f, _ := flagsFor(wait(t, p, time.Second), a.fd); f != EvWrite {
		t.Fatalf("Write only: flags %#x, want EvWrite", f)
	}
	if err := p.Modify(a.fd, Write, Write); err != nil { // no-op
		t.Fatal(err)
	}
	if err := p.Modify(a.fd, Write, Read); err != nil {
		t.Fatal(err)
	}
	if f, _ := flagsFor(wait(t, p, time.Second), a.fd); f != EvRead {
		t.Fatalf("Read only: flags %#x, want EvRead", f)
	}
	if err := p.Modify(a.fd, Read, 0); err != nil {
		t.Fatal(err)
	}
	if evs := wait(t, p, 0); len(evs) != 0 {
		t.Fatalf("interest 0: got %v", evs)
	}
}

func TestDeleteStopsEvents(t *testing.T) {
	p := newPoller(t)
	a, b := socketPair(t)
	send(t, b)
	if err := p.Add(a.fd, Read|Write); err != nil {
		t.Fatal(err)
	}
	if _, seen := flagsFor(wait(t, p, time.Second), a.fd); !seen {
		t.Fatal("not reported while registered")
	}
	if err := p.Delete(a.fd, Read|Write); err != nil {
		t.Fatal(err)
	}
	if evs := wait(t, p, 0); len(evs) != 0 {
		t.Fatalf("after Delete: got %v", evs)
	}
	// Deleting what is not registered is the caller's bug; say so.
	if err := p.Delete(a.fd, Read); err == nil {
		t.Fatal("second Delete succeeded")
	}
}

func TestHupAfterPeerClose(t *testing.T) {
	p := newPoller(t)
	a, b := socketPair(t)
	if err := p.Add(a.fd, Read); err != nil {
		t.Fatal(err)
	}
	b.close()
	f, _ := flagsFor(wait(t, p, time.Second), a.fd)
	if f&EvHup == 0 || f&EvRead == 0 {
		t.Fatalf("flags %#x, want EvHup|EvRead", f)
	}
}

func TestWaitZeroReturnsImmediately(t *testing.T) {
	p := newPoller(t)
	start := time.Now()
	if evs := wait(t, p, 0); len(evs) != 0 {
		t.Fatalf("got %v", evs)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("Wait(0) took %v", d)
	}
}

func TestWaitTimeout(t *testing.T) {
	p := newPoller(t)
	for _, d := range []time.Duration{300 * time.Microsecond, 50 * time.Millisecond} {
		start := time.Now()
		if evs := wait(t, p, d); len(evs) != 0 {
			t.Fatalf("%v: got %v", d, evs)
		}
		el := time.Since(start)
		if el < d-time.Millisecond || el > time.Second {
			t.Fatalf("Wait(%v) returned after %v", d, el)
		}
	}
}

func TestWaitNeedsRoom(t *testing.T) {
	p := newPoller(t)
	if _, err := p.Wait(nil, 0); err == nil {
		t.Fatal("Wait(nil) succeeded")
	}
}

func TestWaitGrowsBuffer(t *testing.T) {
	p := newPoller(t)
	const fds = 8 // few: macOS defaults to 256 open files per process
	for range fds {
		a, _ := socketPair(t)
		if err := p.Add(a.fd, Write); err != nil {
			t.Fatal(err)
		}
	}
	evs := make([]Event, 2*defaultBatch)
	n, err := p.Wait(evs, time.Second)
	if err != nil || n != fds {
		t.Fatalf("Wait = %d, %v; want %d", n, err, fds)
	}
	if len(p.evs) < len(evs) {
		t.Fatalf("internal buffer has %d slots, want %d", len(p.evs), len(evs))
	}
	// A one-slot slice still makes progress: every fd is seen eventually
	// because the poller is level-triggered.
	seen := map[int32]bool{}
	for range 4 * fds {
		n, err := p.Wait(evs[:1], time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			seen[evs[0].Fd] = true
		}
	}
	if len(seen) == 0 {
		t.Fatal("one-slot Wait never reported anything")
	}
}

func TestWakeUnblocksWait(t *testing.T) {
	p := newPoller(t)
	// Watchdog: if Wake is broken, unblock Wait through an ordinary fd so the
	// test fails instead of hanging.
	a, b := socketPair(t)
	if err := p.Add(a.fd, Read); err != nil {
		t.Fatal(err)
	}
	dog := time.AfterFunc(5*time.Second, func() { unix.Write(b.fd, []byte("x")) })
	defer dog.Stop()

	go func() {
		time.Sleep(20 * time.Millisecond)
		if err := p.Wake(); err != nil {
			t.Error(err)
		}
	}()
	start := time.Now()
	if evs := wait(t, p, -1); len(evs) != 0 {
		t.Fatalf("Wake reported as events %v (or watchdog fired)", evs)
	}
	if d := time.Since(start); d < 10*time.Millisecond {
		t.Fatalf("Wait returned after %v, before Wake", d)
	}
}

func TestConcurrentWakesCoalesce(t *testing.T) {
	p := newPoller(t)
	a, b := socketPair(t)
	if err := p.Add(a.fd, Read); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			for range 10 {
				if err := p.Wake(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	send(t, b)
	// Whether the wake and the data come in one batch or two, only a.fd
	// may ever be reported.
	for range 2 {
		for _, e := range wait(t, p, time.Second) {
			if int(e.Fd) != a.fd {
				t.Fatalf("unexpected event %+v", e)
			}
		}
	}
	// The wake was consumed: with a drained socket, a poll finds nothing.
	var buf [8]byte
	if _, err := unix.Read(a.fd, buf[:]); err != nil {
		t.Fatal(err)
	}
	if evs := wait(t, p, 0); len(evs) != 0 {
		t.Fatalf("after consuming: got %v", evs)
	}
	// And Wake is re-armed.
	if err := p.Wake(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		p.Wait(make([]Event, 8), -1)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		send(t, b) // let the goroutine go before failing
		t.Fatal("Wake after a consumed wake did not unblock Wait")
	}
}

func TestClose(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("second Close = %v", err)
	}
	if err := p.Wake(); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("Wake after Close = %v", err)
	}
}

func TestZeroAllocs(t *testing.T) {
	p := newPoller(t)
	a, b := socketPair(t)
	idle, _ := socketPair(t)
	send(t, b)
	if err := p.Add(a.fd, Read); err != nil {
		t.Fatal(err)
	}
	if err := p.Add(idle.fd, 0); err != nil {
		t.Fatal(err)
	}
	evs := make([]Event, 16)
	check := func(name string, f func()) {
		t.Helper()
		if n := testing.AllocsPerRun(200, f); n != 0 {
			t.Errorf("%s: %v allocs per run, want 0", name, n)
		}
	}
	check("Wait(ready, 0)", func() { p.Wait(evs, 0) })
	check("Wait(ready, 1s)", func() { p.Wait(evs, time.Second) })
	check("Modify", func() {
		p.Modify(idle.fd, 0, Read)
		p.Modify(idle.fd, Read, Write)
		p.Modify(idle.fd, Write, 0)
	})
	check("Wake+Wait", func() {
		p.Wake()
		p.Wait(evs, time.Second)
	})
	if err := p.Delete(a.fd, Read); err != nil {
		t.Fatal(err)
	}
	check("Wait(idle, 0)", func() { p.Wait(evs, 0) })
}

func BenchmarkWait(b *testing.B) {
	p := newPoller(b)
	a, w := socketPair(b)
	send(b, w)
	if err := p.Add(a.fd, Read|Write); err != nil {
		b.Fatal(err)
	}
	evs := make([]Event, 64)
	b.ReportAllocs()
	for b.Loop() {
		if n, err := p.Wait(evs, 0); n != 1 || err != nil {
			b.Fatalf("Wait = %d, %v", n, err)
		}
	}
}

func BenchmarkWakeWait(b *testing.B) {
	p := newPoller(b)
	evs := make([]Event, 64)
	b.ReportAllocs()
	for b.Loop() {
		p.Wake()
		p.Wait(evs, -1)
	}
}
