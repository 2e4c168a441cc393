package loop

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestTimersFireAndCancel(t *testing.T) {
	e := newEngine(t, Config{Loops: 1})
	l := e.Loops()[0]
	type rec struct {
		want  time.Duration
		fired time.Duration
	}
	delays := []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond,
		50 * time.Millisecond, 120 * time.Millisecond, 300 * time.Millisecond}
	recs := make([]rec, len(delays))
	timers := make([]Timer, len(delays))
	canceled := make([]Timer, len(delays))
	var canceledFired atomic.Int32
	var wg sync.WaitGroup
	for i, d := range delays {
		recs[i].want = d
		wg.Add(1)
	}
	start := time.Now()
	l.Post(func() {
		for i, d := range delays {
			timers[i].F = func(*Timer) { recs[i].fired = time.Since(start); wg.Done() }
			l.Schedule(&timers[i], d)
			canceled[i].F = func(*Timer) { canceledFired.Add(1) }
			l.Schedule(&canceled[i], d+10*time.Millisecond)
		}
		for i := range canceled {
			l.Cancel(&canceled[i])
		}
	})
	wg.Wait()
	time.Sleep(350 * time.Millisecond)
	if n := canceledFired.Load(); n != 0 {
		t.Fatalf("%d canceled timers fired", n)
	}
	const slack = 25 * time.Millisecond // a loaded CI machine; the wheel's tick is 1 ms
	for _, r := range recs {
		t.Logf("scheduled %v fired at %v", r.want, r.fired)
		if r.fired < r.want || r.fired > r.want+slack {
			t.Errorf("timer for %v fired at %v (tolerance +%v)", r.want, r.fired, slack)
		}
	}
}

func TestPeriodicTimer(t *testing.T) {
	e := newEngine(t, Config{Loops: 1})
	l := e.Loops()[0]
	var tm Timer
	var n atomic.Int32
	done := make(chan struct{})
	tm.F = func(t *Timer) {
		if n.Add(1) == 10 {
			close(done)
			return
		}
		l.Schedule(t, 2*time.Millisecond)
	}
	start := time.Now()
	l.Post(func() { l.Schedule(&tm, 2*time.Millisecond) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("periodic timer stalled")
	}
	if el := time.Since(start); el < 20*time.Millisecond {
		t.Fatalf("10 × 2ms periods took %v", el)
	}
}

func TestConnTimeout(t *testing.T) {
	closed := make(chan error, 1)
	h := &funcHandler{
		open:  func(c *Conn) { c.SetTimeout(50 * time.Millisecond) },
		data:  func(c *Conn, p []byte) { c.SetTimeout(50 * time.Millisecond) }, // activity re-arms
		close: func(c *Conn, err error) { closed <- err },
	}
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	for i := 0; i < 5; i++ { // keep it alive past its first deadline
		time.Sleep(20 * time.Millisecond)
		conn.Write([]byte("k"))
	}
	select {
	case err := <-closed:
		el := time.Since(start)
		if !errors.Is(err, ErrTimeout) || el < 150*time.Millisecond {
			t.Fatalf("closed after %v with %v", el, err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("timeout never fired")
	}
	conn.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection still open after its timeout")
	}
}

type timeoutOwner struct {
	funcHandler
	fired chan struct{}
}

func (h *timeoutOwner) OnTimeout(c *Conn) {
	c.WriteString("bye")
	c.Close()
	close(h.fired)
}

func TestTimeoutHandlerDecides(t *testing.T) {
	h := &timeoutOwner{fired: make(chan struct{})}
	h.open = func(c *Conn) { c.SetTimeout(20 * time.Millisecond) }
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	got, err := io.ReadAll(conn)
	if string(got) != "bye" || err != nil {
		t.Fatalf("read %q, %v; want the handler's goodbye then EOF", got, err)
	}
}
