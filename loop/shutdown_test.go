package loop

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestShutdownWithLiveConnections: listeners close, live connections are
// closed gracefully (clients see EOF after their data), and Shutdown
// returns well before its deadline with nothing left behind.
func TestShutdownWithLiveConnections(t *testing.T) {
	const n = 200
	fds0, gor0 := openFDs(t), runtime.NumGoroutine()
	e, err := New(Config{Loops: 2})
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", echo{})
	var wg sync.WaitGroup
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
		if !echoes(c, 2*time.Second) {
			t.Fatal("no echo")
		}
		// A client that closes when the server does, as a well-behaved peer.
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, c)
			c.Close()
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	took := time.Since(start)
	wg.Wait()
	if _, err := net.DialTimeout("tcp4", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("listener still accepting after Shutdown")
	}
	settleGoroutines(t, gor0)
	if fds := openFDs(t); fds > fds0 {
		t.Fatalf("fd leak: %d before, %d after", fds0, fds)
	}
	t.Logf("shutdown of %d live connections took %v (deadline 5s)", n, took)
	if took > 2*time.Second {
		t.Fatalf("shutdown took %v", took)
	}
}

// stubborn never finishes on shutdown: the deadline must abort it.
type stubborn struct{ funcHandler }

func (stubborn) OnShutdown(*Conn) {}

func TestShutdownDeadlineAborts(t *testing.T) {
	closed := make(chan error, 1)
	h := &stubborn{}
	h.close = func(c *Conn, err error) { closed <- err }
	e, _ := New(Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	waitFor(t, time.Second, "registered", func() bool { return e.Conns() == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = e.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want deadline exceeded", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Shutdown overran its deadline: %v", took)
	}
	if err := <-closed; !errors.Is(err, ErrShutdown) {
		t.Fatalf("OnClose got %v, want ErrShutdown", err)
	}
}
