package examples

// A small WebSocket client for driving the example servers, written with
// raw frames: the opening handshake over a net.Conn, masked frames out,
// frames in, over HTTP/1.1 or over an HTTP/2 stream (RFC 8441). It
// checks what the examples rely on, no more; every call is bounded by a
// deadline on the connection.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golws/golws/h2"
	"github.com/golws/golws/hpack"
	"github.com/golws/golws/ws"
)

// ioTimeout bounds every read and write of the client.
const ioTimeout = 10 * time.Second

// server is a running example.
type server struct {
	cmd    *exec.Cmd
	addr   string // 127.0.0.1:port
	exited chan struct{}
	err    error     // Wait's, once exited is closed
	termAt time.Time // when SIGTERM was sent
}

// firstLine passes on what the process prints and hands its first line
// (the URL) to ch.
type firstLine struct {
	buf  []byte
	ch   chan string
	sent bool
}

func (w *firstLine) Write(p []byte) (int, error) {
	if !w.sent {
		w.buf = append(w.buf, p...)
		if i := bytes.IndexByte(w.buf, '\n'); i >= 0 {
			w.ch <- string(w.buf[:i])
			w.sent = true
		}
	}
	os.Stderr.Write(p)
	return len(p), nil
}

// startServer runs bin with args (which should ask for port 0), waits for
// the URL it prints and returns where it listens. The process is killed
// when the test ends, if it has not exited by then.
func startServer(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	s := &server{cmd: exec.Command(bin, args...), exited: make(chan struct{})}
	out := &firstLine{ch: make(chan string, 1)}
	s.cmd.Stdout = out
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			t.Errorf("%s: still running after kill", bin)
		}
	})
	var line string
	select {
	case line = <-out.ch:
	case <-s.exited:
		t.Fatalf("%s exited: %v", bin, s.err)
	case <-time.After(10 * time.Second):
		t.Fatalf("%s printed no URL", bin)
	}
	// "name: ws://localhost:PORT/" or "name: http://localhost:PORT/"
	i := strings.LastIndexByte(line, ':')
	port, ok := strings.CutSuffix(line[i+1:], "/")
	if i < 0 || !ok || !strings.Contains(line, "://localhost:") {
		t.Fatalf("%s printed %q, want its URL", bin, line)
	}
	s.addr = "127.0.0.1:" + port
	return s
}

// terminate sends SIGTERM (once: a second one may find the signal's
// default action restored as the server exits).
func (s *server) terminate() {
	if s.termAt.IsZero() {
		s.termAt = time.Now()
		s.cmd.Process.Signal(syscall.SIGTERM)
	}
}

// stop sends SIGTERM if it was not sent yet and expects a graceful exit:
// status 0, and before the examples' 5 s shutdown deadline (after which
// they abort the connections left, and still exit 0).
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.terminate()
	select {
	case <-s.exited:
		if s.err != nil {
			t.Fatalf("exit after SIGTERM: %v", s.err)
		}
		if el := time.Since(s.termAt); el > 4*time.Second {
			t.Fatalf("took %v to stop: connections left at the deadline", el)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
}

// wsClient is one WebSocket: frames go to w and come from r.
type wsClient struct {
	t        *testing.T
	conn     net.Conn
	w        io.Writer
	r        *bufio.Reader
	head     string       // the HTTP/1.1 handshake answer
	inflater *ws.Inflater // set by the caller when permessage-deflate was negotiated
}

// dialWS opens a WebSocket over HTTP/1.1 with the extra header lines
// given ("Name: value"), and checks the 101 answer and its accept key.
func dialWS(t *testing.T, addr, path string, header ...string) *wsClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(ioTimeout))
	var nonce [16]byte
	for i := range nonce {
		nonce[i] = byte(rand.Uint32())
	}
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
	for _, h := range header {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	c := &wsClient{t: t, conn: conn, w: conn, r: bufio.NewReader(conn)}
	var head strings.Builder
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatalf("handshake: %v after %q", err, head.String())
		}
		head.WriteString(line)
		if line == "\r\n" {
			break
		}
	}
	c.head = head.String()
	accept := "Sec-WebSocket-Accept: " + string(ws.AcceptKey(nil, []byte(key))) + "\r\n"
	if !strings.HasPrefix(c.head, "HTTP/1.1 101 ") || !strings.Contains(c.head, accept) {
		t.Fatalf("handshake answer %q", c.head)
	}
	return c
}

// send writes a whole message (or control frame) in one masked frame.
func (c *wsClient) send(op ws.OpCode, p []byte) { c.sendFrame(true, op, 0, p) }

// sendFrame writes one masked frame, with a fresh key.
func (c *wsClient) sendFrame(fin bool, op ws.OpCode, rsv byte, p []byte) {
	c.t.Helper()
	h := ws.Header{Fin: fin, Rsv: rsv, Op: op, Masked: true, Length: int64(len(p))}
	binary.LittleEndian.PutUint32(h.Mask[:], rand.Uint32())
	b := ws.AppendHeader(make([]byte, 0, ws.MaxHeaderLen+len(p)), h)
	b = append(b, p...)
	ws.MaskBytes(h.Mask, 0, b[len(b)-len(p):])
	c.conn.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := c.w.Write(b); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// frame is one frame from the server.
type frame struct {
	fin     bool
	rsv     byte
	op      ws.OpCode
	payload []byte
}

// readFrame reads one frame; a server's frames are never masked.
func (c *wsClient) readFrame() frame {
	c.t.Helper()
	c.conn.SetDeadline(time.Now().Add(ioTimeout))
	var hdr [2]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		c.t.Fatalf("read frame: %v", err)
	}
	if hdr[1]&0x80 != 0 {
		c.t.Fatal("server frame masked")
	}
	n := uint64(hdr[1] & 0x7f)
	var ext [8]byte
	switch n {
	case 126:
		if _, err := io.ReadFull(c.r, ext[:2]); err != nil {
			c.t.Fatal(err)
		}
		n = uint64(binary.BigEndian.Uint16(ext[:2]))
	case 127:
		if _, err := io.ReadFull(c.r, ext[:]); err != nil {
			c.t.Fatal(err)
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > 64<<20 {
		c.t.Fatalf("frame of %d bytes", n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(c.r, p); err != nil {
		c.t.Fatalf("read payload: %v", err)
	}
	return frame{fin: hdr[0]&0x80 != 0, rsv: hdr[0] >> 4 & 7, op: ws.OpCode(hdr[0] & 0x0f), payload: p}
}

// read returns the next message, its fragments joined and, if it came
// compressed, inflated (compressed reports which); control frames are
// returned as they come.
func (c *wsClient) read() (op ws.OpCode, p []byte, compressed bool) {
	c.t.Helper()
	f := c.readFrame()
	if f.op.IsControl() {
		return f.op, f.payload, false
	}
	if f.op == ws.Continuation {
		c.t.Fatal("continuation frame without a message")
	}
	op, p, compressed = f.op, f.payload, f.rsv&ws.Rsv1 != 0
	for !f.fin {
		if f = c.readFrame(); f.op != ws.Continuation {
			c.t.Fatalf("%v frame inside a fragmented message", f.op)
		}
		p = append(p, f.payload...)
	}
	if compressed {
		if c.inflater == nil {
			c.t.Fatal("compressed message without permessage-deflate")
		}
		out, err := c.inflater.Inflate(nil, p, true, 64<<20)
		if err != nil {
			c.t.Fatalf("inflate: %v", err)
		}
		p = out
	}
	return op, p, compressed
}

// expect reads a message and checks its type and content.
func (c *wsClient) expect(op ws.OpCode, want []byte) {
	c.t.Helper()
	gotOp, got, _ := c.read()
	if gotOp != op || !bytes.Equal(got, want) {
		c.t.Fatalf("got %v %q, want %v %q", gotOp, trunc(got), op, trunc(want))
	}
}

// expectClose reads a Close frame with code.
func (c *wsClient) expectClose(code uint16) {
	c.t.Helper()
	op, p, _ := c.read()
	if op != ws.Close || len(p) < 2 || binary.BigEndian.Uint16(p) != code {
		c.t.Fatalf("got %v %q, want Close %d", op, trunc(p), code)
	}
}

// close runs the closing handshake from our side, then waits for the end
// of the connection (over HTTP/2, of the stream, which we end too) and
// closes it.
func (c *wsClient) close() {
	c.t.Helper()
	c.send(ws.Close, ws.AppendClose(nil, 1000, "bye"))
	c.expectClose(1000)
	c.readUntilEOF()
}

// readUntilEOF expects nothing more but the end of the connection or, over
// HTTP/2, of the stream, which it then ends from our side (RFC 8441 §5.1:
// the WebSocket is over when both sides have ended it); the connection is
// closed.
func (c *wsClient) readUntilEOF() {
	c.t.Helper()
	c.conn.SetDeadline(time.Now().Add(ioTimeout))
	if n, err := io.Copy(io.Discard, c.r); err != nil || n != 0 {
		c.t.Fatalf("after close: %d bytes, %v", n, err)
	}
	if st, ok := c.w.(*h2Stream); ok {
		c.conn.Write(h2.AppendData(nil, st.id, true, nil))
	}
	c.conn.Close()
}

func trunc(p []byte) []byte {
	if len(p) > 40 {
		return p[:40]
	}
	return p
}

// dialWSH2 opens a WebSocket on stream 1 of an HTTP/2 connection with
// prior knowledge (h2c): the preface, SETTINGS both ways (the server's
// must carry SETTINGS_ENABLE_CONNECT_PROTOCOL), then an extended CONNECT
// (RFC 8441) answered 200. fields are more request fields, name and value
// in turn.
func dialWSH2(t *testing.T, addr, path string, fields ...string) *wsClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(ioTimeout))
	st := &h2Stream{conn: conn, br: bufio.NewReader(conn), id: 1,
		sendConn: h2.DefaultInitialWindowSize, initWindow: h2.DefaultInitialWindowSize,
		maxFrame: h2.DefaultMaxFrameSize, dec: hpack.NewDecoder(4096)}
	// Our receive windows are large enough for any test: no
	// WINDOW_UPDATE from us is ever needed.
	b := append([]byte(h2.ClientPreface), h2.AppendSettings(nil, h2.Setting{ID: h2.SettingInitialWindowSize, Val: 1 << 30})...)
	b = h2.AppendWindowUpdate(b, 0, 1<<30)
	if _, err := conn.Write(b); err != nil {
		t.Fatal(err)
	}
	for !st.gotSettings {
		if err := st.readFrame(); err != nil {
			t.Fatalf("h2 settings: %v", err)
		}
	}
	if !st.connectProtocol {
		t.Fatal("the server's SETTINGS lack SETTINGS_ENABLE_CONNECT_PROTOCOL")
	}
	enc := hpack.NewEncoder()
	block := enc.AppendBlockStart(nil)
	all := append([]string{":method", "CONNECT", ":protocol", "websocket", ":scheme", "http", ":path", path,
		":authority", "localhost", "sec-websocket-version", "13"}, fields...)
	for i := 0; i+1 < len(all); i += 2 {
		block = enc.AppendFieldString(block, all[i], all[i+1], false)
	}
	st.sendStream = st.initWindow
	if _, err := conn.Write(h2.AppendHeaders(nil, st.id, false, true, block)); err != nil {
		t.Fatal(err)
	}
	for st.status == "" {
		if err := st.readFrame(); err != nil {
			t.Fatalf("extended CONNECT: %v", err)
		}
	}
	if st.status != "200" {
		t.Fatalf("extended CONNECT answered %s", st.status)
	}
	return &wsClient{t: t, conn: conn, w: st, r: bufio.NewReaderSize(st, 64<<10)}
}

// h2Stream is the client's side of one HTTP/2 stream: Read returns the
// DATA the server sends on it, Write sends DATA within the server's
// flow-control windows, reading frames (window updates) while it must
// wait. Frames of other streams are ignored.
type h2Stream struct {
	conn net.Conn
	br   *bufio.Reader
	id   uint32
	dec  *hpack.Decoder

	gotSettings, connectProtocol bool
	status                       string // :status of the response, once it came
	in                           []byte // DATA not yet read
	end                          bool   // the server ended the stream

	sendConn, sendStream, initWindow int64 // what we may still send
	maxFrame                         int
}

// readFrame reads and handles one frame of the connection.
func (s *h2Stream) readFrame() error {
	var hb [h2.FrameHeaderLen]byte
	if _, err := io.ReadFull(s.br, hb[:]); err != nil {
		return err
	}
	fh, _ := h2.ParseFrameHeader(hb[:])
	p := make([]byte, fh.Length)
	if _, err := io.ReadFull(s.br, p); err != nil {
		return err
	}
	mine := fh.StreamID == s.id
	switch {
	case fh.Type == h2.FrameSettings && !fh.Flags.Has(h2.FlagAck):
		it, err := h2.ParseSettings(fh, p)
		if err != nil {
			return err
		}
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			switch v.ID {
			case h2.SettingInitialWindowSize:
				s.sendStream += int64(v.Val) - s.initWindow // RFC 9113 §6.9.2
				s.initWindow = int64(v.Val)
			case h2.SettingMaxFrameSize:
				s.maxFrame = int(v.Val)
			case h2.SettingEnableConnectProtocol:
				s.connectProtocol = v.Val == 1
			}
		}
		s.gotSettings = true
		_, err = s.conn.Write(h2.AppendSettingsAck(nil))
		return err
	case fh.Type == h2.FrameWindowUpdate:
		inc, err := h2.ParseWindowUpdate(fh, p)
		if err != nil {
			return err
		}
		if fh.StreamID == 0 {
			s.sendConn += int64(inc)
		} else if mine {
			s.sendStream += int64(inc)
		}
	case fh.Type == h2.FramePing && !fh.Flags.Has(h2.FlagAck):
		data, err := h2.ParsePing(fh, p)
		if err != nil {
			return err
		}
		_, err = s.conn.Write(h2.AppendPing(nil, true, data))
		return err
	case fh.Type == h2.FrameGoAway:
		// NO_ERROR is a graceful shutdown: open streams go on.
		if _, code, debug, _ := h2.ParseGoAway(fh, p); code != h2.ErrCodeNo {
			return fmt.Errorf("GOAWAY %v %q", code, debug)
		}
	case fh.Type == h2.FrameRSTStream && mine:
		code, _ := h2.ParseRSTStream(fh, p)
		return fmt.Errorf("RST_STREAM %v", code)
	case fh.Type == h2.FrameHeaders && mine:
		if !fh.Flags.Has(h2.FlagEndHeaders) {
			return errors.New("response header block in CONTINUATION frames: not handled")
		}
		block, _, err := h2.ParseHeaders(fh, p)
		if err != nil {
			return err
		}
		fields, _, err := s.dec.DecodeInto(block, nil, nil)
		if err != nil {
			return err
		}
		for _, f := range fields {
			if string(f.Name) == ":status" {
				s.status = string(f.Value)
			}
		}
		s.end = s.end || fh.Flags.Has(h2.FlagEndStream)
	case fh.Type == h2.FrameData && mine:
		data, err := h2.ParseData(fh, p)
		if err != nil {
			return err
		}
		s.in = append(s.in, data...)
		s.end = s.end || fh.Flags.Has(h2.FlagEndStream)
	}
	return nil
}

func (s *h2Stream) Read(p []byte) (int, error) {
	for len(s.in) == 0 {
		if s.end {
			return 0, io.EOF
		}
		if err := s.readFrame(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.in)
	s.in = s.in[n:]
	return n, nil
}

func (s *h2Stream) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		n := int(min(int64(len(p)-done), int64(s.maxFrame), s.sendConn, s.sendStream))
		if n <= 0 {
			if err := s.readFrame(); err != nil {
				return done, err
			}
			continue
		}
		if _, err := s.conn.Write(h2.AppendData(nil, s.id, false, p[done:done+n])); err != nil {
			return done, err
		}
		s.sendConn -= int64(n)
		s.sendStream -= int64(n)
		done += n
	}
	return done, nil
}
