// Package ws is the sans-I/O core of golws's WebSocket (RFC 6455), shared
// by the server roles over HTTP/1.1 and over HTTP/2 (RFC 8441) and by a
// client. Like packages h1 and h2 it never touches a socket, starts a
// goroutine or keeps a clock: bytes go in, events and bytes come out, and
// the hot paths (framing, masking, UTF-8 validation, a steady stream of
// uncompressed messages through a [Receiver]) allocate nothing.
//
// # Receiving
//
// A role keeps one [Receiver] per connection and hands it every received
// byte with [Receiver.Feed]. The receiver splits frames, unmasks them,
// checks every rule of RFC 6455 §5 that needs no clock (masking direction,
// reserved bits and opcodes, control-frame size and fragmentation, the
// order of fragments, UTF-8 of text messages, close payloads) and a size
// bound, and reports messages, pings, pongs and the close frame to an
// [Events] value. It needs no frame to arrive whole: a partial header is
// kept (at most 14 bytes), payload is handled as it comes. A broken rule
// ends the connection with a [*CloseError], whose Code the role sends back
// in its Close frame (RFC 6455 §7.1.7) before closing.
//
// # Sending
//
// [AppendFrame], [AppendHeader] and [AppendCloseFrame] append frames to an
// output buffer; a client passes a fresh masking key for each frame
// (RFC 6455 §5.3), a server passes none.
//
// # Handshake
//
// [AcceptKey], [ValidKey], [SelectProtocol], [ParseExtensions] and
// [NegotiateDeflate] are the pieces of the opening handshake that are the
// same over HTTP/1.1 (Upgrade) and HTTP/2 (extended CONNECT); the roles
// own the rest (methods, status codes, the Upgrade and Connection fields).
//
// # Compression
//
// permessage-deflate (RFC 7692) is [Inflater] and [Deflater] around
// klauspost/compress/flate; a [Receiver] with AllowRSV1 and an Inflater decompresses
// messages whose first frame has RSV1 set.
package ws
