package loop

import (
	"bytes"
	"io"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// fileSender sends a header with Write, then a file with SendFile, resuming
// from OnWritable whenever the socket is full.
type fileSender struct {
	BaseHandler
	fd   int
	off  int64
	size int64
	// calls counts OnWritable resumptions: a slow reader must cause some.
	calls atomic.Int32
}

func (s *fileSender) OnOpen(c *Conn) {
	c.WriteString("HEAD\n")
	s.pump(c)
}

func (s *fileSender) OnWritable(c *Conn) {
	s.calls.Add(1)
	s.pump(c)
}

func (s *fileSender) pump(c *Conn) {
	for s.off < s.size {
		n, err := c.SendFile(s.fd, s.off, int(min(s.size-s.off, 1<<20)))
		if err != nil {
			return
		}
		if n == 0 {
			c.RequestWritable()
			return
		}
		s.off += int64(n)
	}
	c.Close()
}

func TestSendFile(t *testing.T) {
	data := make([]byte, 8<<20+123)
	rand.New(rand.NewSource(1)).Read(data)
	path := filepath.Join(t.TempDir(), "blob")
	os.WriteFile(path, data, 0o644)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := &fileSender{fd: int(f.Fd()), size: int64(len(data))}
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", s)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(100 * time.Millisecond) // let the socket fill: SendFile must resume
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, append([]byte("HEAD\n"), data...)) {
		t.Fatalf("got %d bytes, want %d; content differs", len(got), len(data)+5)
	}
	t.Logf("%d B sent with sendfile, %d resumptions", len(data), s.calls.Load())
	if s.calls.Load() == 0 {
		t.Fatal("never resumed: the socket never filled?")
	}
}
