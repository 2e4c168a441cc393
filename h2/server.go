package h2

import (
	"errors"

	"github.com/golws/golws/hpack"
)

// ServerConn is the server side of one HTTP/2 connection, sans I/O: Feed
// it what the client sent, and it calls its ServerHandler for requests
// and appends what must be sent to Out, which the caller writes out and
// empties. It owns the connection's state: settings, HPACK contexts,
// streams and both directions of flow control.
type ServerConn struct {
	// Out collects frames to send. The caller may lend it storage before
	// a call and take it back after, once written.
	Out []byte

	cfg     ServerConfig
	h       ServerHandler
	dec     *hpack.Decoder
	enc     *hpack.Encoder
	tracker FieldBlockTracker

	preface    int  // octets of the client preface seen
	goAwaySent bool // no new streams; close once the last one ends
	peerGoAway bool
	failed     bool

	streams     map[uint32]*Stream
	free        []*Stream
	lastPeerID  uint32 // the highest stream id the client used
	processed   uint32 // the highest stream id passed to the handler: GOAWAY's last stream id
	active      int    // streams not closed
	sawSettings bool   // the client's first frame, SETTINGS, came (§3.4)
	rr          int    // where drain's round-robin resumes in queue
	// Recently closed streams: frames in flight for one we reset are
	// ignored, and HEADERS for one that ended are STREAM_CLOSED rather
	// than a PROTOCOL_ERROR for a stream id going backwards.
	resetIDs, closedIDs idRing

	// The field block being received (HEADERS not ending it).
	block       []byte
	blockStream uint32
	blockEnd    bool // the HEADERS had END_STREAM
	blockFrames int
	blockPrio   bool // HEADERS made the stream depend on itself

	fields []hpack.Field
	arena  []byte
	head   RequestHead

	// Flow control.
	sendWindow   int64 // connection window for what we send
	recvWindow   int64 // connection window for what the client sends
	unacked      int64
	peerInitial  int64  // the client's SETTINGS_INITIAL_WINDOW_SIZE
	peerMaxFrame uint32 // the client's SETTINGS_MAX_FRAME_SIZE
	queue        []*Stream
	want, spare  []*Stream
	settingsDue  int // our SETTINGS frames not acknowledged yet

	resets, pings, settings, empties budget
	now                              int64
}

// ErrClosedConn is returned by Feed once the connection has failed.
var ErrClosedConn = errors.New("h2: connection closed")

// NewServerConn returns a server connection that reports to h.
func NewServerConn(cfg ServerConfig, h ServerHandler) *ServerConn {
	cfg = cfg.withDefaults()
	c := &ServerConn{
		cfg:          cfg,
		h:            h,
		dec:          hpack.NewDecoder(DefaultHeaderTableSize),
		enc:          hpack.NewEncoder(),
		streams:      make(map[uint32]*Stream),
		sendWindow:   DefaultInitialWindowSize,
		recvWindow:   DefaultInitialWindowSize,
		peerInitial:  DefaultInitialWindowSize,
		peerMaxFrame: DefaultMaxFrameSize,
		resets:       newBudget(cfg.ResetBurst, cfg.ResetRate),
		pings:        newBudget(cfg.PingBurst, cfg.PingRate),
		settings:     newBudget(cfg.SettingsBurst, cfg.SettingsRate),
		empties:      newBudget(cfg.EmptyBurst, cfg.EmptyRate),
	}
	// Any string a field block can carry (the block is bounded by twice
	// the list size; Huffman codes expand by at most 8/5) decodes, so that
	// a list over the limit is answered 431 rather than ending the
	// connection.
	c.dec.SetLimits(hpack.Limits{MaxHeaderListSize: cfg.MaxHeaderListSize, MaxStringLength: 4 * int(cfg.MaxHeaderListSize)})
	return c
}

// Start appends the server's connection preface: its SETTINGS and the
// connection window above the default.
func (c *ServerConn) Start() {
	s := []Setting{
		{SettingMaxConcurrentStreams, c.cfg.MaxConcurrentStreams},
		{SettingInitialWindowSize, c.cfg.StreamWindow},
		{SettingMaxHeaderListSize, c.cfg.MaxHeaderListSize},
	}
	if c.cfg.MaxFrameSize != DefaultMaxFrameSize {
		s = append(s, Setting{SettingMaxFrameSize, c.cfg.MaxFrameSize})
	}
	if c.cfg.EnableConnectProtocol {
		s = append(s, Setting{SettingEnableConnectProtocol, 1})
	}
	c.Out = AppendSettings(c.Out, s...)
	c.settingsDue++
	if inc := int64(c.cfg.ConnWindow) - c.recvWindow; inc > 0 {
		c.Out = AppendWindowUpdate(c.Out, 0, uint32(inc))
		c.recvWindow += inc
	}
}

// StartUpgraded is Start for a connection upgraded from HTTP/1.1 with
// "Upgrade: h2c" (RFC 7540 §3.2): settings is the decoded HTTP2-Settings
// payload, and the upgrading request becomes stream 1, half-closed
// (remote). The caller answers stream 1 as it would any stream.
func (c *ServerConn) StartUpgraded(settings []byte) (*Stream, error) {
	fh := FrameHeader{Length: uint32(len(settings)), Type: FrameSettings}
	if err := c.applySettings(fh, settings); err != nil {
		return nil, err
	}
	c.Start()
	s := c.newStream(1)
	s.remoteDone = true
	c.lastPeerID, c.processed = 1, 1
	return s, nil
}

// Encoder is the HPACK encoder for this connection's response headers:
// start each block with its AppendBlockStart, then pass the block to
// WriteHeaders.
func (c *ServerConn) Encoder() *hpack.Encoder { return c.enc }

// PrefaceReceived reports whether the whole client preface has arrived.
func (c *ServerConn) PrefaceReceived() bool { return c.preface == len(ClientPreface) }

// Active is the number of streams not yet closed.
func (c *ServerConn) Active() int { return c.active }

// AwaitingSettingsAck reports whether the client has yet to acknowledge
// our SETTINGS (the role bounds that wait with a timer, §6.5.3).
func (c *ServerConn) AwaitingSettingsAck() bool { return c.settingsDue > 0 }

// Done reports whether the connection should close now: it failed, or a
// GOAWAY went either way and no stream is left.
func (c *ServerConn) Done() bool {
	return c.failed || (c.goAwaySent || c.peerGoAway) && c.active == 0
}

// Blocked reports whether some stream has body waiting for window.
func (c *ServerConn) Blocked() bool { return len(c.queue) > 0 }

// Feed processes the whole frames at the start of buf and returns how
// many octets it consumed; the caller keeps the rest for the next call.
// now is the caller's clock in nanoseconds, for the rate limits. A
// non-nil error means the connection failed: a GOAWAY is in Out; write
// it, then close.
func (c *ServerConn) Feed(buf []byte, now int64) (int, error) {
	if c.failed {
		return len(buf), ErrClosedConn
	}
	c.now = now
	n := 0
	if c.preface < len(ClientPreface) {
		k := min(len(buf), len(ClientPreface)-c.preface)
		if string(buf[:k]) != ClientPreface[c.preface:c.preface+k] {
			return len(buf), c.fail(connError(ErrCodeProtocol, "invalid connection preface"))
		}
		c.preface += k
		n = k
	}
	for !c.failed {
		fh, payload, k, err := ReadFrame(buf[n:], c.cfg.MaxFrameSize)
		if err != nil {
			return len(buf), c.fail(err)
		}
		if k == 0 {
			break
		}
		n += k
		if err := c.frame(fh, payload); err != nil {
			if se, ok := err.(StreamError); ok {
				id := se.StreamID
				if id == 0 {
					id = fh.StreamID
				}
				// A reset the client provokes costs the same budget as
				// one it sends ("MadeYouReset", CVE-2025-8671).
				if c.streams[id] != nil && !c.resets.take(c.now) {
					return len(buf), c.fail(connError(ErrCodeEnhanceYourCalm, "too many streams reset (provoked resets)"))
				}
				c.resetStream(id, se.Code)
				continue
			}
			return len(buf), c.fail(err)
		}
	}
	return n, nil
}

// fail sends GOAWAY for a connection error and marks the connection dead.
func (c *ServerConn) fail(err error) error {
	code := ErrCodeInternal
	var debug []byte
	if ce, ok := err.(ConnError); ok {
		code = ce.Code
		debug = []byte(ce.Reason)
	}
	c.Out = AppendGoAway(c.Out, c.processed, code, debug)
	c.goAwaySent = true
	c.failed = true
	c.closeAll(code)
	return err
}

// GoAway starts a graceful shutdown: no new streams, the open ones finish.
func (c *ServerConn) GoAway(code ErrCode) {
	if c.goAwaySent {
		return
	}
	c.goAwaySent = true
	c.Out = AppendGoAway(c.Out, c.processed, code, nil)
}

// Abort fails the connection with code (a timeout, a stall): GOAWAY goes
// out and every stream is closed.
func (c *ServerConn) Abort(code ErrCode, reason string) {
	if !c.failed {
		c.fail(ConnError{code, reason})
	}
}

// closeAll closes every stream, telling the handler.
func (c *ServerConn) closeAll(code ErrCode) {
	for _, s := range c.streams {
		c.closeStream(s, code)
	}
}

// frame handles one frame read whole from the connection.
func (c *ServerConn) frame(fh FrameHeader, p []byte) error {
	if err := c.tracker.Check(fh); err != nil {
		return err
	}
	if !c.sawSettings {
		if fh.Type != FrameSettings || fh.Flags.Has(FlagAck) {
			return connError(ErrCodeProtocol, "first frame is not SETTINGS")
		}
		c.sawSettings = true
	}
	switch fh.Type {
	case FrameData:
		return c.onData(fh, p)
	case FrameHeaders:
		return c.onHeaders(fh, p)
	case FrameContinuation:
		return c.onContinuation(fh, p)
	case FramePriority:
		_, err := ParsePriority(fh, p)
		if err == nil && fh.StreamID%2 == 0 && fh.StreamID > 0 {
			return nil // about a stream we never open: harmless
		}
		return err
	case FrameRSTStream:
		return c.onRSTStream(fh, p)
	case FrameSettings:
		return c.onSettings(fh, p)
	case FramePushPromise:
		return connError(ErrCodeProtocol, "PUSH_PROMISE from a client")
	case FramePing:
		return c.onPing(fh, p)
	case FrameGoAway:
		if _, _, _, err := ParseGoAway(fh, p); err != nil {
			return err
		}
		c.peerGoAway = true
		return nil
	case FrameWindowUpdate:
		return c.onWindowUpdate(fh, p)
	case FramePriorityUpdate:
		_, _, err := ParsePriorityUpdate(fh, p)
		return err
	}
	return nil // unknown types are ignored (§5.5)
}

// streamFor finds the stream a frame is about. idle reports an id the
// client has not opened yet; nil with !idle is a closed stream.
func (c *ServerConn) streamFor(id uint32) (s *Stream, idle bool) {
	if s := c.streams[id]; s != nil {
		return s, false
	}
	return nil, id%2 == 0 || id > c.lastPeerID
}

// wasReset reports whether we reset id recently: frames the client sent
// before it learnt so are ignored rather than answered (§5.4.2, §6.4).
func (c *ServerConn) wasReset(id uint32) bool { return c.resetIDs.has(id) }

// idRing remembers the last few stream ids added.
type idRing struct {
	ids [32]uint32
	pos int
}

func (r *idRing) add(id uint32) {
	r.ids[r.pos] = id
	r.pos = (r.pos + 1) % len(r.ids)
}

func (r *idRing) has(id uint32) bool {
	for _, x := range r.ids {
		if x == id && id != 0 {
			return true
		}
	}
	return false
}

func (c *ServerConn) onPing(fh FrameHeader, p []byte) error {
	data, err := ParsePing(fh, p)
	if err != nil || fh.Flags.Has(FlagAck) {
		return err
	}
	if !c.pings.take(c.now) {
		return connError(ErrCodeEnhanceYourCalm, "PING flood")
	}
	c.Out = AppendPing(c.Out, true, data)
	return nil
}

func (c *ServerConn) onRSTStream(fh FrameHeader, p []byte) error {
	code, err := ParseRSTStream(fh, p)
	if err != nil {
		return err
	}
	s, idle := c.streamFor(fh.StreamID)
	if idle {
		return connError(ErrCodeProtocol, "RST_STREAM on an idle stream")
	}
	if s == nil {
		return nil
	}
	if !c.resets.take(c.now) {
		return connError(ErrCodeEnhanceYourCalm, "too many streams reset (rapid reset)")
	}
	c.closeStream(s, code)
	return nil
}

func (c *ServerConn) onSettings(fh FrameHeader, p []byte) error {
	if fh.Flags.Has(FlagAck) {
		if _, err := ParseSettings(fh, p); err != nil {
			return err
		}
		if c.settingsDue > 0 {
			c.settingsDue--
		}
		return nil
	}
	if !c.settings.take(c.now) {
		return connError(ErrCodeEnhanceYourCalm, "SETTINGS flood")
	}
	if _, err := ParseSettings(fh, p); err != nil {
		return err
	}
	// The ack goes first: data that the new settings release follows it.
	c.Out = AppendSettingsAck(c.Out)
	return c.applySettings(fh, p)
}

// applySettings applies the client's parameters.
func (c *ServerConn) applySettings(fh FrameHeader, p []byte) error {
	it, err := ParseSettings(fh, p)
	if err != nil {
		return err
	}
	for s, ok := it.Next(); ok; s, ok = it.Next() {
		switch s.ID {
		case SettingHeaderTableSize:
			c.enc.SetMaxTableSize(s.Val)
		case SettingInitialWindowSize:
			delta := int64(s.Val) - c.peerInitial
			c.peerInitial = int64(s.Val)
			for _, st := range c.streams {
				st.sendWindow += delta
				if st.sendWindow > MaxWindowSize {
					return connError(ErrCodeFlowControl, "SETTINGS_INITIAL_WINDOW_SIZE overflows a stream window")
				}
			}
			if delta > 0 {
				c.drain()
			}
		case SettingMaxFrameSize:
			c.peerMaxFrame = s.Val
		}
	}
	return nil
}

func (c *ServerConn) onWindowUpdate(fh FrameHeader, p []byte) error {
	inc, err := ParseWindowUpdate(fh, p)
	if err != nil {
		return err
	}
	if fh.StreamID == 0 {
		c.sendWindow += int64(inc)
		if c.sendWindow > MaxWindowSize {
			return connError(ErrCodeFlowControl, "connection window above 2^31-1")
		}
		c.drain()
		return nil
	}
	s, idle := c.streamFor(fh.StreamID)
	if idle {
		return connError(ErrCodeProtocol, "WINDOW_UPDATE on an idle stream")
	}
	if s == nil {
		return nil
	}
	s.sendWindow += int64(inc)
	if s.sendWindow > MaxWindowSize {
		return streamError(ErrCodeFlowControl, "stream window above 2^31-1")
	}
	c.drain()
	return nil
}

// remember notes a stream that was reset, so that frames still in flight
// for it are ignored.
func (c *ServerConn) remember(id uint32) { c.resetIDs.add(id) }

func (c *ServerConn) newStream(id uint32) *Stream {
	var s *Stream
	if n := len(c.free); n > 0 {
		s = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		s = new(Stream)
	}
	s.reset(id, c.peerInitial, int64(c.cfg.StreamWindow))
	c.streams[id] = s
	c.active++
	return s
}

// closeStream ends s and tells the handler, once.
func (c *ServerConn) closeStream(s *Stream, code ErrCode) {
	if s.closed {
		return
	}
	s.closed = true
	delete(c.streams, s.ID)
	c.active--
	c.closedIDs.add(s.ID)
	s.out, s.outOff = s.out[:0], 0
	s.tail = s.tail[:0]
	c.unqueue(s)
	c.unwant(s)
	c.h.OnStreamClose(s, code)
	s.User = nil
	if cap(s.out) > queueLimit {
		s.out = nil
	}
	c.free = append(c.free, s)
}

// resetStream sends RST_STREAM on id and closes the stream if it is open.
func (c *ServerConn) resetStream(id uint32, code ErrCode) {
	c.Out = AppendRSTStream(c.Out, id, code)
	c.remember(id)
	if s := c.streams[id]; s != nil {
		c.closeStream(s, code)
	}
}

// Reset resets s with code (the role gives up on it).
func (c *ServerConn) Reset(s *Stream, code ErrCode) {
	if !s.closed {
		c.resetStream(s.ID, code)
	}
}
