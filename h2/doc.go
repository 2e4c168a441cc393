// Package h2 is the frame layer of golws's HTTP/2 (RFC 9113): it splits
// received bytes into frames, checks each frame against the rules of its
// type, and appends frames to an output buffer. Like package h1 it is
// sans-I/O: it never touches a socket, starts a goroutine or keeps a
// clock, and neither reading nor writing a frame allocates.
//
// # Reading
//
// A connection role appends what it receives to one buffer and calls
// [ReadFrame] on the unconsumed part until it returns n == 0. Each frame
// comes back as a [FrameHeader] and a payload that aliases the buffer; the
// role then passes both to the parser of the frame's type ([ParseData],
// [ParseHeaders], [ParseSettings], ...), which checks what can be checked
// from the frame alone and returns its fields, again as slices of the
// buffer. Frames of a type this package does not know ([FrameType.IsKnown]
// is false) must be skipped whole (RFC 9113 §5.5), but they still count for
// [FieldBlockTracker], the only rule spanning frames that needs no stream
// state.
//
// What needs the connection's state is left to the role: stream states
// (§5.1), flow-control windows (§6.9), whether a SETTINGS value may be sent
// by this peer (a server's ENABLE_PUSH, §6.5.2), whether a promised stream
// id is the next one (§6.6), and so on.
//
// # Errors
//
// A frame that breaks a rule yields a [ConnError] (the role sends GOAWAY
// with its Code and closes) or a [StreamError] (the role sends RST_STREAM
// on the frame's stream and goes on). The parsers only return predefined
// error values, so rejecting a frame never allocates and errors can be
// compared with ==; a StreamError they return has StreamID 0, standing for
// the stream of the frame being parsed (fh.StreamID).
//
// # Writing
//
// The Append functions append one whole frame (or, for
// [AppendHeaderBlock], a HEADERS frame and its CONTINUATION frames) to a
// byte slice. They trust their caller with the protocol's state (a DATA
// frame fits the peer's window and SETTINGS_MAX_FRAME_SIZE, a stream id is
// valid) and only refuse, by panicking, a payload longer than a frame
// header can describe.
//
// # The server connection
//
// [ServerConn] is the server side of a connection built on the frame
// layer, still sans-I/O: [ServerConn.Feed] takes received bytes and a
// clock reading, calls a [ServerHandler] for stream events, and appends
// what must be sent to [ServerConn.Out]. It keeps the settings of both
// sides (our SETTINGS acknowledged or timed out by the caller's timer),
// both HPACK contexts, the stream states of RFC 9113 §5.1 and both
// directions of flow control: request body is returned to the client's
// windows only as the handler consumes it ([ServerConn.Consumed]), in
// WINDOW_UPDATEs batched per half window; response body leaves as DATA
// frames sized to the windows and the client's SETTINGS_MAX_FRAME_SIZE,
// and what does not fit waits per stream, so a stream with no window never
// holds up another. Queued streams take turns, one frame each.
//
// Priority signals (PRIORITY frames, the HEADERS priority flag, RFC 9218
// PRIORITY_UPDATE) are checked for validity and otherwise ignored.
//
// Frames that cost the server work without a request — resets of open
// streams (the rapid-reset attack), PING, SETTINGS, empty DATA and
// CONTINUATION frames — are rate-limited by token buckets of
// [ServerConfig]; a field block is bounded in frames and in size. Past a
// bound the connection ends with GOAWAY ENHANCE_YOUR_CALM.
package h2
