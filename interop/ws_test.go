package interop_test

// Real WebSocket clients against a golws server over HTTP/1.1 (RFC 6455):
// gorilla/websocket, coder/websocket and, when node and npm are there,
// Node's ws package. The server mounts an echo endpoint with two named
// protocols (echo, chat) and a streaming endpoint that produces output
// only as the client can take it (WSWritable).

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	lws "github.com/golws/golws"
	"github.com/golws/golws/loop"
	gorilla "github.com/gorilla/websocket"
)

const (
	wsMaxMessage  = 2 << 20   // the echo mount's MaxMessage
	wsMaxBuffered = 256 << 10 // the server's Config.Loop.MaxBuffered
	wsStreamTotal = 64 << 20  // what /stream sends
	wsStreamChunk = 64 << 10  // in binary messages this large
	wsTimeout     = 30 * time.Second
)

// wsClosed is how a WebSocket ended, as the server's OnClose saw it.
type wsClosed struct {
	code   uint16
	reason string
}

// wsRecorder records, by request path, which protocol served a WebSocket
// and how it ended.
type wsRecorder struct {
	mu     sync.Mutex
	opened map[string]string // path → "instance negotiated"
	closed map[string]chan wsClosed
	posts  chan error // the result of each Post from another goroutine
}

func (r *wsRecorder) closeCh(path string) chan wsClosed {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := r.closed[path]
	if ch == nil {
		ch = make(chan wsClosed, 4)
		r.closed[path] = ch
	}
	return ch
}

// waitClose waits for the server's OnClose of the WebSocket on path.
func (r *wsRecorder) waitClose(t *testing.T, path string) wsClosed {
	t.Helper()
	select {
	case c := <-r.closeCh(path):
		return c
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the server's OnClose did not run", path)
		return wsClosed{}
	}
}

func (r *wsRecorder) openedAs(path string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opened[path]
}

// wsEcho echoes every message, except two commands: "close-me" makes the
// server close with 4000 "bye"; "later" is echoed, then a goroutine posts
// a further message 10 ms later.
type wsEcho struct {
	name string
	rec  *wsRecorder
}

const wsPosted = "posted from another goroutine"

func (e *wsEcho) OnOpen(s *lws.WebSocket, r *lws.Request) {
	path := string(r.Path()) // the request is valid during OnOpen only
	s.SetUser(path)
	e.rec.mu.Lock()
	e.rec.opened[path] = e.name + " " + s.Protocol()
	e.rec.mu.Unlock()
}

func (e *wsEcho) OnMessage(s *lws.WebSocket, text bool, data []byte, final bool) {
	switch {
	case text && string(data) == "close-me":
		s.Close(4000, "bye")
	case text && string(data) == "later":
		s.WriteText(data)
		go func() {
			time.Sleep(10 * time.Millisecond)
			err := s.Post(func(s *lws.WebSocket, err error) {
				if err == nil {
					err = s.WriteText([]byte(wsPosted))
				}
				e.rec.posts <- err
			})
			if err != nil {
				e.rec.posts <- err
			}
		}()
	case text:
		s.WriteText(data)
	default:
		s.WriteBinary(data)
	}
}

func (e *wsEcho) OnClose(s *lws.WebSocket, code uint16, reason []byte) {
	select {
	case e.rec.closeCh(s.User().(string)) <- wsClosed{code, string(reason)}:
	default:
	}
}

// wsStream sends wsStreamTotal bytes in binary messages of wsStreamChunk,
// each as long as the connection is Writable, then waits for OnWritable.
// Each message starts with its sequence number; the rest is a pattern.
type wsStream struct {
	sent        atomic.Int64 // bytes handed to WriteBinary
	maxBuffered atomic.Int64 // the most Conn().Buffered() was after a write
	err         atomic.Value // a write error (error)
}

type wsStreamState struct {
	buf []byte
	seq uint64
}

func (w *wsStream) OnOpen(s *lws.WebSocket, r *lws.Request) {
	buf := make([]byte, wsStreamChunk)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	s.SetUser(&wsStreamState{buf: buf})
	w.pump(s)
}

func (w *wsStream) OnWritable(s *lws.WebSocket) { w.pump(s) }

func (w *wsStream) pump(s *lws.WebSocket) {
	st := s.User().(*wsStreamState)
	for s.Writable() && w.sent.Load() < wsStreamTotal {
		binary.BigEndian.PutUint64(st.buf, st.seq)
		if err := s.WriteBinary(st.buf); err != nil {
			w.err.Store(err)
			return
		}
		st.seq++
		w.sent.Add(int64(len(st.buf)))
		if b := int64(s.Conn().Buffered()); b > w.maxBuffered.Load() {
			w.maxBuffered.Store(b)
		}
	}
	if w.sent.Load() < wsStreamTotal {
		s.RequestWritable()
	}
}

func (w *wsStream) OnMessage(s *lws.WebSocket, text bool, data []byte, final bool) {}
func (w *wsStream) OnClose(s *lws.WebSocket, code uint16, reason []byte)           {}

// wsSite is a golws server with the WebSocket mounts.
type wsSite struct {
	addr   string
	rec    *wsRecorder
	stream *wsStream
}

func (s *wsSite) url(path string) string { return "ws://" + s.addr + path }

func newWSSite(t *testing.T) *wsSite {
	t.Helper()
	site := &wsSite{
		rec:    &wsRecorder{opened: map[string]string{}, closed: map[string]chan wsClosed{}, posts: make(chan error, 16)},
		stream: &wsStream{},
	}
	c, err := lws.New(lws.Config{Loop: loop.Config{Loops: 2, MaxBuffered: wsMaxBuffered}})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Vhost("test")
	v.WebSocket("/ws", lws.WSOptions{MaxMessage: wsMaxMessage},
		lws.Protocol("echo", &wsEcho{name: "echo", rec: site.rec}),
		lws.Protocol("chat", &wsEcho{name: "chat", rec: site.rec}))
	v.WebSocket("/stream", lws.WSOptions{}, lws.Protocol("stream", site.stream))
	a, err := c.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	site.addr = a.String()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Shutdown(ctx)
	})
	return site
}

// wsSizes are the message sizes every client echoes: around the 7-bit,
// 16-bit and 64-bit length encodings, and 1 MiB.
var wsSizes = []int{0, 1, 125, 126, 65535, 65536, 1 << 20}

// wsPayload is a message of n bytes: ASCII text, or random binary.
func wsPayload(text bool, n int) []byte {
	p := make([]byte, n)
	if text {
		const letters = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789"
		for i := range p {
			p[i] = letters[mrand.IntN(len(letters))]
		}
	} else {
		rand.Read(p)
	}
	return p
}

// countingConn counts the client's writes: gorilla writes each frame in
// one Write.
type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// gorillaDial opens a gorilla client WebSocket; the returned countingConn
// is the connection under it.
func gorillaDial(t *testing.T, url string, writeBuf int, protocols ...string) (*gorilla.Conn, *countingConn) {
	t.Helper()
	var cc *countingConn
	d := gorilla.Dialer{
		HandshakeTimeout: 5 * time.Second,
		Subprotocols:     protocols,
		WriteBufferSize:  writeBuf,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			cc = &countingConn{Conn: c}
			return cc, nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := d.DialContext(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 101 {
		t.Fatalf("dial %s: status %d", url, resp.StatusCode)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(wsTimeout))
	c.SetWriteDeadline(time.Now().Add(wsTimeout))
	return c, cc
}

func gorillaEcho(t *testing.T, c *gorilla.Conn, typ int, p []byte) {
	t.Helper()
	if err := c.WriteMessage(typ, p); err != nil {
		t.Fatalf("write %d bytes: %v", len(p), err)
	}
	gorillaExpect(t, c, typ, p)
}

func gorillaExpect(t *testing.T, c *gorilla.Conn, typ int, p []byte) {
	t.Helper()
	mt, got, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read echo of %d bytes: %v", len(p), err)
	}
	if mt != typ || !bytes.Equal(got, p) {
		t.Fatalf("echo of %d bytes (type %d): got %d bytes (type %d)", len(p), typ, len(got), mt)
	}
}

// gorillaCloseCode reads the next message, which must be a close frame.
func gorillaCloseCode(t *testing.T, c *gorilla.Conn) *gorilla.CloseError {
	t.Helper()
	mt, p, err := c.ReadMessage()
	if err == nil {
		t.Fatalf("expected a close, got a message (type %d, %d bytes)", mt, len(p))
	}
	var ce *gorilla.CloseError
	if !errors.As(err, &ce) {
		t.Fatalf("expected a close frame, got %v", err)
	}
	return ce
}

// TestWSGorilla runs gorilla/websocket against the echo endpoint:
// subprotocol negotiation, echoes of every size, pipelining, fragmented
// messages, ping/pong, the closing handshake and the protocol-error closes.
func TestWSGorilla(t *testing.T) {
	site := newWSSite(t)

	t.Run("Subprotocol", func(t *testing.T) {
		// The server's order wins: echo is mounted first, so it is chosen
		// although the client lists chat first.
		for _, tc := range []struct {
			path   string
			offer  []string
			want   string // in the response
			served string // the instance that serves
		}{
			{"/ws/sub-both", []string{"chat", "echo"}, "echo", "echo"},
			{"/ws/sub-chat", []string{"chat"}, "chat", "chat"},
			{"/ws/sub-unknown", []string{"superchat"}, "", "echo"},
			{"/ws/sub-none", nil, "", "echo"},
		} {
			c, _ := gorillaDial(t, site.url(tc.path), 0, tc.offer...)
			if got := c.Subprotocol(); got != tc.want {
				t.Errorf("%v: negotiated %q, want %q", tc.offer, got, tc.want)
			}
			gorillaEcho(t, c, gorilla.TextMessage, []byte("which"))
			if got, want := site.rec.openedAs(tc.path), tc.served+" "+tc.want; got != want {
				t.Errorf("%v: served by %q, want %q", tc.offer, got, want)
			}
			c.Close()
		}
	})

	t.Run("Echo", func(t *testing.T) {
		c, _ := gorillaDial(t, site.url("/ws/echo"), 0, "echo")
		for _, n := range wsSizes {
			gorillaEcho(t, c, gorilla.TextMessage, wsPayload(true, n))
			gorillaEcho(t, c, gorilla.BinaryMessage, wsPayload(false, n))
		}
		// Unicode text of every UTF-8 length.
		gorillaEcho(t, c, gorilla.TextMessage, []byte(strings.Repeat("aé€😀", 5000)))
	})

	t.Run("Pipelined", func(t *testing.T) {
		c, _ := gorillaDial(t, site.url("/ws/pipelined"), 0)
		// Written by one goroutine without waiting, read by this one.
		msgs := make([][]byte, 100)
		for i := range msgs {
			msgs[i] = wsPayload(false, i*331)
		}
		done := make(chan error, 1)
		go func() {
			for i := range msgs {
				if err := c.WriteMessage(gorilla.BinaryMessage, msgs[i]); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		for i := range msgs {
			gorillaExpect(t, c, gorilla.BinaryMessage, msgs[i])
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Fragmented", func(t *testing.T) {
		// A small write buffer: gorilla sends a frame each time it fills,
		// so the message crosses several continuation frames, and its
		// multi-byte characters straddle frame boundaries.
		c, cc := gorillaDial(t, site.url("/ws/fragmented"), 1024)
		piece := strings.Repeat("héllo wörld ✓ 😀 ", 100)
		var whole bytes.Buffer
		before := cc.writes.Load()
		w, err := c.NextWriter(gorilla.TextMessage)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := w.Write([]byte(piece)); err != nil {
				t.Fatal(err)
			}
			whole.WriteString(piece)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if frames := cc.writes.Load() - before; frames < 3 {
			t.Fatalf("the message went out in %d frames, want several", frames)
		}
		gorillaExpect(t, c, gorilla.TextMessage, whole.Bytes())

		// Binary too, each Write flushed as its own frame by NextWriter.
		w, err = c.NextWriter(gorilla.BinaryMessage)
		if err != nil {
			t.Fatal(err)
		}
		bin := wsPayload(false, 10000)
		for i := 0; i < len(bin); i += 3000 {
			w.Write(bin[i:min(i+3000, len(bin))])
		}
		w.Close()
		gorillaExpect(t, c, gorilla.BinaryMessage, bin)
	})

	t.Run("Ping", func(t *testing.T) {
		c, _ := gorillaDial(t, site.url("/ws/ping"), 0)
		pongs := make(chan string, 1)
		c.SetPongHandler(func(data string) error {
			pongs <- data
			return nil
		})
		payload := "custom ping payload \x00\xff"
		if err := c.WriteControl(gorilla.PingMessage, []byte(payload), time.Now().Add(5*time.Second)); err != nil {
			t.Fatal(err)
		}
		// The pong comes before the echo of the next message, and gorilla
		// runs the pong handler while reading.
		gorillaEcho(t, c, gorilla.TextMessage, []byte("after the ping"))
		select {
		case got := <-pongs:
			if got != payload {
				t.Fatalf("pong payload %q, want %q", got, payload)
			}
		default:
			t.Fatal("no pong before the echo")
		}
	})

	t.Run("Close1000", func(t *testing.T) {
		c, _ := gorillaDial(t, site.url("/ws/close1000"), 0)
		gorillaEcho(t, c, gorilla.TextMessage, []byte("before the close"))
		if err := c.WriteControl(gorilla.CloseMessage, gorilla.FormatCloseMessage(1000, "done here"), time.Now().Add(5*time.Second)); err != nil {
			t.Fatal(err)
		}
		if ce := gorillaCloseCode(t, c); ce.Code != 1000 {
			t.Fatalf("the server answered close %d %q, want 1000", ce.Code, ce.Text)
		}
		if got := site.rec.waitClose(t, "/ws/close1000"); got != (wsClosed{1000, "done here"}) {
			t.Fatalf("the server's OnClose saw %d %q, want 1000 \"done here\"", got.code, got.reason)
		}
	})

	t.Run("InvalidUTF8", func(t *testing.T) {
		c, _ := gorillaDial(t, site.url("/ws/badutf8"), 0)
		// gorilla does not check what it sends: this goes out as is.
		if err := c.WriteMessage(gorilla.TextMessage, []byte("ok so far \xff\xfe then bad")); err != nil {
			t.Fatal(err)
		}
		if ce := gorillaCloseCode(t, c); ce.Code != gorilla.CloseInvalidFramePayloadData {
			t.Fatalf("close %d %q, want 1007", ce.Code, ce.Text)
		}
		if got := site.rec.waitClose(t, "/ws/badutf8"); got.code != 1007 {
			t.Fatalf("the server's OnClose saw %d, want 1007", got.code)
		}
	})

	t.Run("TooBig", func(t *testing.T) {
		c, _ := gorillaDial(t, site.url("/ws/toobig"), 0)
		// The server may close before it has read it all; the write error
		// does not matter, the close frame does.
		c.WriteMessage(gorilla.BinaryMessage, make([]byte, wsMaxMessage+1))
		if ce := gorillaCloseCode(t, c); ce.Code != gorilla.CloseMessageTooBig {
			t.Fatalf("close %d %q, want 1009", ce.Code, ce.Text)
		}
		if got := site.rec.waitClose(t, "/ws/toobig"); got.code != 1009 {
			t.Fatalf("the server's OnClose saw %d, want 1009", got.code)
		}
	})
}

// TestWSServerClose: the protocol closes (4000 "bye") on a "close-me"
// message; gorilla sees the code and reason, and answers, which ends the
// WebSocket on the server.
func TestWSServerClose(t *testing.T) {
	site := newWSSite(t)
	c, _ := gorillaDial(t, site.url("/ws/close-me"), 0)
	if err := c.WriteMessage(gorilla.TextMessage, []byte("close-me")); err != nil {
		t.Fatal(err)
	}
	ce := gorillaCloseCode(t, c)
	if ce.Code != 4000 || ce.Text != "bye" {
		t.Fatalf("close %d %q, want 4000 \"bye\"", ce.Code, ce.Text)
	}
	// gorilla's default close handler echoes the code.
	if got := site.rec.waitClose(t, "/ws/close-me"); got.code != 4000 {
		t.Fatalf("the server's OnClose saw %d, want 4000", got.code)
	}
}

// TestWSPost: a message written from another goroutine through
// WebSocket.Post reaches the client.
func TestWSPost(t *testing.T) {
	site := newWSSite(t)
	c, _ := gorillaDial(t, site.url("/ws/post"), 0)
	gorillaEcho(t, c, gorilla.TextMessage, []byte("later"))
	gorillaExpect(t, c, gorilla.TextMessage, []byte(wsPosted))
	select {
	case err := <-site.rec.posts:
		if err != nil {
			t.Fatalf("posted write: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the posted function did not report")
	}
	// The connection still works afterwards.
	gorillaEcho(t, c, gorilla.BinaryMessage, []byte("still here"))
}

// TestWSBackpressure: /stream sends 64 MiB to a client that does not read
// yet. The server writes only while Writable, so its buffered output stays
// under MaxBuffered plus one message and the stream stalls; then the
// client reads it all, in order.
func TestWSBackpressure(t *testing.T) {
	site := newWSSite(t)
	c, _ := gorillaDial(t, site.url("/stream"), 0)

	// Wait for the stream to stall: no progress for 300 ms.
	st := site.stream
	deadline := time.Now().Add(10 * time.Second)
	last, since := int64(-1), time.Now()
	for {
		if n := st.sent.Load(); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) > 300*time.Millisecond {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stream never stalled (%d bytes sent)", last)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Only what the kernel's socket buffers hold left the server.
	if last == 0 || last >= 32<<20 {
		t.Fatalf("stalled after %d bytes sent to a client not reading", last)
	}
	const bound = wsMaxBuffered + wsStreamChunk + 14 // MaxBuffered + one message and its header
	if mb := st.maxBuffered.Load(); mb > bound {
		t.Fatalf("the server buffered up to %d bytes, bound %d", mb, bound)
	}
	t.Logf("stalled at %d bytes sent; the server's buffered output peaked at %d", last, st.maxBuffered.Load())

	want := make([]byte, wsStreamChunk)
	for i := range want {
		want[i] = byte(i * 7)
	}
	var total int64
	for seq := uint64(0); total < wsStreamTotal; seq++ {
		mt, p, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("after %d bytes: %v", total, err)
		}
		binary.BigEndian.PutUint64(want, seq)
		if mt != gorilla.BinaryMessage || !bytes.Equal(p, want) {
			t.Fatalf("message %d: type %d, %d bytes, not the expected content", seq, mt, len(p))
		}
		total += int64(len(p))
	}
	if total != wsStreamTotal {
		t.Fatalf("read %d bytes, want %d", total, wsStreamTotal)
	}
	if err, _ := st.err.Load().(error); err != nil {
		t.Fatalf("server write: %v", err)
	}
	if mb := st.maxBuffered.Load(); mb > bound {
		t.Fatalf("the server buffered up to %d bytes, bound %d", mb, bound)
	}
}

// TestWSCoder runs coder/websocket: echoes (1 MiB included), 50
// concurrent connections of 20 messages each, and a clean close.
func TestWSCoder(t *testing.T) {
	site := newWSSite(t)
	dial := func(ctx context.Context, path string) (*websocket.Conn, error) {
		c, resp, err := websocket.Dial(ctx, site.url(path), &websocket.DialOptions{Subprotocols: []string{"chat", "echo"}})
		if err != nil {
			return nil, err
		}
		if resp.Body != nil {
			resp.Body.Close()
		}
		if c.Subprotocol() != "echo" {
			c.CloseNow()
			return nil, fmt.Errorf("negotiated %q, want echo", c.Subprotocol())
		}
		c.SetReadLimit(wsMaxMessage)
		return c, nil
	}
	echo := func(ctx context.Context, c *websocket.Conn, typ websocket.MessageType, p []byte) error {
		if err := c.Write(ctx, typ, p); err != nil {
			return fmt.Errorf("write %d bytes: %w", len(p), err)
		}
		mt, got, err := c.Read(ctx)
		if err != nil {
			return fmt.Errorf("read echo of %d bytes: %w", len(p), err)
		}
		if mt != typ || !bytes.Equal(got, p) {
			return fmt.Errorf("echo of %d bytes (type %v): got %d bytes (type %v)", len(p), typ, len(got), mt)
		}
		return nil
	}

	t.Run("Echo", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), wsTimeout)
		defer cancel()
		c, err := dial(ctx, "/ws/coder-echo")
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		for _, n := range wsSizes {
			if err := echo(ctx, c, websocket.MessageText, wsPayload(true, n)); err != nil {
				t.Fatal(err)
			}
			if err := echo(ctx, c, websocket.MessageBinary, wsPayload(false, n)); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Close(websocket.StatusNormalClosure, "coder done"); err != nil {
			t.Fatalf("close: %v", err)
		}
		if got := site.rec.waitClose(t, "/ws/coder-echo"); got != (wsClosed{1000, "coder done"}) {
			t.Fatalf("the server's OnClose saw %d %q, want 1000 \"coder done\"", got.code, got.reason)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), wsTimeout)
		defer cancel()
		const conns, msgs = 50, 20
		errs := make(chan error, conns)
		var wg sync.WaitGroup
		for i := range conns {
			wg.Go(func() {
				path := fmt.Sprintf("/ws/coder-%d", i)
				c, err := dial(ctx, path)
				if err != nil {
					errs <- fmt.Errorf("conn %d: %w", i, err)
					return
				}
				defer c.CloseNow()
				for j := range msgs {
					typ := websocket.MessageBinary
					if j%2 == 0 {
						typ = websocket.MessageText
					}
					p := wsPayload(typ == websocket.MessageText, mrand.IntN(70000))
					if err := echo(ctx, c, typ, p); err != nil {
						errs <- fmt.Errorf("conn %d message %d: %w", i, j, err)
						return
					}
				}
				if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
					errs <- fmt.Errorf("conn %d: close: %w", i, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if t.Failed() {
			return
		}
		for i := range conns {
			if got := site.rec.waitClose(t, fmt.Sprintf("/ws/coder-%d", i)); got.code != 1000 {
				t.Errorf("conn %d: the server's OnClose saw %d, want 1000", i, got.code)
			}
		}
	})
}

// wsNodeClient is the Node.js client: it connects asking for chat and
// echo, checks the echoes of text and binary messages in order, closes
// with 1000 and exits 0 on success.
const wsNodeClient = `
const WebSocket = require('ws');
const crypto = require('crypto');
const fail = (msg) => { console.error('FAIL: ' + msg); process.exit(1); };
setTimeout(() => fail('timed out'), 20000).unref();

const msgs = [
  ['text', 'hello from node'],
  ['text', 'unicode: é € 😀'.repeat(1000)],
  ['text', ''],
  ['text', 'x'.repeat(70000)],
  ['binary', Buffer.alloc(0)],
  ['binary', crypto.randomBytes(125)],
  ['binary', crypto.randomBytes(65536)],
  ['binary', crypto.randomBytes(1 << 20)],
];
const ws = new WebSocket(process.argv[2], ['chat', 'echo']);
let next = 0;
ws.on('open', () => {
  if (ws.protocol !== 'echo') fail('negotiated ' + JSON.stringify(ws.protocol));
  if (ws.extensions !== '') fail('extensions ' + JSON.stringify(ws.extensions));
  for (const [kind, data] of msgs) ws.send(data, { binary: kind === 'binary' });
});
ws.on('message', (data, isBinary) => {
  const [kind, want] = msgs[next];
  if (isBinary !== (kind === 'binary')) fail('message ' + next + ': binary=' + isBinary);
  const ok = isBinary ? Buffer.compare(data, want) === 0 : data.toString() === want;
  if (!ok) fail('message ' + next + ': wrong echo (' + data.length + ' bytes)');
  if (++next === msgs.length) ws.close(1000, 'node done');
});
ws.on('close', (code, reason) => {
  if (next !== msgs.length) fail('closed after ' + next + ' echoes: ' + code + ' ' + reason);
  if (code !== 1000) fail('close code ' + code);
  console.log('ok: ' + next + ' echoes, closed ' + code);
  process.exit(0);
});
ws.on('error', (err) => fail('error: ' + err.message));
`

// wsNeed finds a tool, or skips (fails if GOLWS_REQUIRE_INTEROP is set).
func wsNeed(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("GOLWS_REQUIRE_INTEROP") != "" {
			t.Fatalf("%s not installed (GOLWS_REQUIRE_INTEROP is set)", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// npmUnreachable tells npm's network failures from other ones.
func npmUnreachable(out string) bool {
	for _, s := range []string{"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH",
		"EHOSTUNREACH", "network request", "socket hang up", "getaddrinfo", "ERR_SOCKET_TIMEOUT", "self-signed certificate",
		"unable to get local issuer certificate", "proxy"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// TestWSNode runs Node's ws package (installed with npm into a temporary
// directory) against the echo endpoint.
func TestWSNode(t *testing.T) {
	node, npm := wsNeed(t, "node"), wsNeed(t, "npm")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "ws@8", "--no-audit", "--no-fund", "--prefix", dir)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false", "npm_config_fetch_retries=1",
		"npm_config_cache="+filepath.Join(dir, ".npm-cache"))
	if out, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil || npmUnreachable(string(out)) {
			msg := fmt.Sprintf("npm install ws@8: the registry is unreachable: %v\n%s", err, out)
			if os.Getenv("GOLWS_REQUIRE_INTEROP") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		t.Fatalf("npm install ws@8: %v\n%s", err, out)
	}
	script := filepath.Join(dir, "client.js")
	if err := os.WriteFile(script, []byte(wsNodeClient), 0o644); err != nil {
		t.Fatal(err)
	}

	site := newWSSite(t)
	ctx, cancel = context.WithTimeout(context.Background(), wsTimeout)
	defer cancel()
	cmd = exec.CommandContext(ctx, node, script, site.url("/ws/node"))
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node client: %v\n%s", err, out)
	}
	t.Logf("node: %s", bytes.TrimSpace(out))
	if got := site.rec.waitClose(t, "/ws/node"); got != (wsClosed{1000, "node done"}) {
		t.Fatalf("the server's OnClose saw %d %q, want 1000 \"node done\"", got.code, got.reason)
	}
}
