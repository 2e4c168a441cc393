package h2

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/golws/golws/hpack"
)

// This file tests the server connection core (server*.go) through its
// public surface only: a fake role (testHandler) answers requests, and a
// fake client (testClient) builds frames with the package's writers and
// an HPACK encoder, and reads the server's Out back with ReadFrame and an
// HPACK decoder. server_dos_test.go holds the denial-of-service defences,
// server_fuzz_test.go the fuzz target.

// ---------------------------------------------------------------- handler

// respondMode is when testHandler answers a request.
type respondMode int

const (
	respondAtEnd     respondMode = iota // once the request is complete (END_STREAM or trailers)
	respondAtHeaders                    // at once, in OnStreamHeaders, even if a body follows
	respondNever                        // the test answers, or nobody does
)

// reqHead is a copy of a RequestHead, which is valid only during the call.
type reqHead struct {
	Method, Scheme, Authority, Path string
	Protocol                        string
	HasProtocol                     bool
	Fields                          []string // "name: value"
	ContentLength                   int64
	End                             bool
}

// hstream is testHandler's state for one stream, kept in Stream.User.
type hstream struct {
	id   uint32
	body []byte // the response body
	got  []byte // the request body so far
}

// testHandler is a ServerHandler that records every call and answers
// requests with WriteHeaders (:status 200, content-type) and WriteData.
type testHandler struct {
	c       *ServerConn
	mode    respondMode
	consume bool                           // return request body window at once
	body    func(head *RequestHead) []byte // the response body; nil: "hello"

	// Optional hooks, called after recording.
	onHeaders  func(s *Stream, head *RequestHead, end bool)
	onData     func(s *Stream, data []byte, end bool)
	onWritable func(s *Stream)

	events  []string
	heads   map[uint32]reqHead
	bodies  map[uint32][]byte // request bodies as delivered
	closed  map[uint32]ErrCode
	streams map[uint32]*Stream // open streams the handler knows
	live    map[*Stream]uint32
	errs    []string // broken invariants of the ServerHandler contract
	hbuf    []byte
}

func newTestHandler() *testHandler {
	return &testHandler{
		consume: true,
		heads:   map[uint32]reqHead{},
		bodies:  map[uint32][]byte{},
		closed:  map[uint32]ErrCode{},
		streams: map[uint32]*Stream{},
		live:    map[*Stream]uint32{},
	}
}

func (h *testHandler) fail(format string, args ...any) {
	h.errs = append(h.errs, fmt.Sprintf(format, args...))
}

// check reports a call about a stream the handler does not hold.
func (h *testHandler) check(what string, s *Stream) *hstream {
	id, ok := h.live[s]
	st, _ := s.User.(*hstream)
	switch {
	case !ok:
		h.fail("%s on stream %d after its OnStreamClose or before its OnStreamHeaders", what, s.ID)
	case id != s.ID:
		h.fail("%s: stream %d now has id %d", what, id, s.ID)
	case st == nil || st.id != s.ID:
		h.fail("%s on stream %d: User lost (%v)", what, s.ID, s.User)
	}
	return st
}

func copyHead(head *RequestHead, end bool) reqHead {
	r := reqHead{
		Method: string(head.Method), Scheme: string(head.Scheme), Authority: string(head.Authority),
		Path: string(head.Path), Protocol: string(head.Protocol), HasProtocol: head.Protocol != nil,
		ContentLength: head.ContentLength, End: end,
	}
	for _, f := range head.Fields {
		r.Fields = append(r.Fields, string(f.Name)+": "+string(f.Value))
	}
	return r
}

func (h *testHandler) OnStreamHeaders(s *Stream, head *RequestHead, end bool) {
	if id, ok := h.live[s]; ok {
		h.fail("OnStreamHeaders on stream %d: the Stream still serves %d", s.ID, id)
	}
	if s.User != nil {
		h.fail("OnStreamHeaders on stream %d: recycled with User %v", s.ID, s.User)
	}
	if _, dup := h.heads[s.ID]; dup {
		h.fail("OnStreamHeaders twice for stream %d", s.ID)
	}
	h.live[s] = s.ID
	h.streams[s.ID] = s
	r := copyHead(head, end)
	h.heads[s.ID] = r
	st := &hstream{id: s.ID, body: []byte("hello")}
	if h.body != nil {
		st.body = h.body(head)
	}
	s.User = st
	h.events = append(h.events, fmt.Sprintf("headers %d %s %s %s %s end=%v", s.ID, r.Method, r.Scheme, r.Authority, r.Path, end))
	if h.onHeaders != nil {
		h.onHeaders(s, head, end)
	}
	if h.mode == respondAtHeaders || h.mode == respondAtEnd && end {
		h.respond(s)
	}
}

func (h *testHandler) OnStreamData(s *Stream, data []byte, end bool) {
	st := h.check("OnStreamData", s)
	h.events = append(h.events, fmt.Sprintf("data %d %q end=%v", s.ID, data, end))
	if st != nil {
		st.got = append(st.got, data...)
		h.bodies[s.ID] = st.got
	}
	if h.onData != nil {
		h.onData(s, data, end)
	}
	if h.consume && !s.Closed() {
		h.c.Consumed(s, len(data))
	}
	if h.mode == respondAtEnd && end && !s.Closed() {
		h.respond(s)
	}
}

func (h *testHandler) OnStreamWritable(s *Stream) {
	h.check("OnStreamWritable", s)
	h.events = append(h.events, fmt.Sprintf("writable %d", s.ID))
	if h.onWritable != nil {
		h.onWritable(s)
	}
}

func (h *testHandler) OnStreamClose(s *Stream, code ErrCode) {
	h.check("OnStreamClose", s)
	if !s.Closed() {
		h.fail("OnStreamClose on stream %d: not Closed()", s.ID)
	}
	delete(h.live, s)
	delete(h.streams, s.ID)
	h.closed[s.ID] = code
	h.events = append(h.events, fmt.Sprintf("close %d %v", s.ID, code))
}

// respond answers s: :status 200, content-type, then its body.
func (h *testHandler) respond(s *Stream) {
	st, _ := s.User.(*hstream)
	var body []byte
	if st != nil {
		body = st.body
	}
	h.writeHead(s, 200, len(body) == 0)
	if len(body) > 0 {
		h.c.WriteData(s, body, true)
	}
}

// writeHead sends a response head with the connection's encoder.
func (h *testHandler) writeHead(s *Stream, status int, end bool) {
	enc := h.c.Encoder()
	b := enc.AppendBlockStart(h.hbuf[:0])
	b = enc.AppendStatus(b, status)
	b = enc.AppendFieldString(b, "content-type", "text/plain", false)
	h.hbuf = b
	h.c.WriteHeaders(s, b, end)
}

// takeEvents returns the events since the last call.
func (h *testHandler) takeEvents() []string {
	e := h.events
	h.events = nil
	return e
}

// ----------------------------------------------------------------- client

// testClient is the client side: it encodes requests and decodes what
// the server sends.
type testClient struct {
	enc *hpack.Encoder
	dec *hpack.Decoder

	tracker     FieldBlockTracker
	block       []byte
	blockFH     FrameHeader
	blockFrames int
}

func newTestClient() *testClient {
	return &testClient{enc: hpack.NewEncoder(), dec: hpack.NewDecoder(DefaultHeaderTableSize)}
}

// encode returns a header block of name, value pairs (a fresh slice).
func (cl *testClient) encode(fields ...string) []byte {
	if len(fields)%2 != 0 {
		panic("encode: odd number of strings")
	}
	b := cl.enc.AppendBlockStart(nil)
	for i := 0; i < len(fields); i += 2 {
		b = cl.enc.AppendFieldString(b, fields[i], fields[i+1], false)
	}
	return b
}

// headers returns a HEADERS frame with END_HEADERS carrying fields.
func (cl *testClient) headers(id uint32, end bool, fields ...string) []byte {
	return AppendHeaders(nil, id, end, true, cl.encode(fields...))
}

// get is the pseudo-header fields of a GET of path, then extra fields.
func get(path string, extra ...string) []string {
	return append([]string{":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", path}, extra...)
}

// post is get for a POST.
func post(path string, extra ...string) []string {
	return append([]string{":method", "POST", ":scheme", "https", ":authority", "example.com", ":path", path}, extra...)
}

func data(id uint32, end bool, s string) []byte { return AppendData(nil, id, end, []byte(s)) }

func windowUpdate(id, inc uint32) []byte { return AppendWindowUpdate(nil, id, inc) }

func settings(s ...Setting) []byte { return AppendSettings(nil, s...) }

func cat(frames ...[]byte) []byte { return slices.Concat(frames...) }

// sframe is a frame the server sent; a field block (HEADERS and its
// CONTINUATIONs) comes as one sframe with its decoded fields.
type sframe struct {
	parsed
	Fields []string // "name=value", for HEADERS
	Frames int      // frames of the field block
}

func (f sframe) String() string {
	var b strings.Builder
	b.WriteString(f.Type.String())
	switch f.Type {
	case FrameSettings:
		if f.Flags.Has(FlagAck) {
			b.WriteString(" ACK")
		}
		for _, s := range f.Settings {
			fmt.Fprintf(&b, " %s=%d", strings.TrimPrefix(s.ID.String(), "SETTINGS_"), s.Val)
		}
	case FrameWindowUpdate:
		fmt.Fprintf(&b, " %d +%d", f.StreamID, f.ID)
	case FrameHeaders:
		fmt.Fprintf(&b, " %d %s", f.StreamID, strings.Join(f.Fields, ","))
	case FrameData:
		fmt.Fprintf(&b, " %d %d", f.StreamID, len(f.Content))
	case FrameRSTStream:
		fmt.Fprintf(&b, " %d %v", f.StreamID, f.Code)
	case FrameGoAway:
		fmt.Fprintf(&b, " %d %v", f.ID, f.Code)
	case FramePing:
		if f.Flags.Has(FlagAck) {
			b.WriteString(" ACK")
		}
		fmt.Fprintf(&b, " %x", f.Ping)
	default:
		fmt.Fprintf(&b, " %d %x", f.StreamID, f.Content)
	}
	if (f.Type == FrameHeaders || f.Type == FrameData) && f.Flags.Has(FlagEndStream) {
		b.WriteString(" END_STREAM")
	}
	return b.String()
}

// read parses the frames in out, which must end on a frame boundary.
func (cl *testClient) read(out []byte) ([]sframe, error) {
	var frames []sframe
	for len(out) > 0 {
		fh, p, n, err := ReadFrame(out, MaxFrameSizeLimit)
		if err != nil {
			return frames, err
		}
		if n == 0 {
			return frames, fmt.Errorf("Out ends inside a frame: %x", out)
		}
		out = out[n:]
		if err := cl.tracker.Check(fh); err != nil {
			return frames, fmt.Errorf("%+v: %v", fh, err)
		}
		f, err := parseTyped(fh, p)
		if err != nil {
			return frames, fmt.Errorf("server sent an invalid frame %+v: %v", fh, err)
		}
		switch fh.Type {
		case FrameHeaders:
			cl.blockFH, cl.blockFrames = fh, 1
			cl.block = append(cl.block[:0], f.Content...)
		case FrameContinuation:
			cl.blockFrames++
			cl.block = append(cl.block, f.Content...)
		default:
			f.Content = slices.Clone(f.Content) // Out is reused
			frames = append(frames, sframe{parsed: f})
			continue
		}
		if !fh.Flags.Has(FlagEndHeaders) {
			continue
		}
		fields, _, err := cl.dec.DecodeInto(cl.block, nil, nil)
		if err != nil {
			return frames, fmt.Errorf("server header block on stream %d: %v", cl.blockFH.StreamID, err)
		}
		hf := sframe{Frames: cl.blockFrames}
		hf.Type, hf.StreamID = FrameHeaders, cl.blockFH.StreamID
		hf.Flags = cl.blockFH.Flags&FlagEndStream | FlagEndHeaders
		hf.Content = slices.Clone(cl.block)
		for _, fl := range fields {
			hf.Fields = append(hf.Fields, string(fl.Name)+"="+string(fl.Value))
		}
		frames = append(frames, hf)
	}
	return frames, nil
}

// ------------------------------------------------------------- connection

// tconn is a ServerConn with its handler and client, fed as a role would.
type tconn struct {
	t       testing.TB
	c       *ServerConn
	h       *testHandler
	cl      *testClient
	pending []byte
	now     int64
	raw     []byte   // everything the server sent
	frames  []sframe // everything the server sent, parsed
	seen    int      // frames already returned by next
	err     error    // the last Feed error
}

// baseNow is the clock at the start of every test connection (a loop's
// clock is well past zero).
const baseNow = int64(1_000_000_000_000)

// newServer starts a ServerConn, but sends nothing.
func newServer(t testing.TB, cfg ServerConfig) *tconn {
	t.Helper()
	h := newTestHandler()
	tc := &tconn{t: t, h: h, cl: newTestClient(), now: baseNow}
	tc.c = NewServerConn(cfg, h)
	h.c = tc.c
	tc.c.Start()
	tc.collect()
	return tc
}

// newTestConn is newServer with the client's preface, an empty SETTINGS
// and the ack of the server's SETTINGS sent, and what the server sent so
// far taken.
func newTestConn(t testing.TB, cfg ServerConfig) *tconn {
	t.Helper()
	tc := newServer(t, cfg)
	tc.next()
	tc.mustFeed(cat([]byte(ClientPreface), settings(), AppendSettingsAck(nil)))
	tc.expect("SETTINGS ACK")
	return tc
}

// feed hands b to the server after the bytes it left unconsumed, then
// scribbles over what it consumed (the server may keep no reference to
// it) and reads what it sent.
func (tc *tconn) feed(b []byte) error {
	tc.t.Helper()
	tc.pending = append(tc.pending, b...)
	n, err := tc.c.Feed(tc.pending, tc.now)
	if n < 0 || n > len(tc.pending) {
		tc.t.Fatalf("Feed consumed %d of %d", n, len(tc.pending))
	}
	for i := range tc.pending[:n] {
		tc.pending[i] = 0xa5
	}
	tc.pending = append([]byte(nil), tc.pending[n:]...)
	tc.err = err
	tc.collect()
	return err
}

// mustFeed is feed for input the server must accept.
func (tc *tconn) mustFeed(frames ...[]byte) {
	tc.t.Helper()
	if err := tc.feed(cat(frames...)); err != nil {
		tc.t.Fatalf("Feed: %v", err)
	}
}

// collect reads the server's Out and empties it, as the caller does once
// it is written.
func (tc *tconn) collect() {
	tc.t.Helper()
	if len(tc.h.errs) > 0 {
		tc.t.Fatalf("handler contract broken: %s", strings.Join(tc.h.errs, "; "))
	}
	out := tc.c.Out
	tc.raw = append(tc.raw, out...)
	frames, err := tc.cl.read(out)
	tc.frames = append(tc.frames, frames...)
	if err != nil {
		tc.t.Fatalf("server output: %v", err)
	}
	tc.c.Out = out[:0]
}

// next returns the frames the server sent since the last call.
func (tc *tconn) next() []sframe {
	tc.collect()
	f := tc.frames[tc.seen:]
	tc.seen = len(tc.frames)
	return f
}

func framesString(frames []sframe) []string {
	s := make([]string, len(frames))
	for i, f := range frames {
		s[i] = f.String()
	}
	return s
}

// expect checks the frames sent since the last call, as Strings.
func (tc *tconn) expect(want ...string) []sframe {
	tc.t.Helper()
	got := tc.next()
	if gs := framesString(got); !slices.Equal(gs, want) {
		tc.t.Fatalf("server sent\n\t%s\nwant\n\t%s", strings.Join(gs, "\n\t"), strings.Join(want, "\n\t"))
	}
	return got
}

// expectEvents checks the handler calls since the last call.
func (tc *tconn) expectEvents(want ...string) {
	tc.t.Helper()
	if got := tc.h.takeEvents(); !slices.Equal(got, want) {
		tc.t.Fatalf("handler calls\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// expectConnError checks that the last Feed failed with a ConnError of
// code and that the server's last frame is a GOAWAY with that code.
func (tc *tconn) expectConnError(code ErrCode) {
	tc.t.Helper()
	var ce ConnError
	if !errors.As(tc.err, &ce) || ce.Code != code {
		tc.t.Fatalf("Feed error %v, want a %v ConnError", tc.err, code)
	}
	f := tc.next()
	if len(f) == 0 || f[len(f)-1].Type != FrameGoAway || f[len(f)-1].Code != code {
		tc.t.Fatalf("server sent %s, want GOAWAY %v last", framesString(f), code)
	}
	if !tc.c.Done() {
		tc.t.Fatal("Done() false after a connection error")
	}
	if tc.c.Active() != 0 || len(tc.h.live) != 0 {
		tc.t.Fatalf("after a connection error: Active %d, handler holds %d streams", tc.c.Active(), len(tc.h.live))
	}
	if _, err := tc.c.Feed(cat(AppendPing(nil, false, [8]byte{})), tc.now); err != ErrClosedConn {
		tc.t.Fatalf("Feed after failure: %v, want ErrClosedConn", err)
	}
}

// response is the frames of the default answer on stream id.
func response(id uint32, body int) []string {
	return []string{
		fmt.Sprintf("HEADERS %d :status=200,content-type=text/plain", id),
		fmt.Sprintf("DATA %d %d END_STREAM", id, body),
	}
}

// --------------------------------------------------------------- handshake

func TestServerStartSettings(t *testing.T) {
	tc := newServer(t, ServerConfig{})
	tc.expect(
		"SETTINGS MAX_CONCURRENT_STREAMS=128 INITIAL_WINDOW_SIZE=1048576 MAX_HEADER_LIST_SIZE=65536",
		fmt.Sprintf("WINDOW_UPDATE 0 +%d", DefaultConnWindow-DefaultInitialWindowSize),
	)
	if !tc.c.AwaitingSettingsAck() {
		t.Fatal("AwaitingSettingsAck false before the client's ack")
	}
	// The preface arrives in pieces, then the client's SETTINGS.
	for _, piece := range []string{"PRI * HTTP/2.0\r\n", "\r\nSM", "\r\n\r", "\n"} {
		tc.mustFeed([]byte(piece))
		tc.expect()
	}
	tc.mustFeed(settings(Setting{SettingEnablePush, 0}, Setting{SettingMaxConcurrentStreams, 100}))
	tc.expect("SETTINGS ACK")
	if !tc.c.AwaitingSettingsAck() {
		t.Fatal("AwaitingSettingsAck false before the client's ack")
	}
	tc.mustFeed(AppendSettingsAck(nil))
	tc.expect()
	if tc.c.AwaitingSettingsAck() {
		t.Fatal("AwaitingSettingsAck true after the client's ack")
	}
	// A surplus ack is harmless.
	tc.mustFeed(AppendSettingsAck(nil))
	tc.expect()

	tc = newServer(t, ServerConfig{
		MaxConcurrentStreams: 7, StreamWindow: 100000, ConnWindow: 50000, MaxFrameSize: 1 << 15,
		MaxHeaderListSize: 9999, EnableConnectProtocol: true,
	})
	// ConnWindow is raised to StreamWindow.
	tc.expect(
		"SETTINGS MAX_CONCURRENT_STREAMS=7 INITIAL_WINDOW_SIZE=100000 MAX_HEADER_LIST_SIZE=9999 MAX_FRAME_SIZE=32768 ENABLE_CONNECT_PROTOCOL=1",
		fmt.Sprintf("WINDOW_UPDATE 0 +%d", 100000-DefaultInitialWindowSize),
	)
	// Windows below the RFC's default are raised to it: no WINDOW_UPDATE.
	tc = newServer(t, ServerConfig{StreamWindow: 1000, ConnWindow: 1000})
	tc.expect("SETTINGS MAX_CONCURRENT_STREAMS=128 INITIAL_WINDOW_SIZE=65535 MAX_HEADER_LIST_SIZE=65536")
}

func TestServerBadPreface(t *testing.T) {
	for _, in := range []string{
		"GET / HTTP/1.1\r\n\r\n",
		"PRI * HTTP/2.0\r\n\r\nXM\r\n\r\n",
		"PRI * HTTP/2.1",
	} {
		tc := newServer(t, ServerConfig{})
		tc.next()
		n, err := tc.c.Feed([]byte(in), tc.now)
		tc.err = err
		if n != len(in) {
			t.Errorf("%q: consumed %d", in, n)
		}
		tc.expectConnError(ErrCodeProtocol)
	}
	// A bad octet in a later piece is caught too.
	tc := newServer(t, ServerConfig{})
	tc.mustFeed([]byte("PRI * HTTP/2.0\r\n"))
	tc.feed([]byte("\r\nSX"))
	tc.expectConnError(ErrCodeProtocol)
}

// ------------------------------------------------------------------ basics

func TestServerGet(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(1, true, get("/index.html", "user-agent", "test", "accept", "*/*")...))
	tc.expectEvents("headers 1 GET https example.com /index.html end=true", "close 1 NO_ERROR")
	got := tc.expect(response(1, 5)...)
	if string(got[1].Content) != "hello" {
		t.Fatalf("body %q", got[1].Content)
	}
	head := tc.h.heads[1]
	want := reqHead{Method: "GET", Scheme: "https", Authority: "example.com", Path: "/index.html",
		Fields: []string{"user-agent: test", "accept: */*"}, ContentLength: -1, End: true}
	if fmt.Sprint(head) != fmt.Sprint(want) {
		t.Fatalf("head %+v, want %+v", head, want)
	}
	if tc.c.Active() != 0 || tc.c.Done() || tc.c.Blocked() {
		t.Fatalf("Active %d, Done %v, Blocked %v", tc.c.Active(), tc.c.Done(), tc.c.Blocked())
	}

	// The next stream reuses the Stream, reset.
	var first, second *Stream
	tc.h.onHeaders = func(s *Stream, head *RequestHead, end bool) {
		if first == nil {
			first = s
		} else {
			second = s
		}
	}
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(3, true, get("/a")...))
	tc.expectEvents("headers 3 GET https example.com /a end=true")
	tc.expect()
	if tc.c.Active() != 1 || first.Closed() || !first.RemoteDone() || first.ID != 3 {
		t.Fatalf("Active %d, stream %+v", tc.c.Active(), first)
	}
	tc.h.respond(first)
	tc.expectEvents("close 3 NO_ERROR")
	tc.expect(response(3, 5)...)
	if !first.Closed() || first.User != nil {
		t.Fatalf("closed stream: Closed %v, User %v", first.Closed(), first.User)
	}
	tc.mustFeed(tc.cl.headers(5, true, get("/b")...))
	if second != first || second.ID != 5 || second.Closed() || second.Queued() != 0 {
		t.Fatalf("stream not recycled: %p %p %+v", first, second, second)
	}
	tc.h.respond(second)
	tc.expect(response(5, 5)...)

	// Writes on a closed stream are ignored.
	tc.c.WriteHeaders(first, tc.h.hbuf, true)
	tc.c.WriteData(first, []byte("x"), true)
	tc.c.Reset(first, ErrCodeCancel)
	tc.expect()
}

func TestServerPostBody(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(1, false, post("/upload", "content-type", "text/plain")...))
	tc.expectEvents("headers 1 POST https example.com /upload end=false")
	tc.mustFeed(data(1, false, "abc"))
	tc.mustFeed(data(1, false, "")) // empty DATA: no call
	// Padded DATA: the padding is not delivered.
	tc.mustFeed(raw(FrameData, FlagPadded, 1, "\x03def\x00\x00\x00"))
	tc.mustFeed(data(1, true, "gh"))
	tc.expectEvents(`data 1 "abc" end=false`, `data 1 "def" end=false`, `data 1 "gh" end=true`, "close 1 NO_ERROR")
	tc.expect(response(1, 5)...)
	if string(tc.h.bodies[1]) != "abcdefgh" {
		t.Fatalf("body %q", tc.h.bodies[1])
	}

	// An empty DATA with END_STREAM ends the body.
	tc.mustFeed(tc.cl.headers(3, false, post("/x")...), data(3, true, ""))
	tc.expectEvents("headers 3 POST https example.com /x end=false", `data 3 "" end=true`, "close 3 NO_ERROR")
	tc.expect(response(3, 5)...)
}

// TestServerEarlyResponse answers before the request body ends: the
// server ends the stream with RST_STREAM NO_ERROR (RFC 9113 §8.1) and
// ignores the body still in flight.
func TestServerEarlyResponse(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondAtHeaders
	tc.mustFeed(tc.cl.headers(1, false, post("/")...))
	tc.expectEvents("headers 1 POST https example.com / end=false", "close 1 NO_ERROR")
	tc.expect(append(response(1, 5), "RST_STREAM 1 NO_ERROR")...)
	tc.mustFeed(data(1, false, "late"), data(1, true, "body"))
	tc.expectEvents()
	tc.expect()
	// Trailers in flight are ignored too.
	tc.mustFeed(tc.cl.headers(1, true, "x-trailer", "1"))
	tc.expect()
	tc.mustFeed(tc.cl.headers(3, true, get("/")...))
	tc.expect(response(3, 5)...)
}

func TestServerTrailers(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(1, false, post("/", "content-length", "3")...), data(1, false, "abc"),
		tc.cl.headers(1, true, "x-checksum", "42"))
	tc.expectEvents("headers 1 POST https example.com / end=false", `data 1 "abc" end=false`, `data 1 "" end=true`, "close 1 NO_ERROR")
	tc.expect(response(1, 5)...)

	for _, c := range []struct {
		name     string
		trailers []string
		end      bool
		extra    []string
	}{
		{"trailers without END_STREAM", []string{"x-checksum", "42"}, false, nil},
		{"pseudo-header in trailers", []string{":path", "/"}, true, nil},
		{"uppercase trailer", []string{"X-Checksum", "42"}, true, nil},
		{"content-length short at trailers", []string{"x-a", "b"}, true, []string{"content-length", "5"}},
	} {
		id := tc.c.lastPeerID + 2
		tc.mustFeed(tc.cl.headers(id, false, post("/", c.extra...)...), data(id, false, "abc"), tc.cl.headers(id, c.end, c.trailers...))
		tc.expectEvents(fmt.Sprintf("headers %d POST https example.com / end=false", id), fmt.Sprintf(`data %d "abc" end=false`, id),
			fmt.Sprintf("close %d PROTOCOL_ERROR", id))
		tc.expect(fmt.Sprintf("RST_STREAM %d PROTOCOL_ERROR", id))
	}
	// The connection goes on.
	tc.mustFeed(tc.cl.headers(101, true, get("/")...))
	tc.expect(response(101, 5)...)
}

func TestServerPing(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(AppendPing(nil, false, [8]byte{1, 2, 3, 4, 5, 6, 7, 8}))
	tc.expect("PING ACK 0102030405060708")
	tc.mustFeed(AppendPing(nil, true, [8]byte{9}))
	tc.expect()
}

// TestServerIgnoredFrames sends frames the server must accept and ignore.
func TestServerIgnoredFrames(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...))
	tc.mustFeed(
		raw(0xfa, 0xff, 1, "unknown type"),
		raw(0xfb, 0, 0, ""),
		AppendPriority(nil, 1, Priority{StreamDep: 0, Weight: 9}),
		AppendPriority(nil, 9, Priority{StreamDep: 1}), // idle stream
		AppendPriority(nil, 2, Priority{StreamDep: 1}), // even stream
		AppendPriorityUpdate(nil, 1, []byte("u=1")),
		AppendHeadersPriority(nil, 3, true, true, Priority{StreamDep: 1, Weight: 200}, tc.cl.encode(get("/prio")...)),
		windowUpdate(1, 10),
		windowUpdate(0, 10),
		settings(Setting{SettingID(0x99), 7}), // unknown parameter
		AppendSettingsAck(nil),
	)
	tc.expect("SETTINGS ACK")
	tc.expectEvents("headers 1 POST https example.com / end=false", "headers 3 GET https example.com /prio end=true")
	if tc.c.Active() != 2 {
		t.Fatalf("Active %d", tc.c.Active())
	}
}

// TestServerStreamErrors sends frames that cost one stream only.
func TestServerStreamErrors(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever

	// A stream made to depend on itself by PRIORITY or HEADERS.
	tc.mustFeed(AppendPriority(nil, 1, Priority{StreamDep: 1}))
	tc.expect("RST_STREAM 1 PROTOCOL_ERROR")
	tc.mustFeed(AppendHeadersPriority(nil, 3, true, true, Priority{StreamDep: 3}, tc.cl.encode(get("/", "x-indexed", "v")...)))
	tc.expect("RST_STREAM 3 PROTOCOL_ERROR")
	tc.expectEvents()
	// The self-dependent block was decoded all the same: x-indexed is in
	// the server's table, and this block refers to it.
	tc.mustFeed(tc.cl.headers(5, false, post("/", "x-indexed", "v")...))
	tc.expectEvents("headers 5 POST https example.com / end=false")
	if f := tc.h.heads[5].Fields; len(f) != 1 || f[0] != "x-indexed: v" {
		t.Fatalf("fields %q", f)
	}

	// WINDOW_UPDATE with increment 0 on a stream.
	tc.mustFeed(raw(FrameWindowUpdate, 0, 5, "\x00\x00\x00\x00"))
	tc.expect("RST_STREAM 5 PROTOCOL_ERROR")
	tc.expectEvents("close 5 PROTOCOL_ERROR")
	// DATA on a stream it just reset is ignored (§5.4.2), and its window
	// is given back.
	tc.mustFeed(data(5, false, "in flight"))
	tc.expect()

	// DATA on a half-closed (remote) stream.
	tc.mustFeed(tc.cl.headers(7, true, get("/")...), data(7, false, "x"))
	tc.expect("RST_STREAM 7 STREAM_CLOSED")
	tc.expectEvents("headers 7 GET https example.com / end=true", "close 7 STREAM_CLOSED")
	// HEADERS on a half-closed (remote) stream.
	tc.mustFeed(tc.cl.headers(9, true, get("/")...), tc.cl.headers(9, true, "x-trailer", "1"))
	tc.expect("RST_STREAM 9 STREAM_CLOSED")
	tc.expectEvents("headers 9 GET https example.com / end=true", "close 9 STREAM_CLOSED")
	// The client resets a stream: no answer.
	tc.mustFeed(tc.cl.headers(11, false, post("/")...), AppendRSTStream(nil, 11, ErrCodeCancel))
	tc.expect()
	tc.expectEvents("headers 11 POST https example.com / end=false", "close 11 CANCEL")
	if tc.c.Active() != 0 {
		t.Fatalf("Active %d", tc.c.Active())
	}
	// A PRIORITY of the wrong length: a stream error.
	tc.mustFeed(raw(FramePriority, 0, 13, "\x00\x00\x00\x00"))
	tc.expect("RST_STREAM 13 FRAME_SIZE_ERROR")
	// Frames on a stream closed normally, long ago: WINDOW_UPDATE and
	// RST_STREAM are ignored, DATA is a stream error.
	for id := uint32(101); id < 121; id += 2 {
		tc.mustFeed(tc.cl.headers(id, true, get("/")...))
		tc.h.respond(tc.h.streams[id])
	}
	tc.next()
	tc.h.takeEvents()
	tc.mustFeed(windowUpdate(1, 1), AppendRSTStream(nil, 11, ErrCodeCancel), windowUpdate(101, 5), AppendRSTStream(nil, 101, ErrCodeCancel))
	tc.expect()
	tc.mustFeed(data(101, true, "x"))
	tc.expect("RST_STREAM 101 STREAM_CLOSED")
}

// TestServerConnErrors sends frames that end the connection.
func TestServerConnErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(tc *tconn) []byte // frames after a request on stream 1 (open, awaiting its body)
		code  ErrCode
	}{
		{"PUSH_PROMISE", func(tc *tconn) []byte { return AppendPushPromise(nil, 1, 2, true, nil) }, ErrCodeProtocol},
		{"frame too large", func(tc *tconn) []byte { return data(1, false, strings.Repeat("x", DefaultMaxFrameSize+1)) }, ErrCodeFrameSize},
		{"HEADERS on an even stream", func(tc *tconn) []byte { return tc.cl.headers(2, true, get("/")...) }, ErrCodeProtocol},
		{"DATA on an idle stream", func(tc *tconn) []byte { return data(3, true, "x") }, ErrCodeProtocol},
		{"DATA on stream 0", func(tc *tconn) []byte { return data(0, true, "x") }, ErrCodeProtocol},
		{"WINDOW_UPDATE on an idle stream", func(tc *tconn) []byte { return windowUpdate(3, 1) }, ErrCodeProtocol},
		{"WINDOW_UPDATE 0 on the connection", func(tc *tconn) []byte { return raw(FrameWindowUpdate, 0, 0, "\x00\x00\x00\x00") }, ErrCodeProtocol},
		{"RST_STREAM on an idle stream", func(tc *tconn) []byte { return AppendRSTStream(nil, 3, ErrCodeCancel) }, ErrCodeProtocol},
		{"bad HPACK", func(tc *tconn) []byte { return AppendHeaders(nil, 3, true, true, []byte{0xbf}) }, ErrCodeCompression},
		{"truncated HPACK", func(tc *tconn) []byte { return AppendHeaders(nil, 3, true, true, []byte{0x40, 0x05, 'a'}) }, ErrCodeCompression},
		{"HEADERS on a closed stream", func(tc *tconn) []byte {
			return cat(AppendRSTStream(nil, 1, ErrCodeCancel), tc.cl.headers(1, true, get("/")...))
		}, ErrCodeStreamClosed},
		{"field block interrupted", func(tc *tconn) []byte {
			return cat(AppendHeaders(nil, 3, true, false, tc.cl.encode(get("/")...)), AppendPing(nil, false, [8]byte{}))
		}, ErrCodeProtocol},
		{"CONTINUATION on another stream", func(tc *tconn) []byte {
			return cat(AppendHeaders(nil, 3, true, false, tc.cl.encode(get("/")...)), AppendContinuation(nil, 5, true, nil))
		}, ErrCodeProtocol},
		{"CONTINUATION alone", func(tc *tconn) []byte { return AppendContinuation(nil, 1, true, nil) }, ErrCodeProtocol},
		{"SETTINGS ENABLE_PUSH 2", func(tc *tconn) []byte { return settings(Setting{SettingEnablePush, 2}) }, ErrCodeProtocol},
		{"SETTINGS on a stream", func(tc *tconn) []byte { return raw(FrameSettings, 0, 1, "") }, ErrCodeProtocol},
		{"SETTINGS ack with payload", func(tc *tconn) []byte { return raw(FrameSettings, FlagAck, 0, "\x00\x01\x00\x00\x00\x00") }, ErrCodeFrameSize},
		{"PING of 7 octets", func(tc *tconn) []byte { return raw(FramePing, 0, 0, "1234567") }, ErrCodeFrameSize},
		{"GOAWAY on a stream", func(tc *tconn) []byte { return raw(FrameGoAway, 0, 1, "\x00\x00\x00\x00\x00\x00\x00\x00") }, ErrCodeProtocol},
		{"padding too long", func(tc *tconn) []byte { return raw(FrameData, FlagPadded, 1, "\x05ab") }, ErrCodeProtocol},
	} {
		t.Run(c.name, func(t *testing.T) {
			tc := newTestConn(t, ServerConfig{})
			tc.h.mode = respondNever
			tc.mustFeed(tc.cl.headers(1, false, post("/")...))
			tc.expectEvents("headers 1 POST https example.com / end=false")
			tc.feed(c.setup(tc))
			tc.expectConnError(c.code)
			want := c.code
			if c.name == "HEADERS on a closed stream" {
				want = ErrCodeCancel // the client's RST_STREAM closed it
			}
			if code, ok := tc.h.closed[1]; !ok || code != want {
				t.Fatalf("stream 1 closed with %v (%v), want %v", code, ok, want)
			}
			if f := tc.frames[len(tc.frames)-1]; f.ID != 1 {
				t.Fatalf("GOAWAY last stream id %d, want 1", f.ID)
			}
		})
	}
}

// TestServerAbort fails the connection from the role's side.
func TestServerAbort(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...), tc.cl.headers(3, true, get("/")...))
	tc.h.takeEvents()
	tc.c.Abort(ErrCodeCancel, "stalled")
	tc.expect("GOAWAY 3 CANCEL")
	if tc.h.closed[1] != ErrCodeCancel || tc.h.closed[3] != ErrCodeCancel || !tc.c.Done() {
		t.Fatalf("closed %v, Done %v", tc.h.closed, tc.c.Done())
	}
	tc.c.Abort(ErrCodeInternal, "again")
	tc.c.GoAway(ErrCodeNo)
	tc.expect()
	if string(tc.frames[len(tc.frames)-1].Content) != "stalled" {
		t.Fatalf("debug data %q", tc.frames[len(tc.frames)-1].Content)
	}
}

// TestServerReset resets a stream from the role's side.
func TestServerReset(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...))
	s := tc.h.streams[1]
	tc.c.Reset(s, ErrCodeCancel)
	tc.expect("RST_STREAM 1 CANCEL")
	tc.expectEvents("headers 1 POST https example.com / end=false", "close 1 CANCEL")
	tc.c.Reset(s, ErrCodeCancel)
	tc.expect()
	// The body in flight is ignored.
	tc.mustFeed(data(1, true, "abc"))
	tc.expect()
}

// TestServerLowerStreamID opens a stream with an id below one the client
// already used: RFC 9113 §5.1.1 makes that a PROTOCOL_ERROR.
func TestServerLowerStreamID(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(5, true, get("/")...))
	tc.expect(response(5, 5)...)
	tc.feed(tc.cl.headers(3, true, get("/")...))
	if errKind(tc.err) != "conn PROTOCOL_ERROR" {
		t.Fatalf("HEADERS opening stream 3 after stream 5: %v, want a PROTOCOL_ERROR ConnError (§5.1.1)", tc.err)
	}
	tc.expectConnError(ErrCodeProtocol)
}

// TestServerUpgraded starts a connection upgraded from HTTP/1.1.
func TestServerUpgraded(t *testing.T) {
	h := newTestHandler()
	c := NewServerConn(ServerConfig{}, h)
	h.c = c
	var p []byte
	p = binary.BigEndian.AppendUint16(p, uint16(SettingMaxFrameSize))
	p = binary.BigEndian.AppendUint32(p, 1<<15)
	s, err := c.StartUpgraded(p)
	if err != nil || s.ID != 1 || !s.RemoteDone() || s.Closed() {
		t.Fatalf("StartUpgraded: %+v, %v", s, err)
	}
	tc := &tconn{t: t, c: c, h: h, cl: newTestClient(), now: baseNow}
	tc.next()
	tc.mustFeed([]byte(ClientPreface), settings(), AppendSettingsAck(nil))
	tc.expect("SETTINGS ACK")
	// The role answers stream 1; the handler never saw its head.
	h.live[s] = 1
	s.User = &hstream{id: 1, body: bytes.Repeat([]byte("x"), 20000)}
	h.respond(s)
	tc.expect("HEADERS 1 :status=200,content-type=text/plain", "DATA 1 20000 END_STREAM")
	tc.expectEvents("close 1 NO_ERROR")
	tc.mustFeed(tc.cl.headers(3, true, get("/")...))
	tc.expect(response(3, 5)...)

	// Bad settings fail.
	c = NewServerConn(ServerConfig{}, h)
	if _, err := c.StartUpgraded([]byte{0, 2, 0, 0, 0, 5}); errKind(err) != "conn PROTOCOL_ERROR" {
		t.Fatalf("ENABLE_PUSH 5: %v", err)
	}
	if _, err := c.StartUpgraded([]byte{0, 2, 0}); errKind(err) != "conn FRAME_SIZE_ERROR" {
		t.Fatalf("truncated: %v", err)
	}
}

// TestServerPeerSettings applies the client's SETTINGS to what the server
// sends: frame size, header table size.
func TestServerPeerSettings(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.body = func(*RequestHead) []byte { return make([]byte, 40000) }
	tc.mustFeed(settings(Setting{SettingMaxFrameSize, 1 << 15}, Setting{SettingHeaderTableSize, 0}))
	tc.expect("SETTINGS ACK")
	tc.cl.dec.SetMaxTableSize(0) // the server must start its next block with a size update
	tc.mustFeed(tc.cl.headers(1, true, get("/")...))
	tc.expect("HEADERS 1 :status=200,content-type=text/plain", "DATA 1 32768", "DATA 1 7232 END_STREAM")
	if tc.cl.dec.TableSize() != 0 {
		t.Fatalf("client table size %d", tc.cl.dec.TableSize())
	}
	// A large response head is split into CONTINUATIONs at the frame size.
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(3, true, get("/")...))
	enc := tc.c.Encoder()
	b := enc.AppendBlockStart(nil)
	b = enc.AppendStatus(b, 200)
	for i := range 20 {
		b = enc.AppendFieldString(b, fmt.Sprintf("x-h%d", i), strings.Repeat("v", 2000), false)
	}
	tc.c.WriteHeaders(tc.h.streams[3], b, true)
	got := tc.expect("HEADERS 3 " + strings.Join(func() []string {
		f := []string{":status=200"}
		for i := range 20 {
			f = append(f, fmt.Sprintf("x-h%d=%s", i, strings.Repeat("v", 2000)))
		}
		return f
	}(), ",") + " END_STREAM")
	if got[0].Frames != 2 {
		t.Fatalf("%d octets in %d frames", len(b), got[0].Frames)
	}
}

// ---------------------------------------------------------------- splitting

// splitScript is a client byte stream touching most of the server's
// paths, from the preface on.
func splitScript() []byte {
	cl := newTestClient()
	// Blocks are encoded in the order they are sent: the HPACK tables.
	b := cat(
		[]byte(ClientPreface),
		settings(Setting{SettingInitialWindowSize, 100}, Setting{SettingMaxFrameSize, 1 << 14}),
		AppendSettingsAck(nil),
		cl.headers(1, true, get("/")...),
		cl.headers(3, false, post("/up", "content-length", "6")...),
		data(3, false, "abc"),
		raw(FrameData, FlagPadded, 3, "\x02def\x00\x00"),
		cl.headers(3, true, "x-trailer", "t"),
		AppendPing(nil, false, [8]byte{'p', 'i', 'n', 'g'}),
	)
	blk := cl.encode(get("/cont", "x-long", strings.Repeat("z", 100))...)
	return cat(
		b,
		AppendHeaders(nil, 5, true, false, blk[:10]),
		AppendContinuation(nil, 5, false, blk[10:50]),
		AppendContinuation(nil, 5, true, blk[50:]),
		windowUpdate(1, 1000),
		windowUpdate(0, 100000),
		cl.headers(7, true, get("/bad", "Upper", "x")...),
		cl.headers(9, false, post("/reset")...),
		AppendRSTStream(nil, 9, ErrCodeCancel),
		raw(0xee, 0, 0, "ignored"),
		settings(Setting{SettingInitialWindowSize, 70000}),
		cl.headers(11, true, get("/last")...),
		AppendGoAway(nil, 0, ErrCodeNo, []byte("bye")),
	)
}

// splitRun feeds the script in the given pieces and returns the handler
// calls and the server's output.
func splitRun(t *testing.T, pieces [][]byte) ([]string, []byte) {
	t.Helper()
	tc := newServer(t, ServerConfig{})
	tc.h.body = func(head *RequestHead) []byte { return bytes.Repeat([]byte("r"), 150*len(head.Path)) }
	for _, p := range pieces {
		tc.mustFeed(p)
	}
	tc.c.RunWritable()
	tc.collect()
	if len(tc.pending) != 0 {
		t.Fatalf("%d octets left unconsumed", len(tc.pending))
	}
	return tc.h.events, tc.raw
}

// TestServerSplitFeeding feeds the same client bytes whole, cut in two at
// every octet, and one octet at a time: the handler calls and the output
// must be the same.
func TestServerSplitFeeding(t *testing.T) {
	script := splitScript()
	wantEvents, wantOut := splitRun(t, [][]byte{script})
	// Sanity: the script does what it is meant to.
	for _, e := range []string{
		"headers 1 GET https example.com / end=true", `data 3 "def" end=false`, `data 3 "" end=true`,
		"headers 5 GET https example.com /cont end=true", "close 9 CANCEL", "close 11 NO_ERROR",
	} {
		if !slices.Contains(wantEvents, e) {
			t.Fatalf("whole script: no %q in\n\t%s", e, strings.Join(wantEvents, "\n\t"))
		}
	}
	cl := newTestClient()
	frames, err := cl.read(wantOut)
	if err != nil {
		t.Fatal(err)
	}
	if fs := framesString(frames); !slices.Contains(fs, "RST_STREAM 7 PROTOCOL_ERROR") || !slices.Contains(fs, "PING ACK 70696e6700000000") {
		t.Fatalf("whole script output:\n\t%s", strings.Join(fs, "\n\t"))
	}
	check := func(name string, pieces [][]byte) {
		t.Helper()
		events, out := splitRun(t, pieces)
		if !slices.Equal(events, wantEvents) {
			t.Fatalf("%s: handler calls\n\t%s\nwant\n\t%s", name, strings.Join(events, "\n\t"), strings.Join(wantEvents, "\n\t"))
		}
		if !bytes.Equal(out, wantOut) {
			t.Fatalf("%s: output differs:\n%x\nwant\n%x", name, out, wantOut)
		}
	}
	for i := 1; i < len(script); i++ {
		check(fmt.Sprintf("split at %d", i), [][]byte{script[:i], script[i:]})
	}
	var bytewise [][]byte
	for i := range script {
		bytewise = append(bytewise, script[i:i+1])
	}
	check("one octet at a time", bytewise)
}

// --------------------------------------------------------------- validation

// TestServerRequestValidation sends malformed requests (RFC 9113 §8.2,
// §8.3): each is reset with PROTOCOL_ERROR, unseen by the handler, and
// the connection goes on.
func TestServerRequestValidation(t *testing.T) {
	base := []string{":method", "GET", ":scheme", "https", ":path", "/"}
	for _, c := range []struct {
		name   string
		fields []string
	}{
		{"uppercase name", get("/", "User-Agent", "x")},
		{"uppercase pseudo", []string{":Method", "GET", ":scheme", "https", ":path", "/"}},
		{"name with a space", get("/", "user agent", "x")},
		{"name with a colon inside", get("/", "us:er", "x")},
		{"empty name", get("/", "", "x")},
		{"pseudo after regular", []string{":method", "GET", ":scheme", "https", "accept", "*/*", ":path", "/"}},
		{"unknown pseudo", append(slices.Clone(base), ":foo", "bar")},
		{"unknown pseudo first", append([]string{":foo", "bar"}, base...)},
		{"response pseudo", append(slices.Clone(base), ":status", "200")},
		{"duplicate :path", append(slices.Clone(base), ":path", "/again")},
		{"duplicate :method", append([]string{":method", "GET"}, base...)},
		{"duplicate :authority", append([]string{":authority", "a", ":authority", "b"}, base...)},
		{"missing :path", []string{":method", "GET", ":scheme", "https"}},
		{"missing :method", []string{":scheme", "https", ":path", "/"}},
		{"missing :scheme", []string{":method", "GET", ":path", "/"}},
		{"empty :path", []string{":method", "GET", ":scheme", "https", ":path", ""}},
		{"empty :method", []string{":method", "", ":scheme", "https", ":path", "/"}},
		{"connection", get("/", "connection", "keep-alive")},
		{"keep-alive", get("/", "keep-alive", "timeout=5")},
		{"proxy-connection", get("/", "proxy-connection", "close")},
		{"transfer-encoding", get("/", "transfer-encoding", "chunked")},
		{"upgrade", get("/", "upgrade", "websocket")},
		{"te gzip", get("/", "te", "gzip")},
		{"te trailers, gzip", get("/", "te", "trailers, gzip")},
		{"content-length not a number", get("/", "content-length", "12a")},
		{"content-length negative", get("/", "content-length", "-1")},
		{"content-length empty", get("/", "content-length", "")},
		{"content-length twice, different", get("/", "content-length", "1", "content-length", "2")},
		{"value with NUL", get("/", "x-a", "a\x00b")},
		{"value with CR", get("/", "x-a", "a\rb")},
		{"value with LF", get("/", "x-a", "a\nb")},
		{"value with leading space", get("/", "x-a", " a")},
		{"value with trailing tab", get("/", "x-a", "a\t")},
		{"pseudo value with LF", []string{":method", "GET", ":scheme", "https", ":path", "/\n"}},
		{":protocol not enabled", append(slices.Clone(base), ":protocol", "websocket")},
		{":protocol not enabled, CONNECT", []string{":method", "CONNECT", ":protocol", "websocket", ":scheme", "https", ":authority", "a", ":path", "/"}},
		{"CONNECT with :path", []string{":method", "CONNECT", ":authority", "a:443", ":path", "/"}},
		{"CONNECT with :scheme", []string{":method", "CONNECT", ":authority", "a:443", ":scheme", "https"}},
		{"CONNECT without :authority", []string{":method", "CONNECT"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields := c.fields
			tc := newTestConn(t, ServerConfig{})
			tc.mustFeed(tc.cl.headers(1, true, fields...))
			tc.expect("RST_STREAM 1 PROTOCOL_ERROR")
			tc.expectEvents()
			// Without END_STREAM too, and the body in flight is ignored.
			tc.mustFeed(tc.cl.headers(3, false, fields...), data(3, true, "body"))
			tc.expect("RST_STREAM 3 PROTOCOL_ERROR")
			tc.expectEvents()
			if tc.c.Active() != 0 {
				t.Fatalf("Active %d", tc.c.Active())
			}
			tc.mustFeed(tc.cl.headers(5, true, get("/ok")...))
			tc.expect(response(5, 5)...)
		})
	}
}

// TestServerRequestValid sends well-formed requests at the edges of the
// rules.
func TestServerRequestValid(t *testing.T) {
	for _, c := range []struct {
		name   string
		cfg    ServerConfig
		fields []string
		check  func(h reqHead) bool
	}{
		{"te trailers", ServerConfig{}, get("/", "te", "trailers"), func(h reqHead) bool { return h.Fields[0] == "te: trailers" }},
		{"no :authority", ServerConfig{}, []string{":method", "GET", ":scheme", "http", ":path", "*"}, func(h reqHead) bool { return h.Authority == "" && h.Path == "*" }},
		{"content-length twice, same", ServerConfig{}, get("/", "content-length", "0", "content-length", "0"), func(h reqHead) bool { return h.ContentLength == 0 }},
		{"pseudo in any order", ServerConfig{}, []string{":path", "/p", ":authority", "a", ":scheme", "https", ":method", "HEAD"}, func(h reqHead) bool { return h.Method == "HEAD" && h.Path == "/p" }},
		{"tchar names", ServerConfig{}, get("/", "x-!#$%&'*+-.^_`|~09", "v"), func(h reqHead) bool { return len(h.Fields) == 1 }},
		{"empty value", ServerConfig{}, get("/", "x-empty", ""), func(h reqHead) bool { return h.Fields[0] == "x-empty: " }},
		{"inner whitespace", ServerConfig{}, get("/", "x-a", "a \t b"), func(h reqHead) bool { return h.Fields[0] == "x-a: a \t b" }},
		{"CONNECT", ServerConfig{}, []string{":method", "CONNECT", ":authority", "example.com:443"}, func(h reqHead) bool {
			return h.Method == "CONNECT" && h.Authority == "example.com:443" && h.Path == "" && h.Scheme == ""
		}},
		{"extended CONNECT", ServerConfig{EnableConnectProtocol: true},
			[]string{":method", "CONNECT", ":protocol", "websocket", ":scheme", "https", ":authority", "a", ":path", "/chat"},
			func(h reqHead) bool { return h.HasProtocol && h.Protocol == "websocket" && h.Path == "/chat" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			tc := newTestConn(t, c.cfg)
			tc.mustFeed(tc.cl.headers(1, true, c.fields...))
			if h, ok := tc.h.heads[1]; !ok || !c.check(h) {
				tc.expect()
				t.Fatalf("head %+v (%v)", h, ok)
			}
			tc.expect(response(1, 5)...)
		})
	}
	// Extended CONNECT needs :scheme, :path and :authority.
	tc := newTestConn(t, ServerConfig{EnableConnectProtocol: true})
	tc.mustFeed(tc.cl.headers(1, false, ":method", "CONNECT", ":protocol", "websocket", ":authority", "a", ":path", "/"))
	tc.expect("RST_STREAM 1 PROTOCOL_ERROR")
	tc.mustFeed(tc.cl.headers(3, false, ":method", "GET", ":protocol", "websocket", ":scheme", "https", ":authority", "a", ":path", "/"))
	tc.expect("RST_STREAM 3 PROTOCOL_ERROR")
}

// TestServerContentLength checks DATA against content-length (§8.1.1).
func TestServerContentLength(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	// Exact: fine.
	tc.mustFeed(tc.cl.headers(1, false, post("/", "content-length", "6")...), data(1, false, "abc"), data(1, true, "def"))
	tc.expect(response(1, 5)...)
	if tc.h.heads[1].ContentLength != 6 {
		t.Fatalf("ContentLength %d", tc.h.heads[1].ContentLength)
	}
	tc.h.takeEvents()

	// Short at END_STREAM.
	tc.mustFeed(tc.cl.headers(3, false, post("/", "content-length", "5")...), data(3, true, "abc"))
	tc.expect("RST_STREAM 3 PROTOCOL_ERROR")
	tc.expectEvents("headers 3 POST https example.com / end=false", "close 3 PROTOCOL_ERROR")
	// Long, before END_STREAM: caught at once, the data not delivered.
	tc.mustFeed(tc.cl.headers(5, false, post("/", "content-length", "2")...), data(5, false, "abc"))
	tc.expect("RST_STREAM 5 PROTOCOL_ERROR")
	tc.expectEvents("headers 5 POST https example.com / end=false", "close 5 PROTOCOL_ERROR")
	// Long over several frames.
	tc.mustFeed(tc.cl.headers(7, false, post("/", "content-length", "4")...), data(7, false, "ab"), data(7, false, "cde"))
	tc.expect("RST_STREAM 7 PROTOCOL_ERROR")
	tc.expectEvents("headers 7 POST https example.com / end=false", `data 7 "ab" end=false`, "close 7 PROTOCOL_ERROR")
	// Declared but HEADERS ends the stream: reset, the handler never sees it.
	tc.mustFeed(tc.cl.headers(9, true, post("/", "content-length", "3")...))
	tc.expect("RST_STREAM 9 PROTOCOL_ERROR")
	tc.expectEvents()
	if tc.c.Active() != 0 {
		t.Fatalf("Active %d", tc.c.Active())
	}
	// content-length 0 with END_STREAM is fine; padding does not count.
	tc.mustFeed(tc.cl.headers(11, true, post("/", "content-length", "0")...))
	tc.expect(response(11, 5)...)
	tc.mustFeed(tc.cl.headers(13, false, post("/", "content-length", "1")...), raw(FrameData, FlagPadded|FlagEndStream, 13, "\x04x\x00\x00\x00\x00"))
	tc.expect(response(13, 5)...)
	// Every octet received was given back to the connection window,
	// the refused DATA and the padding included (sent when half the
	// window is owed).
	if tc.c.recvWindow+tc.c.unacked != DefaultConnWindow || tc.c.unacked != 23 {
		t.Fatalf("connection receive window %d, %d owed", tc.c.recvWindow, tc.c.unacked)
	}
}

// ------------------------------------------------------------- flow control

// TestServerSendFlowControl sends a response larger than the windows: it
// waits for WINDOW_UPDATE, on the stream and on the connection.
func TestServerSendFlowControl(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.body = func(*RequestHead) []byte { return bytes.Repeat([]byte("0123456789"), 10000) } // 100000
	tc.mustFeed(tc.cl.headers(1, true, get("/big")...))
	// 65535 octets: the connection and stream windows.
	tc.expect("HEADERS 1 :status=200,content-type=text/plain", "DATA 1 16384", "DATA 1 16384", "DATA 1 16384", "DATA 1 16383")
	s := tc.h.streams[1]
	// Not Writable: the end of the body is queued.
	if !tc.c.Blocked() || s.Queued() != 100000-65535 || s.Writable() || tc.c.Room(s) != 0 {
		t.Fatalf("Blocked %v, Queued %d, Writable %v, Room %d", tc.c.Blocked(), s.Queued(), s.Writable(), tc.c.Room(s))
	}
	// The end is queued already: more is ignored.
	tc.c.WriteData(s, []byte("more"), true)
	tc.expect()
	// The stream window alone: nothing.
	tc.mustFeed(windowUpdate(1, 10000))
	tc.expect()
	// The connection window: as much as the stream window allows.
	tc.mustFeed(windowUpdate(0, 20000))
	tc.expect("DATA 1 10000")
	tc.mustFeed(windowUpdate(1, 50000))
	tc.expect("DATA 1 10000")
	tc.mustFeed(windowUpdate(0, 100000))
	tc.expect("DATA 1 14465 END_STREAM")
	tc.expectEvents("headers 1 GET https example.com /big end=true", "close 1 NO_ERROR")
	if tc.c.Blocked() {
		t.Fatal("Blocked after the last DATA")
	}
	var body []byte
	for _, f := range tc.frames {
		if f.Type == FrameData {
			body = append(body, f.Content...)
		}
	}
	if !bytes.Equal(body, bytes.Repeat([]byte("0123456789"), 10000)) {
		t.Fatal("body corrupted")
	}
}

// TestServerInitialWindowChange changes SETTINGS_INITIAL_WINDOW_SIZE
// while a response waits: open streams follow, down to a negative window
// (§6.9.2).
func TestServerInitialWindowChange(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(windowUpdate(0, 1<<20))
	tc.h.body = func(*RequestHead) []byte { return make([]byte, 70000) }
	tc.mustFeed(tc.cl.headers(1, true, get("/")...))
	tc.expect("HEADERS 1 :status=200,content-type=text/plain", "DATA 1 16384", "DATA 1 16384", "DATA 1 16384", "DATA 1 16383")
	// Down to 16384: the window is 16384-65535, below zero.
	tc.mustFeed(settings(Setting{SettingInitialWindowSize, 16384}))
	tc.expect("SETTINGS ACK")
	tc.mustFeed(windowUpdate(1, 49151)) // back to 0
	tc.expect()
	tc.mustFeed(windowUpdate(1, 1000))
	tc.expect("DATA 1 1000")
	// Up again: the ack goes before the data it releases.
	tc.mustFeed(settings(Setting{SettingInitialWindowSize, 16384 + 2000}))
	tc.expect("SETTINGS ACK", "DATA 1 2000")
	// A new stream takes the new initial window.
	tc.h.body = func(*RequestHead) []byte { return make([]byte, 20000) }
	tc.mustFeed(tc.cl.headers(3, true, get("/")...))
	tc.expect("HEADERS 3 :status=200,content-type=text/plain", "DATA 3 16384", "DATA 3 2000")
	tc.mustFeed(settings(Setting{SettingInitialWindowSize, 65535}))
	// The round-robin turn carries over from the last drain: stream 3 first.
	tc.expect("SETTINGS ACK", "DATA 3 1616 END_STREAM", "DATA 1 1465 END_STREAM")
	// Zero: nothing may go, but an empty DATA with END_STREAM may.
	tc.mustFeed(settings(Setting{SettingInitialWindowSize, 0}))
	tc.expect("SETTINGS ACK")
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(5, true, get("/")...))
	s := tc.h.streams[5]
	tc.h.writeHead(s, 200, false)
	tc.c.WriteData(s, []byte("x"), false)
	if tc.c.Room(s) != 0 || s.Queued() != 1 {
		t.Fatalf("Room %d, Queued %d", tc.c.Room(s), s.Queued())
	}
	tc.mustFeed(tc.cl.headers(7, true, get("/")...))
	s7 := tc.h.streams[7]
	tc.h.writeHead(s7, 204, false)
	tc.c.WriteData(s7, nil, true)
	tc.expect("HEADERS 5 :status=200,content-type=text/plain", "HEADERS 7 :status=204,content-type=text/plain", "DATA 7 0 END_STREAM")
}

// TestServerWindowOverflow makes windows exceed 2^31-1 (§6.9.1).
func TestServerWindowOverflow(t *testing.T) {
	t.Run("connection", func(t *testing.T) {
		tc := newTestConn(t, ServerConfig{})
		tc.mustFeed(windowUpdate(0, MaxWindowSize-DefaultInitialWindowSize))
		tc.feed(windowUpdate(0, 1))
		tc.expectConnError(ErrCodeFlowControl)
	})
	t.Run("stream", func(t *testing.T) {
		tc := newTestConn(t, ServerConfig{})
		tc.h.mode = respondNever
		tc.mustFeed(tc.cl.headers(1, true, get("/")...), windowUpdate(1, MaxWindowSize-DefaultInitialWindowSize))
		tc.expect()
		tc.mustFeed(windowUpdate(1, 1))
		tc.expect("RST_STREAM 1 FLOW_CONTROL_ERROR")
		tc.expectEvents("headers 1 GET https example.com / end=true", "close 1 FLOW_CONTROL_ERROR")
		tc.mustFeed(tc.cl.headers(3, true, get("/")...))
	})
	t.Run("initial window", func(t *testing.T) {
		tc := newTestConn(t, ServerConfig{})
		tc.h.mode = respondNever
		tc.mustFeed(tc.cl.headers(1, true, get("/")...), windowUpdate(1, MaxWindowSize-DefaultInitialWindowSize))
		tc.feed(settings(Setting{SettingInitialWindowSize, DefaultInitialWindowSize + 1}))
		tc.expectConnError(ErrCodeFlowControl)
	})
	t.Run("initial window above 2^31-1", func(t *testing.T) {
		tc := newTestConn(t, ServerConfig{})
		tc.feed(settings(Setting{SettingInitialWindowSize, MaxWindowSize + 1}))
		tc.expectConnError(ErrCodeFlowControl)
	})
}

// TestServerRoundRobin queues two responses behind the connection window:
// they share it, and a stream stalled on its own window blocks nobody.
func TestServerRoundRobin(t *testing.T) {
	start := func(t *testing.T) *tconn {
		tc := newTestConn(t, ServerConfig{})
		tc.mustFeed(settings(Setting{SettingInitialWindowSize, 1 << 20}))
		tc.expect("SETTINGS ACK")
		tc.h.body = func(*RequestHead) []byte { return make([]byte, 100000) }
		tc.mustFeed(tc.cl.headers(1, true, get("/")...), tc.cl.headers(3, true, get("/")...))
		tc.expect("HEADERS 1 :status=200,content-type=text/plain", "DATA 1 16384", "DATA 1 16384", "DATA 1 16384", "DATA 1 16383",
			"HEADERS 3 :status=200,content-type=text/plain")
		return tc
	}
	t.Run("one large update", func(t *testing.T) {
		tc := start(t)
		tc.mustFeed(windowUpdate(0, 4*16384+100))
		tc.expect("DATA 1 16384", "DATA 3 16384", "DATA 1 16384", "DATA 3 16384", "DATA 1 100")
	})
	t.Run("stalled stream", func(t *testing.T) {
		tc := start(t)
		tc.mustFeed(settings(Setting{SettingInitialWindowSize, DefaultInitialWindowSize}))
		tc.expect("SETTINGS ACK")
		// Stream 1 has sent its 65535: its window is 0, stream 3's 65535.
		tc.mustFeed(windowUpdate(0, 40000))
		tc.expect("DATA 3 16384", "DATA 3 16384", "DATA 3 7232")
	})
	t.Run("frame-sized updates", func(t *testing.T) {
		tc := start(t)
		var got []string
		for range 4 {
			tc.mustFeed(windowUpdate(0, 16384))
			got = append(got, framesString(tc.next())...)
		}
		want := []string{"DATA 1 16384", "DATA 3 16384", "DATA 1 16384", "DATA 3 16384"}
		if !slices.Equal(got, want) {
			t.Fatalf("connection window granted a frame at a time goes to the head of the queue only, starving the other stream: got %q, want %q", got, want)
		}
	})
}

// TestServerWritable drives a body through Room, ReserveData, WantWritable
// and RunWritable, as a role streaming a file does.
func TestServerWritable(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(windowUpdate(0, 1<<20), settings(Setting{SettingInitialWindowSize, 1 << 20}))
	tc.expect("SETTINGS ACK")
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, true, get("/")...))
	s := tc.h.streams[1]
	tc.h.writeHead(s, 200, false)
	if n := tc.c.Room(s); n != 16384 {
		t.Fatalf("Room %d", n)
	}
	tc.c.ReserveData(s, 1000)
	tc.c.Out = append(tc.c.Out, bytes.Repeat([]byte("f"), 1000)...)
	tc.expect("HEADERS 1 :status=200,content-type=text/plain", "DATA 1 1000")

	// Queue past queueLimit: not Writable until the window drains it.
	tc.mustFeed(settings(Setting{SettingInitialWindowSize, 1000}))
	tc.expect("SETTINGS ACK")
	tc.c.WriteData(s, make([]byte, queueLimit+10), false)
	if s.Writable() || tc.c.Room(s) != 0 || !tc.c.Blocked() {
		t.Fatalf("Writable %v, Room %d, Blocked %v", s.Writable(), tc.c.Room(s), tc.c.Blocked())
	}
	tc.c.WantWritable(s)
	tc.c.WantWritable(s)
	if tc.c.WritableReady() {
		t.Fatal("WritableReady with a full queue")
	}
	tc.c.RunWritable()
	tc.expectEvents("headers 1 GET https example.com / end=true")
	writes := 0
	tc.h.onWritable = func(s *Stream) {
		writes++
		tc.c.WriteData(s, []byte("tail"), true)
		tc.c.WantWritable(s) // after the end: never called
	}
	tc.mustFeed(windowUpdate(1, 20))
	tc.expect("DATA 1 20")
	if !tc.c.WritableReady() {
		t.Fatal("WritableReady false with room in the queue")
	}
	tc.c.RunWritable()
	tc.c.RunWritable()
	if writes != 1 {
		t.Fatalf("OnStreamWritable %d times", writes)
	}
	tc.mustFeed(windowUpdate(1, 1<<20))
	got := tc.next()
	last := got[len(got)-1]
	if last.String() != "DATA 1 "+fmt.Sprint(len(last.Content))+" END_STREAM" {
		t.Fatalf("last frame %v", last)
	}
	total := 1000 + 20
	for _, f := range got {
		total += len(f.Content)
	}
	if total != 1000+queueLimit+10+4 {
		t.Fatalf("body of %d octets", total)
	}
	tc.expectEvents("writable 1", "close 1 NO_ERROR")
	tc.c.RunWritable()
	tc.expectEvents()
}

// TestServerReceiveFlowControl checks the windows of request bodies:
// Consumed batches WINDOW_UPDATEs, DATA beyond a window is refused.
func TestServerReceiveFlowControl(t *testing.T) {
	cfg := ServerConfig{StreamWindow: 1 << 16, ConnWindow: 1 << 17}
	chunk := strings.Repeat("d", 16384)
	t.Run("consumed", func(t *testing.T) {
		tc := newTestConn(t, cfg)
		tc.h.mode = respondNever
		tc.mustFeed(tc.cl.headers(1, false, post("/")...))
		tc.mustFeed(data(1, false, chunk))
		tc.expect()
		tc.mustFeed(data(1, false, chunk))
		tc.expect("WINDOW_UPDATE 1 +32768")
		tc.mustFeed(data(1, false, chunk))
		tc.expect()
		tc.mustFeed(data(1, false, chunk))
		tc.expect("WINDOW_UPDATE 0 +65536", "WINDOW_UPDATE 1 +32768")
		// Padding is consumed by the server itself.
		tc.mustFeed(raw(FrameData, FlagPadded, 1, "\xff"+strings.Repeat("p", 255)))
		tc.expect()
		tc.expectEvents("headers 1 POST https example.com / end=false",
			fmt.Sprintf("data 1 %q end=false", chunk), fmt.Sprintf("data 1 %q end=false", chunk),
			fmt.Sprintf("data 1 %q end=false", chunk), fmt.Sprintf("data 1 %q end=false", chunk))
		// Nothing more for a stream whose body ended.
		tc.h.consume = false
		tc.mustFeed(data(1, true, chunk))
		tc.c.Consumed(tc.h.streams[1], len(chunk))
		tc.c.Consumed(tc.h.streams[1], 0)
		tc.c.Consumed(tc.h.streams[1], -5)
		tc.expect()
	})
	t.Run("not consumed", func(t *testing.T) {
		tc := newTestConn(t, cfg)
		tc.h.mode, tc.h.consume = respondNever, false
		tc.mustFeed(tc.cl.headers(1, false, post("/")...))
		for range 4 {
			tc.mustFeed(data(1, false, chunk))
		}
		tc.expect()
		// The stream window is full: one more octet is a stream error.
		tc.mustFeed(data(1, false, "x"))
		tc.expect("RST_STREAM 1 FLOW_CONTROL_ERROR")
		tc.expectEvents("headers 1 POST https example.com / end=false",
			fmt.Sprintf("data 1 %q end=false", chunk), fmt.Sprintf("data 1 %q end=false", chunk),
			fmt.Sprintf("data 1 %q end=false", chunk), fmt.Sprintf("data 1 %q end=false", chunk),
			"close 1 FLOW_CONTROL_ERROR")
	})
	t.Run("connection window", func(t *testing.T) {
		tc := newTestConn(t, cfg)
		tc.h.mode, tc.h.consume = respondNever, false
		for id := uint32(1); id <= 3; id += 2 {
			tc.mustFeed(tc.cl.headers(id, false, post("/")...))
			for range 4 {
				tc.mustFeed(data(id, false, chunk))
			}
		}
		tc.expect()
		tc.mustFeed(tc.cl.headers(5, false, post("/")...))
		tc.feed(data(5, false, "x"))
		tc.expectConnError(ErrCodeFlowControl)
	})
}

// -------------------------------------------------------------- GOAWAY

// TestServerGoAway shuts down gracefully: the GOAWAY names the last
// stream, later streams are ignored, open ones finish, then Done.
func TestServerGoAway(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, true, get("/")...), tc.cl.headers(3, false, post("/")...))
	tc.h.takeEvents()
	tc.c.GoAway(ErrCodeNo)
	tc.expect("GOAWAY 3 NO_ERROR")
	tc.c.GoAway(ErrCodeNo)
	tc.expect()
	if tc.c.Done() {
		t.Fatal("Done with two streams open")
	}
	// A new stream is ignored, its block still decoded: the trailers
	// below refer to what it added to the table.
	tc.mustFeed(tc.cl.headers(5, true, get("/", "x-new", "v")...))
	tc.expect()
	tc.expectEvents()
	// The open streams go on.
	tc.mustFeed(data(3, false, "body"), tc.cl.headers(3, true, "x-new", "v"))
	tc.h.respond(tc.h.streams[1])
	tc.expect(response(1, 5)...)
	if tc.c.Done() {
		t.Fatal("Done with a stream open")
	}
	tc.h.respond(tc.h.streams[3])
	tc.expect(response(3, 5)...)
	tc.expectEvents(`data 3 "body" end=false`, `data 3 "" end=true`, "close 1 NO_ERROR", "close 3 NO_ERROR")
	if !tc.c.Done() || tc.c.Active() != 0 {
		t.Fatalf("Done %v, Active %d", tc.c.Done(), tc.c.Active())
	}
}

// TestServerGoAwayLastStreamID: a later GOAWAY (a failure) may not raise
// the last stream id of the first (§6.8), even though streams were
// opened, and ignored, in between.
func TestServerGoAwayLastStreamID(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, true, get("/")...), tc.cl.headers(3, false, post("/")...))
	tc.c.GoAway(ErrCodeNo)
	tc.expect("GOAWAY 3 NO_ERROR")
	tc.mustFeed(tc.cl.headers(5, true, get("/")...))
	tc.c.Abort(ErrCodeInternal, "x")
	got := tc.next()
	if len(got) != 1 || got[0].Type != FrameGoAway {
		t.Fatalf("got %s", framesString(got))
	}
	if got[0].ID > 3 {
		t.Fatalf("second GOAWAY has last stream id %d after one with 3: ignored stream 5 raised lastPeerID (§6.8: MUST NOT increase)", got[0].ID)
	}
}

// TestServerPeerGoAway: the client's GOAWAY ends the connection once its
// streams are done.
func TestServerPeerGoAway(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, true, get("/")...), AppendGoAway(nil, 0, ErrCodeNo, nil))
	if tc.c.Done() {
		t.Fatal("Done with a stream open")
	}
	tc.h.respond(tc.h.streams[1])
	tc.expect(response(1, 5)...)
	if !tc.c.Done() {
		t.Fatal("not Done")
	}
}

// ------------------------------------------------------------ allocations

// allocHandler answers GETs and records nothing.
type allocHandler struct {
	c     *ServerConn
	hbuf  []byte
	body  []byte
	heads int
}

func (h *allocHandler) OnStreamHeaders(s *Stream, head *RequestHead, end bool) {
	h.heads++
	if end {
		h.respond(s)
	}
}

func (h *allocHandler) respond(s *Stream) {
	enc := h.c.Encoder()
	b := enc.AppendBlockStart(h.hbuf[:0])
	b = enc.AppendStatus(b, 200)
	b = enc.AppendFieldString(b, "content-type", "text/html; charset=utf-8", false)
	b = enc.AppendFieldString(b, "server", "golws", false)
	h.hbuf = b
	h.c.WriteHeaders(s, b, false)
	h.c.WriteData(s, h.body, true)
}
func (h *allocHandler) OnStreamData(s *Stream, data []byte, end bool) {
	h.c.Consumed(s, len(data))
	if end {
		h.respond(s)
	}
}
func (h *allocHandler) OnStreamWritable(*Stream)       {}
func (h *allocHandler) OnStreamClose(*Stream, ErrCode) {}

// TestServerAllocs checks that a GET and its response on an open
// connection allocate nothing once warm, and neither do PINGs, window
// updates and a POST with a body.
func TestServerAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	h := &allocHandler{hbuf: make([]byte, 0, 256), body: make([]byte, 3000)}
	c := NewServerConn(ServerConfig{}, h)
	h.c = c
	c.Start()
	c.Out = make([]byte, 0, 1<<16)
	now := baseNow
	feed := func(b []byte) {
		n, err := c.Feed(b, now)
		if err != nil || n != len(b) {
			panic(fmt.Sprintf("Feed: %d of %d, %v", n, len(b), err))
		}
		c.Out = c.Out[:0]
	}
	feed(cat([]byte(ClientPreface), settings(Setting{SettingInitialWindowSize, 1 << 30}), AppendSettingsAck(nil), windowUpdate(0, 1<<30)))

	// The request: static and literal-without-indexing fields only, so
	// that the same block is valid every time.
	var block []byte
	block = append(block, 0x82, 0x87, 0x84)         // :method GET, :scheme https, :path /
	block = append(block, 0x01, 11)                 // :authority (1), not indexed
	block = append(block, "example.com"...)         //
	block = append(block, 0x0f, 58-15, 10)          // user-agent (58), not indexed
	block = append(block, "golws-test"...)          //
	get := AppendHeaders(nil, 1, true, true, block) // stream id patched per run
	id := uint32(1)
	run := func() {
		binary.BigEndian.PutUint32(get[5:], id)
		id += 2
		feed(get)
	}
	for range 50 {
		run()
	}
	if h.heads != 50 || c.Active() != 0 {
		t.Fatalf("%d requests answered, %d active", h.heads, c.Active())
	}
	if n := testing.AllocsPerRun(200, run); n != 0 {
		t.Errorf("GET and response: %v allocations", n)
	}

	ping := AppendPing(nil, false, [8]byte{1})
	wu := windowUpdate(0, 1000)
	if n := testing.AllocsPerRun(200, func() {
		now += 1e9
		feed(ping)
		feed(wu)
	}); n != 0 {
		t.Errorf("PING and WINDOW_UPDATE: %v allocations", n)
	}

	// POST with a body, consumed.
	pblock := append([]byte{0x83}, block[1:]...) // :method POST
	post := cat(AppendHeaders(nil, 1, false, true, pblock), AppendData(nil, 1, false, make([]byte, 1000)), AppendData(nil, 1, true, make([]byte, 1000)))
	runPost := func() {
		binary.BigEndian.PutUint32(post[5:], id)
		off := FrameHeaderLen + len(pblock)
		binary.BigEndian.PutUint32(post[off+5:], id)
		off += FrameHeaderLen + 1000
		binary.BigEndian.PutUint32(post[off+5:], id)
		id += 2
		feed(post)
	}
	for range 50 {
		runPost()
	}
	if n := testing.AllocsPerRun(200, runPost); n != 0 {
		t.Errorf("POST and response: %v allocations", n)
	}
}

// TestServerFirstFrameSettings: the client preface is the magic string
// followed by a SETTINGS frame (RFC 9113 §3.4); anything else first is a
// PROTOCOL_ERROR.
func TestServerFirstFrameSettings(t *testing.T) {
	tc := newServer(t, ServerConfig{})
	tc.next()
	tc.feed(cat([]byte(ClientPreface), tc.cl.headers(1, true, get("/")...)))
	if tc.err == nil {
		t.Fatalf("a HEADERS frame right after the magic string, without the client's SETTINGS, is served (%s), want GOAWAY PROTOCOL_ERROR (§3.4)", framesString(tc.next()))
	}
	tc.expectConnError(ErrCodeProtocol)
}

// TestServerTrailersSelfDependency: trailers that make their stream
// depend on itself are a stream error (§5.3.1), like such a HEADERS
// opening a stream.
func TestServerTrailersSelfDependency(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(1, false, post("/")...), data(1, false, "abc"))
	tc.mustFeed(AppendHeadersPriority(nil, 1, true, true, Priority{StreamDep: 1}, tc.cl.encode("x-t", "1")))
	got := framesString(tc.next())
	if !slices.Equal(got, []string{"RST_STREAM 1 PROTOCOL_ERROR"}) {
		t.Fatalf("trailers with a self-dependent priority signal are accepted (server sent %q), want RST_STREAM PROTOCOL_ERROR", got)
	}
}

// TestServerIgnoredStreamAfterGoAway: frames on a stream opened after our
// GOAWAY (which its last stream id excludes) are ignored (§6.8), not
// answered.
func TestServerIgnoredStreamAfterGoAway(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...))
	tc.c.GoAway(ErrCodeNo)
	tc.expect("GOAWAY 1 NO_ERROR")
	tc.mustFeed(tc.cl.headers(3, false, post("/")...), data(3, false, "abc"), windowUpdate(3, 100))
	if got := framesString(tc.next()); len(got) != 0 {
		t.Fatalf("frames on stream 3, opened after GOAWAY(last=1), are answered with %q", got)
	}
}

// TestServerResponseTrailersAfterQueuedBody sends response trailers
// (WriteHeaders with end) while body waits for window: they must follow
// the body, not overtake and drop it.
func TestServerResponseTrailersAfterQueuedBody(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, true, get("/")...))
	s := tc.h.streams[1]
	tc.h.writeHead(s, 200, false)
	tc.c.WriteData(s, make([]byte, 100000), false)
	enc := tc.c.Encoder()
	trailers := enc.AppendFieldString(enc.AppendBlockStart(nil), "x-status", "0", false)
	tc.c.WriteHeaders(s, trailers, true)
	tc.mustFeed(windowUpdate(0, 1<<20), windowUpdate(1, 1<<20))
	body := 0
	var last sframe
	for _, f := range tc.next() {
		if f.Type == FrameData {
			body += len(f.Content)
		}
		last = f
	}
	if body != 100000 || last.String() != "HEADERS 1 x-status=0 END_STREAM" {
		t.Fatalf("WriteHeaders(end) with %d body octets queued: %d octets sent, last frame %v", 100000-65535, body, last)
	}
}

// TestServerRequestTrailersTooLarge sends request trailers over
// MaxHeaderListSize: they may not be dropped silently, as if the request
// had ended without them.
func TestServerRequestTrailersTooLarge(t *testing.T) {
	tc := newTestConn(t, ServerConfig{MaxHeaderListSize: 1000})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...), data(1, false, "abc"))
	tc.mustFeed(AppendHeaders(nil, 1, true, true, hpackLiteral(nil, false, "x-checksum", strings.Repeat("c", 2000))))
	events := tc.h.takeEvents()
	if slices.Contains(events, `data 1 "" end=true`) {
		t.Fatalf("trailers over MaxHeaderListSize are delivered as an empty end of body (%q), their fields silently dropped; want RST_STREAM (or 431)", events)
	}
}
