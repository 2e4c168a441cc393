package loop

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

// TestDialRawClient: a raw client on the loop talks to a raw echo server on
// another engine.
func TestDialRawClient(t *testing.T) {
	srv := newEngine(t, Config{Loops: 1})
	ln, _ := srv.Listen("tcp4", "127.0.0.1:0", echo{})
	cli := newEngine(t, Config{Loops: 1})
	got := make(chan string, 1)
	var buf []byte
	h := &funcHandler{
		open: func(c *Conn) { c.WriteString("ping over the loop") },
		data: func(c *Conn, p []byte) {
			buf = append(buf, p...)
			if len(buf) == len("ping over the loop") {
				c.Close()
			}
		},
		close: func(c *Conn, err error) { got <- string(buf) },
	}
	if err := cli.Dial("tcp4", ln.Addr().String(), h); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "ping over the loop" {
			t.Fatalf("client got %q", s)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no echo")
	}
}

func TestDialRefused(t *testing.T) {
	l, _ := net.Listen("tcp4", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	cli := newEngine(t, Config{Loops: 1})
	got := make(chan error, 1)
	opened := false
	h := &funcHandler{open: func(*Conn) { opened = true }, close: func(c *Conn, err error) { got <- err }}
	if err := cli.Dial("tcp4", addr, h); err != nil {
		t.Fatal(err)
	}
	if err := <-got; !errors.Is(err, syscall.ECONNREFUSED) || opened {
		t.Fatalf("OnClose(%v), opened=%v; want ECONNREFUSED without OnOpen", err, opened)
	}
}

func TestAdopt(t *testing.T) {
	e := newEngine(t, Config{Loops: 2})
	a, b := socketPair(t)
	if err := e.Adopt(a, echo{}); err != nil {
		t.Fatal(err)
	}
	b.Write([]byte("adopted"))
	got := make([]byte, 7)
	b.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.ReadFull(b, got); err != nil || string(got) != "adopted" {
		t.Fatalf("%q %v", got, err)
	}
	b.Close()
	waitFor(t, 2*time.Second, "adopted conn closed", func() bool { return e.Conns() == 0 })
}

func socketPair(t *testing.T) (int, net.Conn) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	f := fileFromFD(fds[1])
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return fds[0], c
}

// halfCloser answers after the peer's EOF, then half-closes in turn.
type halfCloser struct {
	funcHandler
	n int
}

func (h *halfCloser) OnData(c *Conn, p []byte) { h.n += len(p) }
func (h *halfCloser) OnEOF(c *Conn) {
	c.WriteString("got all")
	c.CloseWrite()
}

func TestHalfClose(t *testing.T) {
	e := newEngine(t, Config{Loops: 1})
	h := &halfCloser{}
	closed := make(chan error, 1)
	h.close = func(c *Conn, err error) { closed <- err }
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write(make([]byte, 1000))
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	reply, err := io.ReadAll(conn)
	if err != nil || string(reply) != "got all" {
		t.Fatalf("reply %q, %v", reply, err)
	}
	select {
	case err := <-closed:
		if err != io.EOF {
			t.Logf("close error %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("server did not close after both halves shut")
	}
}
