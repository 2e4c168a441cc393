package h2

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Denial-of-service defences of the server core: each attack past its
// budget ends the connection with GOAWAY ENHANCE_YOUR_CALM, and the same
// traffic within the budget's rate (the clock advanced through Feed's now)
// is served.

// appendHpackInt appends an HPACK integer (RFC 7541 §5.1) with pattern in
// the bits above its prefix.
func appendHpackInt(dst []byte, pattern byte, prefixBits uint, v uint64) []byte {
	max := uint64(1)<<prefixBits - 1
	if v < max {
		return append(dst, pattern|byte(v))
	}
	dst = append(dst, pattern|byte(max))
	for v -= max; v >= 128; v >>= 7 {
		dst = append(dst, byte(v)|0x80)
	}
	return append(dst, byte(v))
}

// hpackLiteral appends a literal field with a literal name, strings not
// Huffman-coded: incremental indexing (0x40) or not indexed (0x00).
func hpackLiteral(dst []byte, indexed bool, name, value string) []byte {
	pattern := byte(0x00)
	if indexed {
		pattern = 0x40
	}
	dst = append(dst, pattern)
	dst = appendHpackInt(dst, 0, 7, uint64(len(name)))
	dst = append(dst, name...)
	dst = appendHpackInt(dst, 0, 7, uint64(len(value)))
	return append(dst, value...)
}

// staticGet is ":method GET, :scheme https, :path /" from the static table.
var staticGet = []byte{0x82, 0x87, 0x84}

// fragments returns a field block cut into n frames: HEADERS, then
// CONTINUATIONs, the last with END_HEADERS.
func fragments(id uint32, end bool, block []byte, n int) []byte {
	size := (len(block) + n - 1) / n
	var b []byte
	for i := range n {
		piece := block[min(i*size, len(block)):min((i+1)*size, len(block))]
		if i == 0 {
			b = AppendHeaders(b, id, end, n == 1, piece)
		} else {
			b = AppendContinuation(b, id, i == n-1, piece)
		}
	}
	return b
}

// resetPair opens stream id and resets it at once, as a rapid reset
// attacker does.
func (tc *tconn) resetPair(id uint32) []byte {
	return cat(tc.cl.headers(id, true, get("/")...), AppendRSTStream(nil, id, ErrCodeCancel))
}

func TestDoSRapidReset(t *testing.T) {
	tc := newTestConn(t, ServerConfig{ResetBurst: 5, ResetRate: 1})
	tc.h.mode = respondNever // streams stay open until the client resets them
	id := uint32(1)
	for range 5 {
		tc.mustFeed(tc.resetPair(id))
		id += 2
	}
	tc.expect()
	if tc.c.Active() != 0 {
		t.Fatalf("Active %d", tc.c.Active())
	}
	tc.feed(tc.resetPair(id))
	tc.expectConnError(ErrCodeEnhanceYourCalm)
	if f := tc.frames[len(tc.frames)-1]; f.ID != id {
		t.Fatalf("GOAWAY last stream %d, want %d", f.ID, id)
	}
}

// TestDoSRapidResetDefault floods with the default budget, all frames in
// one read.
func TestDoSRapidResetDefault(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	var b []byte
	id := uint32(1)
	for range 256 {
		b = append(b, tc.resetPair(id)...)
		id += 2
	}
	tc.mustFeed(b)
	tc.feed(tc.resetPair(id))
	tc.expectConnError(ErrCodeEnhanceYourCalm)
	if n := len(tc.h.closed); n != 257 {
		t.Fatalf("%d streams closed", n)
	}
}

// TestDoSResetWithinRate cancels streams at the budget's rate, for long:
// no GOAWAY.
func TestDoSResetWithinRate(t *testing.T) {
	tc := newTestConn(t, ServerConfig{ResetBurst: 5, ResetRate: 10})
	tc.h.mode = respondNever
	id := uint32(1)
	for range 500 {
		tc.now += int64(100 * time.Millisecond)
		tc.mustFeed(tc.resetPair(id))
		id += 2
	}
	// A burst after a pause.
	tc.now += int64(time.Minute)
	for range 5 {
		tc.mustFeed(tc.resetPair(id))
		id += 2
	}
	tc.expect()
	// The burst does not grow with the pause.
	tc.feed(tc.resetPair(id))
	tc.expectConnError(ErrCodeEnhanceYourCalm)
}

// TestDoSResetAnsweredStreams: resetting streams already answered costs
// no budget (the server did the work asked; RST_STREAM on a closed stream
// is ignored).
func TestDoSResetAnsweredStreams(t *testing.T) {
	tc := newTestConn(t, ServerConfig{ResetBurst: 2, ResetRate: 1})
	for id := uint32(1); id < 40; id += 2 {
		tc.mustFeed(tc.resetPair(id))
	}
	if len(tc.h.closed) != 20 {
		t.Fatalf("%d streams answered", len(tc.h.closed))
	}
}

func TestDoSContinuationFlood(t *testing.T) {
	t.Run("frames", func(t *testing.T) {
		tc := newTestConn(t, ServerConfig{MaxHeaderBlockFrames: 8})
		tc.mustFeed(fragments(1, true, tc.cl.encode(get("/", "x-a", strings.Repeat("a", 50))...), 8))
		tc.expect(response(1, 5)...)
		tc.feed(fragments(3, true, tc.cl.encode(get("/", "x-a", strings.Repeat("b", 50))...), 9))
		tc.expectConnError(ErrCodeEnhanceYourCalm)
		tc.expectEvents("headers 1 GET https example.com / end=true", "close 1 NO_ERROR")
	})
	t.Run("endless block", func(t *testing.T) {
		// A block that never ends is refused at the 65th frame, before
		// its end, and without holding more than its fragments.
		tc := newTestConn(t, ServerConfig{})
		b := AppendHeaders(nil, 1, true, false, staticGet)
		for range DefaultMaxHeaderBlockFrames - 1 {
			b = AppendContinuation(b, 1, false, []byte{0x84})
		}
		tc.mustFeed(b)
		tc.expect()
		tc.feed(AppendContinuation(nil, 1, false, []byte{0x84}))
		tc.expectConnError(ErrCodeEnhanceYourCalm)
	})
	t.Run("empty frames", func(t *testing.T) {
		tc := newTestConn(t, ServerConfig{MaxHeaderBlockFrames: 1000, EmptyBurst: 4, EmptyRate: 1})
		b := AppendHeaders(nil, 1, true, false, staticGet)
		for range 4 {
			b = AppendContinuation(b, 1, false, nil)
		}
		tc.mustFeed(b)
		tc.feed(AppendContinuation(nil, 1, false, nil))
		tc.expectConnError(ErrCodeEnhanceYourCalm)
	})
}

// TestDoSContinuationSize sends a field block larger than twice
// MaxHeaderListSize: refused as soon as the fragments add up to it.
func TestDoSContinuationSize(t *testing.T) {
	const limit = 4096
	cfg := ServerConfig{MaxHeaderListSize: limit}
	// A valid block of exactly 2*limit octets: its list is too large, so
	// it is answered 431, but the connection goes on.
	block := hpackLiteral(append([]byte(nil), staticGet...), false, "x-pad", "")
	block = hpackLiteral(append([]byte(nil), staticGet...), false, "x-pad", strings.Repeat("p", 2*limit-len(block)-2))
	if len(block) != 2*limit {
		t.Fatalf("block of %d", len(block))
	}
	tc := newTestConn(t, cfg)
	tc.mustFeed(fragments(1, true, block, 2))
	tc.expect("HEADERS 1 :status=431 END_STREAM")

	// One octet more, in HEADERS alone or with CONTINUATIONs: GOAWAY
	// before END_HEADERS.
	big := append(block, 0x84)
	for _, n := range []int{1, 2, 5} {
		tc := newTestConn(t, cfg)
		// Without END_HEADERS: the server must not wait for it.
		tc.feed(clearEndHeaders(fragments(1, true, big, n)))
		tc.expectConnError(ErrCodeEnhanceYourCalm)
	}
}

// clearEndHeaders clears END_HEADERS in every frame of b.
func clearEndHeaders(b []byte) []byte {
	b = bytes.Clone(b)
	for p := b; len(p) > 0; {
		fh, _ := ParseFrameHeader(p)
		p[4] &^= byte(FlagEndHeaders)
		p = p[FrameHeaderLen+int(fh.Length):]
	}
	return b
}

func TestDoSPingFlood(t *testing.T) {
	tc := newTestConn(t, ServerConfig{PingBurst: 4, PingRate: 2})
	var b []byte
	for i := range 4 {
		b = AppendPing(b, false, [8]byte{byte(i)})
	}
	tc.mustFeed(b)
	if n := len(tc.next()); n != 4 {
		t.Fatalf("%d PING acks", n)
	}
	tc.feed(AppendPing(nil, false, [8]byte{9}))
	tc.expectConnError(ErrCodeEnhanceYourCalm)
}

func TestDoSPingWithinRate(t *testing.T) {
	tc := newTestConn(t, ServerConfig{PingBurst: 4, PingRate: 2})
	for i := range 100 {
		tc.now += int64(500 * time.Millisecond)
		tc.mustFeed(AppendPing(nil, false, [8]byte{byte(i)}))
		tc.expect(fmt.Sprintf("PING ACK %02x00000000000000", i))
	}
	// Acks cost nothing.
	var b []byte
	for range 1000 {
		b = AppendPing(b, true, [8]byte{})
	}
	tc.mustFeed(b)
	tc.expect()
	// After a pause: the burst again, no more.
	tc.now += int64(time.Hour)
	for i := range 4 {
		tc.mustFeed(AppendPing(nil, false, [8]byte{byte(i)}))
	}
	tc.feed(AppendPing(nil, false, [8]byte{}))
	tc.expectConnError(ErrCodeEnhanceYourCalm)
}

func TestDoSSettingsFlood(t *testing.T) {
	tc := newTestConn(t, ServerConfig{SettingsBurst: 4, SettingsRate: 2})
	// The handshake's SETTINGS took one token.
	for range 3 {
		tc.mustFeed(settings(Setting{SettingInitialWindowSize, 1000}))
		tc.expect("SETTINGS ACK")
	}
	// Acks cost nothing.
	for range 100 {
		tc.mustFeed(AppendSettingsAck(nil))
	}
	tc.expect()
	tc.feed(settings())
	tc.expectConnError(ErrCodeEnhanceYourCalm)
}

func TestDoSSettingsWithinRate(t *testing.T) {
	tc := newTestConn(t, ServerConfig{SettingsBurst: 4, SettingsRate: 2})
	for i := range 100 {
		tc.now += int64(500 * time.Millisecond)
		tc.mustFeed(settings(Setting{SettingInitialWindowSize, uint32(1000 + i)}))
		tc.expect("SETTINGS ACK")
	}
}

// TestDoSBudgetFromClockZero: a role whose clock reads 0 at first (a
// loop's clock counts from its start) must still see tokens come back.
func TestDoSBudgetFromClockZero(t *testing.T) {
	tc := newTestConn(t, ServerConfig{PingBurst: 2, PingRate: 1})
	tc.now = 0
	tc.mustFeed(AppendPing(nil, false, [8]byte{1}), AppendPing(nil, false, [8]byte{2}))
	tc.now = int64(10 * time.Second)
	if tc.feed(AppendPing(nil, false, [8]byte{3})) != nil {
		t.Fatal("tokens spent at clock 0 were not refilled 10 s later: a PING was refused")
	}
}

// TestDoSHPACKBomb sends a header list far over MaxHeaderListSize in a
// small block: one large entry added to the dynamic table, then referred
// to by index many times. The stream is answered 431, the connection and
// its HPACK context survive, and the server's memory stays bounded.
func TestDoSHPACKBomb(t *testing.T) {
	value := strings.Repeat("b", 4000)
	bomb := hpackLiteral(append([]byte(nil), staticGet...), true, "x-bomb", value) // index 62
	for range 1000 {
		bomb = append(bomb, 0x80|62) // 4038 octets each in the list
	}
	if len(bomb) > DefaultMaxFrameSize {
		t.Fatalf("bomb of %d octets", len(bomb))
	}
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(AppendHeaders(nil, 1, true, true, bomb))
	tc.expect("HEADERS 1 :status=431 END_STREAM")
	tc.expectEvents()
	if tc.c.Active() != 0 {
		t.Fatalf("Active %d", tc.c.Active())
	}
	if n := cap(tc.c.arena) + cap(tc.c.fields)*48; n > 256<<10 {
		t.Fatalf("decoding kept %d octets", n)
	}

	// Without END_STREAM: 431, then RST_STREAM NO_ERROR, and the body in
	// flight is ignored.
	tc.mustFeed(AppendHeaders(nil, 3, false, true, append(append([]byte(nil), staticGet...), bytes.Repeat([]byte{0x80 | 62}, 100)...)))
	tc.expect("HEADERS 3 :status=431 END_STREAM", "RST_STREAM 3 NO_ERROR")
	tc.mustFeed(data(3, true, "body"))
	tc.expect()

	// The next request refers to the entry the bomb added: the server's
	// table is in step with the client's.
	tc.mustFeed(AppendHeaders(nil, 5, true, true, append(append([]byte(nil), staticGet...), 0x80|62)))
	tc.expect(response(5, 5)...)
	if h := tc.h.heads[5]; len(h.Fields) != 1 || h.Fields[0] != "x-bomb: "+value {
		t.Fatalf("fields %.40q", h.Fields)
	}
}

// TestDoSHPACKBombSmallLimit is TestDoSHPACKBomb with a small limit and
// the list just over it.
func TestDoSHPACKBombSmallLimit(t *testing.T) {
	tc := newTestConn(t, ServerConfig{MaxHeaderListSize: 200})
	// :method GET (42) :scheme https (44) :path / (38) x-a: 41 o. (76) = 200.
	ok := hpackLiteral(append([]byte(nil), staticGet...), false, "x-a", strings.Repeat("a", 41))
	tc.mustFeed(AppendHeaders(nil, 1, true, true, ok))
	tc.expect(response(1, 5)...)
	over := hpackLiteral(append([]byte(nil), staticGet...), false, "x-a", strings.Repeat("a", 42))
	tc.mustFeed(AppendHeaders(nil, 3, true, true, over))
	tc.expect("HEADERS 3 :status=431 END_STREAM")
}

// TestDoSLargeHeaderValue sends one header value of 20000 octets, well
// within the 64 KiB SETTINGS_MAX_HEADER_LIST_SIZE the server advertised.
func TestDoSLargeHeaderValue(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	block := hpackLiteral(append([]byte(nil), staticGet...), false, "cookie", strings.Repeat("c", 20000))
	tc.feed(AppendHeaderBlock(nil, 1, true, block, 0))
	if tc.err != nil {
		t.Fatalf("a 20000-octet field value (list of 20 KB < the 64 KiB advertised) kills the connection: %v", tc.err)
	}
	tc.expect(response(1, 5)...)
}

func TestDoSEmptyDataFlood(t *testing.T) {
	tc := newTestConn(t, ServerConfig{EmptyBurst: 4, EmptyRate: 10})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...))
	for range 4 {
		tc.mustFeed(data(1, false, ""))
	}
	tc.expect()
	tc.expectEvents("headers 1 POST https example.com / end=false")
	tc.feed(data(1, false, ""))
	tc.expectConnError(ErrCodeEnhanceYourCalm)

	// Within the rate: fine, and DATA with END_STREAM or a payload is free.
	tc = newTestConn(t, ServerConfig{EmptyBurst: 4, EmptyRate: 10})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...))
	for range 200 {
		tc.now += int64(100 * time.Millisecond)
		tc.mustFeed(data(1, false, ""), data(1, false, "x"))
	}
	for id := uint32(3); id < 300; id += 2 {
		tc.mustFeed(tc.cl.headers(id, false, post("/")...), data(id, true, ""))
		tc.h.respond(tc.h.streams[id])
	}
}

func TestDoSConcurrentStreams(t *testing.T) {
	tc := newTestConn(t, ServerConfig{MaxConcurrentStreams: 2})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...), tc.cl.headers(3, false, post("/")...))
	tc.expect()
	// The third is refused, its block decoded all the same.
	tc.mustFeed(tc.cl.headers(5, false, post("/", "x-five", "5")...))
	tc.expect("RST_STREAM 5 REFUSED_STREAM")
	tc.mustFeed(data(5, true, "in flight"))
	tc.expect()
	tc.expectEvents("headers 1 POST https example.com / end=false", "headers 3 POST https example.com / end=false")
	if tc.c.Active() != 2 {
		t.Fatalf("Active %d", tc.c.Active())
	}
	// Once one ends, a new one is accepted; its block refers to the
	// refused one's table entry.
	tc.mustFeed(AppendRSTStream(nil, 1, ErrCodeCancel), tc.cl.headers(7, true, get("/", "x-five", "5")...))
	tc.expectEvents("close 1 CANCEL", "headers 7 GET https example.com / end=true")
	if f := tc.h.heads[7].Fields; len(f) != 1 || f[0] != "x-five: 5" {
		t.Fatalf("fields %q", f)
	}
	// Many at once, in one read: all refused past the limit.
	var b []byte
	for id := uint32(9); id < 209; id += 2 {
		b = append(b, tc.cl.headers(id, true, get("/")...)...)
	}
	tc.mustFeed(b)
	if n := len(tc.next()); n != 100 {
		t.Fatalf("%d frames for 100 refused streams", n)
	}
	if tc.c.Active() != 2 {
		t.Fatalf("Active %d", tc.c.Active())
	}
}

// TestDoSStreamIDExhaustion: as the client's stream ids near 2^31-1, the
// server sends GOAWAY NO_ERROR so that the client goes on with a new
// connection, and still serves the stream that triggered it.
func TestDoSStreamIDExhaustion(t *testing.T) {
	const threshold = MaxWindowSize - 2*DefaultMaxConcurrentStreams // 2147483391
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(threshold, true, get("/")...))
	tc.expect(response(threshold, 5)...)
	tc.mustFeed(tc.cl.headers(threshold+2, true, get("/")...))
	tc.expect(append(response(threshold+2, 5), fmt.Sprintf("GOAWAY %d NO_ERROR", threshold+2))...)
	if !tc.c.Done() {
		t.Fatal("not Done after the GOAWAY with no stream open")
	}
	tc.mustFeed(tc.cl.headers(threshold+4, true, get("/")...))
	tc.expect()

	// The highest id of all, first, with a stream still open.
	tc = newTestConn(t, ServerConfig{})
	tc.h.mode = respondNever
	tc.mustFeed(tc.cl.headers(1, false, post("/")...), tc.cl.headers(MaxWindowSize, true, get("/")...))
	tc.expect(fmt.Sprintf("GOAWAY %d NO_ERROR", MaxWindowSize))
	tc.expectEvents("headers 1 POST https example.com / end=false", fmt.Sprintf("headers %d GET https example.com / end=true", MaxWindowSize))
	tc.h.respond(tc.h.streams[MaxWindowSize])
	tc.expect(response(MaxWindowSize, 5)...)
	if tc.c.Done() {
		t.Fatal("Done with stream 1 open")
	}
	tc.mustFeed(data(1, true, "x"))
	tc.h.respond(tc.h.streams[1])
	tc.expect(response(1, 5)...)
	if !tc.c.Done() {
		t.Fatal("not Done")
	}
}

// TestDoSStreamErrorFlood sends frames that each cost a stream error: the
// server answers each with one RST_STREAM, never more output than input
// (the role's output cap bounds a client that does not read).
func TestDoSStreamErrorFlood(t *testing.T) {
	tc := newTestConn(t, ServerConfig{})
	tc.mustFeed(tc.cl.headers(1, true, get("/")...))
	tc.next()
	var in []byte
	for range 1000 {
		in = AppendPriority(in, 1, Priority{StreamDep: 1})
		in = append(in, raw(FrameWindowUpdate, 0, 1, "\x00\x00\x00\x00")...)
		in = append(in, data(1, false, "x")...)
	}
	before := len(tc.raw)
	tc.mustFeed(in)
	if out := len(tc.raw) - before; out > len(in) || out < 2000*13 {
		t.Fatalf("%d octets out for %d in", out, len(in))
	}
}

// TestDoSUnlimitedBudget: a negative burst turns a limit off.
func TestDoSUnlimitedBudget(t *testing.T) {
	tc := newTestConn(t, ServerConfig{PingBurst: -1, ResetBurst: -1})
	tc.h.mode = respondNever
	var b []byte
	for i := range 2000 {
		b = AppendPing(b, false, [8]byte{byte(i)})
		b = append(b, tc.resetPair(uint32(2*i+1))...)
	}
	tc.mustFeed(b)
	if n := len(tc.next()); n != 2000 {
		t.Fatalf("%d frames", n)
	}
}

// TestDoSMadeYouReset is the rapid reset attack with the server doing the
// resetting (CVE-2025-8671, "MadeYouReset"): the client opens a stream
// the role starts working on, then sends a frame that is a stream error,
// so that the server resets the stream and frees its concurrency slot
// while the work goes on. Such resets must count against the reset budget
// like the client's own.
func TestDoSMadeYouReset(t *testing.T) {
	for _, c := range []struct {
		name  string
		frame func(tc *tconn, id uint32) []byte
	}{
		{"WINDOW_UPDATE 0", func(tc *tconn, id uint32) []byte { return raw(FrameWindowUpdate, 0, id, "\x00\x00\x00\x00") }},
		{"WINDOW_UPDATE overflow", func(tc *tconn, id uint32) []byte { return windowUpdate(id, MaxWindowSize) }},
		{"PRIORITY of 4 octets", func(tc *tconn, id uint32) []byte { return raw(FramePriority, 0, id, "\x00\x00\x00\x00") }},
		{"PRIORITY on itself", func(tc *tconn, id uint32) []byte { return AppendPriority(nil, id, Priority{StreamDep: id}) }},
		{"DATA after END_STREAM", func(tc *tconn, id uint32) []byte { return data(id, false, "x") }},
		{"HEADERS after END_STREAM", func(tc *tconn, id uint32) []byte { return tc.cl.headers(id, true, "x-t", "1") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			tc := newTestConn(t, ServerConfig{ResetBurst: 5, ResetRate: 1, MaxConcurrentStreams: 10})
			tc.h.mode = respondNever // the role works on every request
			id := uint32(1)
			for range 100 {
				tc.feed(cat(tc.cl.headers(id, true, get("/")...), c.frame(tc, id)))
				if tc.err != nil {
					break
				}
				id += 2
			}
			if tc.err == nil {
				t.Fatalf("100 streams opened and reset by the server for a client's stream error (%d handler calls), no GOAWAY", len(tc.h.takeEvents()))
			}
			tc.expectConnError(ErrCodeEnhanceYourCalm)
		})
	}
}
