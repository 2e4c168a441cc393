package golws

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golws/golws/h2"
	"github.com/golws/golws/hpack"
	"github.com/golws/golws/ws"
)

// echoWS echoes every message and records how the socket ended.
type echoWS struct {
	mu     sync.Mutex
	closed []uint16
	opened []string
}

func (e *echoWS) OnOpen(s *WebSocket, r *Request) {
	e.mu.Lock()
	e.opened = append(e.opened, s.Protocol()+" "+string(r.Path()))
	e.mu.Unlock()
}

func (e *echoWS) OnMessage(s *WebSocket, text bool, data []byte, final bool) {
	if text {
		s.WriteText(data)
	} else {
		s.WriteBinary(data)
	}
}

func (e *echoWS) OnClose(s *WebSocket, code uint16, reason []byte) {
	e.mu.Lock()
	e.closed = append(e.closed, code)
	e.mu.Unlock()
}

// wsDial performs the opening handshake on a raw connection.
func wsDial(t *testing.T, addr, path, extra string) (net.Conn, *bufio.Reader, string) {
	t.Helper()
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"+extra+"\r\n")
	br := bufio.NewReader(conn)
	var head strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("handshake: %v (%q)", err, head.String())
		}
		head.WriteString(line)
		if line == "\r\n" {
			break
		}
	}
	return conn, br, head.String()
}

// wsSend writes one masked client frame.
func wsSend(t *testing.T, conn net.Conn, fin bool, op ws.OpCode, p []byte) {
	t.Helper()
	key := [4]byte{1, 2, 3, 4}
	if _, err := conn.Write(ws.AppendFrame(nil, fin, op, p, &key)); err != nil {
		t.Fatal(err)
	}
}

// wsRead reads one server frame.
func wsRead(t *testing.T, br *bufio.Reader) (ws.OpCode, bool, []byte) {
	t.Helper()
	var hdr [2]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		t.Fatal(err)
	}
	if hdr[1]&0x80 != 0 {
		t.Fatal("server frame masked")
	}
	n := int64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(br, b[:])
		n = int64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(br, b[:])
		n = int64(binary.BigEndian.Uint64(b[:]))
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(br, p); err != nil {
		t.Fatal(err)
	}
	return ws.OpCode(hdr[0] & 0x0f), hdr[0]&0x80 != 0, p
}

// TestWebSocketH1: the opening handshake (accept key, subprotocol), echo
// of text and binary messages (fragmented, with a ping in between, and
// one of 1 MiB), the closing handshake, and the refusals.
func TestWebSocketH1(t *testing.T) {
	e := &echoWS{}
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.WebSocket("/ws", WSOptions{MaxMessage: 2 << 20}, Protocol("echo", e), Protocol("chat", e))
	})
	conn, br, head := wsDial(t, addr, "/ws", "Sec-WebSocket-Protocol: chat, echo\r\n")
	if !strings.HasPrefix(head, "HTTP/1.1 101 ") || !strings.Contains(head, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") ||
		!strings.Contains(head, "Sec-WebSocket-Protocol: echo\r\n") {
		t.Fatalf("handshake answer: %q", head)
	}
	wsSend(t, conn, true, ws.Text, []byte("hello"))
	if op, fin, p := wsRead(t, br); op != ws.Text || !fin || string(p) != "hello" {
		t.Fatalf("echo: %v %v %q", op, fin, p)
	}
	// Fragmented, a ping in the middle: pong first, then the whole message.
	wsSend(t, conn, false, ws.Binary, []byte("frag"))
	wsSend(t, conn, true, ws.Ping, []byte("p"))
	wsSend(t, conn, true, ws.Continuation, []byte("ment"))
	if op, _, p := wsRead(t, br); op != ws.Pong || string(p) != "p" {
		t.Fatalf("pong: %v %q", op, p)
	}
	if op, _, p := wsRead(t, br); op != ws.Binary || string(p) != "fragment" {
		t.Fatalf("fragmented echo: %v %q", op, p)
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	wsSend(t, conn, true, ws.Binary, big)
	if _, _, p := wsRead(t, br); !bytes.Equal(p, big) {
		t.Fatalf("1 MiB echo: %d bytes", len(p))
	}
	// Closing handshake: our code is echoed, then the server closes.
	wsSend(t, conn, true, ws.Close, ws.AppendClose(nil, 1000, "bye"))
	if op, _, p := wsRead(t, br); op != ws.Close || binary.BigEndian.Uint16(p) != 1000 {
		t.Fatalf("close answer: %v %x", op, p)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("after close: %v", err)
	}

	// Invalid UTF-8 → 1007; unmasked → 1002.
	conn, br, _ = wsDial(t, addr, "/ws", "")
	wsSend(t, conn, true, ws.Text, []byte{0xc3, 0x28})
	if op, _, p := wsRead(t, br); op != ws.Close || binary.BigEndian.Uint16(p) != 1007 {
		t.Fatalf("invalid UTF-8: %v %x", op, p)
	}
	conn, br, _ = wsDial(t, addr, "/ws", "")
	conn.Write(ws.AppendFrame(nil, true, ws.Text, []byte("x"), nil))
	if op, _, p := wsRead(t, br); op != ws.Close || binary.BigEndian.Uint16(p) != 1002 {
		t.Fatalf("unmasked: %v %x", op, p)
	}
	// Refusals: wrong version → 426 with the version; plain GET → 426.
	out := rawExchange(t, addr, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 426 ") || !strings.Contains(out, "Sec-WebSocket-Version: 13\r\n") {
		t.Fatalf("version 8: %q", out)
	}
	if out := rawExchange(t, addr, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasPrefix(out, "HTTP/1.1 426 ") {
		t.Fatalf("plain GET: %q", out)
	}
	time.Sleep(50 * time.Millisecond)
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.opened) != 3 || e.opened[0] != "echo /ws" || len(e.closed) != 3 || e.closed[0] != 1000 || e.closed[1] != 1007 || e.closed[2] != 1002 {
		t.Fatalf("opened %q closed %v", e.opened, e.closed)
	}
}

// h2Frames reads frames from br until one of type typ on stream id.
func h2ReadFrame(t *testing.T, br *bufio.Reader, typ h2.FrameType, id uint32) (h2.FrameHeader, []byte) {
	t.Helper()
	for {
		var hdr [9]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			t.Fatalf("waiting for %v on %d: %v", typ, id, err)
		}
		fh, _ := h2.ParseFrameHeader(hdr[:])
		p := make([]byte, fh.Length)
		if _, err := io.ReadFull(br, p); err != nil {
			t.Fatal(err)
		}
		if fh.Type == h2.FrameGoAway || fh.Type == h2.FrameRSTStream && fh.StreamID == id {
			t.Fatalf("got %v %x waiting for %v", fh.Type, p, typ)
		}
		if fh.Type == typ && fh.StreamID == id {
			return fh, p
		}
	}
}

// TestWebSocketH2: a WebSocket on an HTTP/2 stream (RFC 8441): the server
// advertises SETTINGS_ENABLE_CONNECT_PROTOCOL, answers an extended
// CONNECT with 200, and echoes frames carried in DATA, while an ordinary
// request shares the connection.
func TestWebSocketH2(t *testing.T) {
	e := &echoWS{}
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.WebSocket("/ws", WSOptions{}, Protocol("echo", e))
		v.HandleFunc("/plain", hello)
	})
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, h2.ClientPreface)
	conn.Write(h2.AppendSettings(nil))
	br := bufio.NewReader(conn)
	_, sp := h2ReadFrame(t, br, h2.FrameSettings, 0)
	if !bytes.Contains(sp, []byte{0, 8, 0, 0, 0, 1}) {
		t.Fatalf("server SETTINGS without ENABLE_CONNECT_PROTOCOL: %x", sp)
	}
	conn.Write(h2.AppendSettingsAck(nil))
	enc := hpack.NewEncoder()
	block := func(fields ...string) []byte {
		b := enc.AppendBlockStart(nil)
		for i := 0; i < len(fields); i += 2 {
			b = enc.AppendFieldString(b, fields[i], fields[i+1], false)
		}
		return b
	}
	conn.Write(h2.AppendHeaders(nil, 1, false, true, block(":method", "CONNECT", ":protocol", "websocket",
		":scheme", "http", ":path", "/ws", ":authority", "x", "sec-websocket-version", "13", "sec-websocket-protocol", "echo")))
	if _, p := h2ReadFrame(t, br, h2.FrameHeaders, 1); len(p) == 0 || p[0] != 0x88 {
		t.Fatalf("CONNECT answer block %x, want :status 200 first", p)
	}
	key := [4]byte{9, 8, 7, 6}
	conn.Write(h2.AppendData(nil, 1, false, ws.AppendFrame(nil, true, ws.Text, []byte("over h2"), &key)))
	// An ordinary request on stream 3 meanwhile.
	conn.Write(h2.AppendHeaders(nil, 3, true, true, block(":method", "GET", ":scheme", "http", ":path", "/plain", ":authority", "x")))
	var got []byte
	for len(got) < 2+len("over h2") {
		_, p := h2ReadFrame(t, br, h2.FrameData, 1)
		got = append(got, p...)
	}
	if !bytes.Equal(got, ws.AppendFrame(nil, true, ws.Text, []byte("over h2"), nil)) {
		t.Fatalf("echo frame %x", got)
	}
	if _, p := h2ReadFrame(t, br, h2.FrameData, 3); string(p) != "Hello, World!" {
		t.Fatalf("stream 3: %q", p)
	}
	conn.Write(h2.AppendData(nil, 1, false, ws.AppendFrame(nil, true, ws.Close, ws.AppendClose(nil, 1000, ""), &key)))
	_, p := h2ReadFrame(t, br, h2.FrameData, 1)
	if len(p) < 4 || ws.OpCode(p[0]&0xf) != ws.Close || binary.BigEndian.Uint16(p[2:]) != 1000 {
		t.Fatalf("close answer %x", p)
	}
	conn.Write(h2.AppendData(nil, 1, true, nil))
	time.Sleep(50 * time.Millisecond)
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.opened) != 1 || e.opened[0] != "echo /ws" || len(e.closed) != 1 || e.closed[0] != 1000 {
		t.Fatalf("opened %q closed %v", e.opened, e.closed)
	}
}

// TestWebSocketDeflate: permessage-deflate negotiated (the server adds
// server_no_context_takeover), a compressed message from the client
// inflated, the echo sent compressed, a small one sent plain.
func TestWebSocketDeflate(t *testing.T) {
	e := &echoWS{}
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.WebSocket("/ws", WSOptions{Compression: true}, Protocol("echo", e))
	})
	conn, br, head := wsDial(t, addr, "/ws", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")
	if !strings.Contains(head, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n") {
		t.Fatalf("handshake: %q", head)
	}
	cz, err := ws.NewDeflater(6, false)
	if err != nil {
		t.Fatal(err)
	}
	var inf ws.Inflater
	msg := bytes.Repeat([]byte("compress me, compress me! "), 200)
	for round := 0; round < 3; round++ { // the client keeps its context
		z := cz.Deflate(nil, msg)
		key := [4]byte{5, 6, 7, 8}
		frame := ws.AppendHeader(nil, ws.Header{Fin: true, Rsv: ws.Rsv1, Op: ws.Text, Masked: true, Mask: key, Length: int64(len(z))})
		masked := bytes.Clone(z)
		ws.MaskBytes(key, 0, masked)
		conn.Write(append(frame, masked...))
		first, err := br.Peek(1)
		if err != nil {
			t.Fatal(err)
		}
		if first[0]&0x40 == 0 {
			t.Fatal("echo of a long message not compressed")
		}
		_, _, p := wsRead(t, br)
		out, err := inf.Inflate(nil, p, true, 1<<20)
		if err != nil || !bytes.Equal(out, msg) {
			t.Fatalf("round %d: inflate: %v, %d bytes", round, err, len(out))
		}
	}
	wsSend(t, conn, true, ws.Text, []byte("short"))
	var hdr [1]byte
	io.ReadFull(br, hdr[:])
	if hdr[0]&0x40 != 0 {
		t.Fatal("a 5-byte message was compressed")
	}
}

// TestWebSocketBroadcast: Context.Broadcast reaches every WebSocket of a
// protocol on every loop, and none of another protocol.
func TestWebSocketBroadcast(t *testing.T) {
	e := &echoWS{}
	addr, ctx := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.WebSocket("/news", WSOptions{}, Protocol("news", e))
		v.WebSocket("/other", WSOptions{}, Protocol("other", e))
	})
	var readers []*bufio.Reader
	for i := 0; i < 6; i++ {
		_, br, _ := wsDial(t, addr, "/news", "Sec-WebSocket-Protocol: news\r\n")
		readers = append(readers, br)
	}
	otherConn, other, _ := wsDial(t, addr, "/other", "Sec-WebSocket-Protocol: other\r\n")
	time.Sleep(20 * time.Millisecond)
	if err := ctx.Broadcast("news", func(s *WebSocket) { s.WriteText([]byte("extra!")) }); err != nil {
		t.Fatal(err)
	}
	for i, br := range readers {
		if op, _, p := wsRead(t, br); op != ws.Text || string(p) != "extra!" {
			t.Fatalf("socket %d: %v %q", i, op, p)
		}
	}
	otherConn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := other.ReadByte(); err == nil {
		t.Fatal("a socket of another protocol got the broadcast")
	}
}

// TestWebSocketEchoAllocs: echoing a message allocates nothing after
// warm-up, anywhere in the process.
func TestWebSocketEchoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	cfg := Config{}
	cfg.Loop.Loops = 1
	addr, _ := testServer(t, cfg, func(c *Context, v *Vhost) {
		v.WebSocket("/ws", WSOptions{}, Protocol("echo", &echoWS{}))
	})
	conn, br, _ := wsDial(t, addr, "/ws", "")
	key := [4]byte{1, 2, 3, 4}
	msg := bytes.Repeat([]byte("x"), 1000)
	frame := ws.AppendFrame(nil, true, ws.Binary, msg, &key)
	reply := make([]byte, len(ws.AppendFrame(nil, true, ws.Binary, msg, nil)))
	rt := func() {
		if _, err := conn.Write(frame); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(br, reply); err != nil {
			t.Fatal(err)
		}
	}
	assertNoAllocs(t, "echoed message", rt)
}

// TestWebSocketSharedPath: with WSOptions.HTTP a page and its WebSocket
// share a path.
func TestWebSocketSharedPath(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.WebSocket("/", WSOptions{HTTP: HandlerFunc(hello)}, Protocol("echo", &echoWS{}))
	})
	if out := rawExchange(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasSuffix(out, "Hello, World!") {
		t.Fatalf("page: %q", out)
	}
	conn, br, head := wsDial(t, addr, "/", "")
	if !strings.HasPrefix(head, "HTTP/1.1 101 ") {
		t.Fatalf("upgrade: %q", head)
	}
	wsSend(t, conn, true, ws.Text, []byte("same path"))
	if _, _, p := wsRead(t, br); string(p) != "same path" {
		t.Fatalf("echo %q", p)
	}
}
