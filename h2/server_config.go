package h2

// ServerConfig bounds what one client may make a server connection hold or
// do. Zero fields take the defaults below.
type ServerConfig struct {
	// MaxConcurrentStreams is SETTINGS_MAX_CONCURRENT_STREAMS: streams
	// beyond it are refused with RST_STREAM REFUSED_STREAM (default 128).
	MaxConcurrentStreams uint32
	// StreamWindow is SETTINGS_INITIAL_WINDOW_SIZE, what a client may send
	// on one stream before the handler has consumed it (default 1 MiB).
	StreamWindow uint32
	// ConnWindow is the connection's receive window, shared by all
	// streams (default 4 MiB; at least StreamWindow).
	ConnWindow uint32
	// MaxFrameSize is SETTINGS_MAX_FRAME_SIZE, the largest frame payload
	// accepted (default and minimum 16384).
	MaxFrameSize uint32
	// MaxHeaderListSize is SETTINGS_MAX_HEADER_LIST_SIZE: a larger request
	// head is answered 431 (default 64 KiB).
	MaxHeaderListSize uint32
	// MaxHeaderBlockFrames bounds the frames of one field block (HEADERS
	// and its CONTINUATIONs): more is a CONTINUATION flood, answered with
	// GOAWAY ENHANCE_YOUR_CALM (default 64). The block's encoded size is
	// bounded by MaxHeaderListSize (an encoded field is never larger than
	// its decoded size plus a few octets, so a block twice that size is
	// hostile).
	MaxHeaderBlockFrames int
	// EnableConnectProtocol advertises SETTINGS_ENABLE_CONNECT_PROTOCOL
	// (RFC 8441): extended CONNECT with :protocol, for WebSocket.
	EnableConnectProtocol bool

	// Rates for frames that cost the server work but carry no request:
	// each is a token bucket (burst, then per second). Exhausting one is
	// answered with GOAWAY ENHANCE_YOUR_CALM.
	ResetBurst, ResetRate       int // streams reset by the client (rapid reset, CVE-2023-44487); default 256, 100/s
	PingBurst, PingRate         int // PING frames; default 64, 10/s
	SettingsBurst, SettingsRate int // SETTINGS frames; default 64, 10/s
	EmptyBurst, EmptyRate       int // DATA without payload or END_STREAM, and empty CONTINUATIONs; default 128, 50/s
}

// Defaults of ServerConfig.
const (
	DefaultMaxConcurrentStreams = 128
	DefaultStreamWindow         = 1 << 20
	DefaultConnWindow           = 4 << 20
	DefaultMaxHeaderListSize    = 64 << 10
	DefaultMaxHeaderBlockFrames = 64
)

func (c ServerConfig) withDefaults() ServerConfig {
	def := func(v *uint32, d uint32) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.MaxConcurrentStreams, DefaultMaxConcurrentStreams)
	def(&c.StreamWindow, DefaultStreamWindow)
	c.StreamWindow = max(c.StreamWindow, DefaultInitialWindowSize)
	c.StreamWindow = min(c.StreamWindow, MaxWindowSize)
	def(&c.ConnWindow, DefaultConnWindow)
	c.ConnWindow = max(c.ConnWindow, c.StreamWindow)
	c.ConnWindow = min(c.ConnWindow, MaxWindowSize)
	c.MaxFrameSize = min(max(c.MaxFrameSize, DefaultMaxFrameSize), MaxFrameSizeLimit)
	def(&c.MaxHeaderListSize, DefaultMaxHeaderListSize)
	if c.MaxHeaderBlockFrames <= 0 {
		c.MaxHeaderBlockFrames = DefaultMaxHeaderBlockFrames
	}
	rate := func(burst, rate *int, b, r int) {
		if *burst == 0 {
			*burst = b
		}
		if *rate == 0 {
			*rate = r
		}
	}
	rate(&c.ResetBurst, &c.ResetRate, 256, 100)
	rate(&c.PingBurst, &c.PingRate, 64, 10)
	rate(&c.SettingsBurst, &c.SettingsRate, 64, 10)
	rate(&c.EmptyBurst, &c.EmptyRate, 128, 50)
	return c
}

// budget is a token bucket over the caller's clock (nanoseconds): burst
// tokens, refilled at rate per second.
type budget struct {
	tokens, burst, rate int
	last                int64
	started             bool // last is set (0 is a valid clock reading)
}

func newBudget(burst, rate int) budget { return budget{tokens: burst, burst: burst, rate: rate} }

// take spends a token, reporting false when none is left.
func (b *budget) take(now int64) bool {
	if b.burst < 0 { // negative burst: unlimited
		return true
	}
	if b.tokens < b.burst && b.rate > 0 {
		if !b.started {
			b.last, b.started = now, true
		}
		if add := (now - b.last) * int64(b.rate) / 1e9; add > 0 {
			b.tokens = min(b.burst, b.tokens+int(add))
			b.last = now
		}
	} else {
		b.last, b.started = now, true
	}
	if b.tokens <= 0 {
		return false
	}
	b.tokens--
	return true
}
