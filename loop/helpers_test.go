package loop

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// Connection-count tests hold both ends of thousands of sockets.
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < rl.Max {
		rl.Cur = rl.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
	if os.Getenv(emfileChildEnv) != "" {
		emfileChild()
		return
	}
	os.Exit(m.Run())
}

func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.Shutdown(ctx)
	})
	return e
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// settleGoroutines waits for goroutines to return to at most n.
func settleGoroutines(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d > %d\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// funcHandler adapts closures to Handler for tests.
type funcHandler struct {
	open     func(*Conn)
	data     func(*Conn, []byte)
	writable func(*Conn)
	close    func(*Conn, error)
}

func (h *funcHandler) OnOpen(c *Conn) {
	if h.open != nil {
		h.open(c)
	}
}
func (h *funcHandler) OnData(c *Conn, p []byte) {
	if h.data != nil {
		h.data(c, p)
	}
}
func (h *funcHandler) OnWritable(c *Conn) {
	if h.writable != nil {
		h.writable(c)
	}
}
func (h *funcHandler) OnClose(c *Conn, err error) {
	if h.close != nil {
		h.close(c, err)
	}
}

// echo is the raw echo role (package raw imports loop, so tests here keep
// their own copy).
type echo struct{ BaseHandler }

func (echo) OnData(c *Conn, p []byte) { c.Write(p) }
