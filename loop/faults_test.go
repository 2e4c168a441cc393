package loop

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// echoes reports whether conn echoes a byte within d.
func echoes(conn net.Conn, d time.Duration) bool {
	conn.SetDeadline(time.Now().Add(d))
	defer conn.SetDeadline(time.Time{})
	if _, err := conn.Write([]byte{'x'}); err != nil {
		return false
	}
	var b [1]byte
	_, err := io.ReadFull(conn, b[:])
	return err == nil
}

func TestMaxConnsPausesAccept(t *testing.T) {
	const max = 5
	e := newEngine(t, Config{Loops: 2, MaxConns: max})
	ln, err := e.Listen("tcp4", "127.0.0.1:0", echo{})
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	for i := 0; i < max+3; i++ {
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	served := make([]bool, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() { defer wg.Done(); served[i] = echoes(c, 300*time.Millisecond) }()
	}
	wg.Wait()
	n := 0
	for _, s := range served {
		if s {
			n++
		}
	}
	if n != max || e.Conns() != max {
		t.Fatalf("served %d, engine holds %d; want %d", n, e.Conns(), max)
	}
	// Paused, not spinning: the process stays idle while clients wait.
	cpu0 := cpuTime()
	time.Sleep(300 * time.Millisecond)
	if used := cpuTime() - cpu0; used > 100*time.Millisecond {
		t.Fatalf("%v of CPU in 300ms while paused at the cap: accept is spinning", used)
	}
	// Closing two served connections lets two waiting ones in.
	closed := 0
	for i, c := range conns {
		if served[i] && closed < 2 {
			c.Close()
			closed++
		}
	}
	got := 0
	for i, c := range conns {
		if !served[i] && echoes(c, 2*time.Second) {
			got++
		}
	}
	if got != 2 {
		t.Fatalf("after closing 2, %d waiting connections were served; want 2 (engine holds %d, paused flag %v)", got, e.Conns(), e.acceptPaused.Load())
	}
	if e.Conns() > max {
		t.Fatalf("engine holds %d > max %d", e.Conns(), max)
	}
}

func TestPeerResetIsOrdinary(t *testing.T) {
	var closes atomic.Int32
	var lastErr atomic.Value
	h := &funcHandler{
		data: func(c *Conn, p []byte) {
			// Keep writing so some writes hit the reset socket (EPIPE/ECONNRESET).
			c.Write(make([]byte, 64<<10))
		},
		close: func(c *Conn, err error) {
			closes.Add(1)
			if err != nil {
				lastErr.Store(err)
			}
		},
	}
	e := newEngine(t, Config{Loops: 1})
	ln, err := e.Listen("tcp4", "127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("go"))
		time.Sleep(time.Millisecond)
		c.(*net.TCPConn).SetLinger(0) // close with RST
		c.Close()
	}
	waitFor(t, 5*time.Second, "all closed", func() bool { return closes.Load() == 50 && e.Conns() == 0 })
	if err, _ := lastErr.Load().(error); err == nil || !(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || err == io.EOF) {
		t.Fatalf("last close error %v; want a reset", err)
	}
}

func TestAbortSendsReset(t *testing.T) {
	h := &funcHandler{data: func(c *Conn, p []byte) { c.Abort() }}
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("x"))
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("read after Abort: %v; want ECONNRESET", err)
	}
}

// TestPausedConnReset: a connection whose reading is paused still learns
// of a reset (no spinning on a level-triggered hang-up, OnClose runs).
func TestPausedConnReset(t *testing.T) {
	closed := make(chan error, 1)
	h := &funcHandler{
		open:  func(c *Conn) { c.PauseRead() },
		close: func(c *Conn, err error) { closed <- err },
	}
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("unread"))
	waitFor(t, time.Second, "registered", func() bool { return e.Conns() == 1 })
	c.(*net.TCPConn).SetLinger(0)
	c.Close()
	select {
	case err := <-closed:
		if !errors.Is(err, syscall.ECONNRESET) && err != io.EOF {
			t.Fatalf("OnClose(%v)", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("paused connection never learned of the reset")
	}
	cpu0 := cpuTime()
	time.Sleep(200 * time.Millisecond)
	if used := cpuTime() - cpu0; used > 50*time.Millisecond {
		t.Fatalf("%v CPU in 200ms after the reset: spinning", used)
	}
}
