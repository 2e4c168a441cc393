package h2

// ClientPreface is what a client sends before its first frame (RFC 9113
// §3.4); a server reads it before anything else.
const ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// Sizes and initial values fixed by RFC 9113 (§4.1, §6.5.2, §6.9).
const (
	FrameHeaderLen           = 9         // every frame starts with 9 octets
	DefaultMaxFrameSize      = 1 << 14   // SETTINGS_MAX_FRAME_SIZE until changed, and its minimum
	MaxFrameSizeLimit        = 1<<24 - 1 // the largest Length a frame header can hold
	DefaultHeaderTableSize   = 4096      // SETTINGS_HEADER_TABLE_SIZE until changed
	DefaultInitialWindowSize = 1<<16 - 1 // SETTINGS_INITIAL_WINDOW_SIZE until changed
	MaxWindowSize            = 1<<31 - 1 // no flow-control window may exceed this
)

// streamIDMask clears the reserved bit above a 31-bit stream id or window
// increment: it is ignored on receipt and must be unset when sending (§4.1).
const streamIDMask = 1<<31 - 1
