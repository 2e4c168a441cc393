// Package h1 is a sans-I/O implementation of HTTP/1.1 message syntax and
// framing (RFC 9112) for golws's event loops: it parses request and
// response heads, decodes chunked bodies in place, and serializes status
// lines, fields and chunk framing. It never touches a socket, starts a
// goroutine or reads a clock: callers hand it bytes (and the time, where a
// Date is wanted) and get back slices of those same bytes.
//
// # Parsing model
//
// A role reads into one buffer and calls [RequestParser.Parse] with all of
// the head buffered so far, starting at the head's first byte, until it
// returns the head's length or an [*Error]. Parsed values alias the
// buffer; nothing is copied and, once a [Request] has grown its Headers
// slice, nothing is allocated. A head that is complete at the first call,
// as nearly every one is, is parsed in a single pass. Otherwise, between
// calls the parser remembers where its search for the end of the current
// line stopped and which lines are done, so a head that trickles in one
// byte at a time is still scanned once after that first call; the buffer
// may move (be reallocated bigger) between calls, and the fields already
// parsed are re-pointed at the new copy.
//
// # Strictness
//
// The parser answers every message it will not process with the status
// the server should send (see [Error]). It is deliberately stricter than
// RFC 9112 requires wherever leniency could let two parsers frame the same
// bytes differently (request smuggling):
//
//   - Transfer-Encoding together with Content-Length is rejected (400),
//     not resolved in favour of Transfer-Encoding.
//   - Transfer-Encoding in an HTTP/1.0 request is rejected (400).
//   - Only the "chunked" coding is understood; a request whose final
//     coding is not chunked, or that applies chunked twice, is 400; any
//     other known-syntax coding is 501. Codings with parameters are 400.
//   - Content-Length must be 1*DIGIT and fit in an int63. Repeated
//     Content-Length fields with identical values are accepted (as
//     net/http does, RFC 9110 §8.6 allows it); a comma-separated list in
//     one field ("5, 5") is rejected, like any other non-digit.
//   - Obsolete line folding, whitespace between a field name and its
//     colon, a CR not followed by LF and any control character other than
//     HTAB in a field value are all 400.
//   - The request line must be exactly method SP target SP HTTP/1.x.
//   - Chunked bodies require CRLF everywhere (after the size line, the
//     data and each trailer field): bare LF is accepted only in the head,
//     where RFC 9112 §2.2 allows it and real clients send it.
//
// Where the RFC lets a recipient choose and nothing is at stake, the
// parser is lenient: a bare LF ends a head line (RFC 9112 §2.2), empty
// lines before a request line are skipped (counted in the head length and
// in Limits.MaxHeaderBytes), bytes 0x80–0xFF are accepted in the
// request-target and in field values (obs-text), and HTTP/1.x with x > 1
// is accepted as 1.1 (RFC 9110 §6.2).
//
// # Differences from net/http
//
// TestDifferentialNetHTTP parses every head of the tests with both
// parsers and FuzzRequest keeps doing so; where both accept, method,
// target, version, host, framing, persistence and every field value
// agree. Where they differ, it is on purpose. golws rejects, and
// http.ReadRequest accepts:
//
//   - Transfer-Encoding with Content-Length (net/http drops the length),
//     and Transfer-Encoding in HTTP/1.0;
//   - obs-fold (net/http unfolds it) and SP before a field's colon;
//   - a target form the method may not use (GET *, CONNECT /path,
//     CONNECT host without port), and absolute-form without an
//     authority or with userinfo;
//   - a Host that is not host[:port], and Connection values that are not
//     token lists;
//   - what net/http's server rejects only after ReadRequest: a missing
//     Host in HTTP/1.1, expectations other than 100-continue (417),
//     HTTP/0.x and HTTP/2+ request lines (505), and the size limits.
//
// golws accepts, and http.ReadRequest rejects: empty lines before the
// request line (RFC 9112 §2.2), empty elements in the Transfer-Encoding
// list (RFC 9110 §5.6.1), and repeated Content-Length fields whose values
// are equal as numbers but not as strings ("3" and "003"). Both accept
// HTTP/1.x with x > 1; golws reports it as 1.1, net/http as sent.
// golws accepts percent-encoded bytes in an absolute-form host (an RFC
// 3986 reg-name allows them) and keeps them raw; net/http rejects them,
// except in IPv6 zone identifiers, which it decodes.
//
// # Serialization
//
// The Append functions write protocol elements onto a caller's buffer in
// the strconv.Append style and never allocate. [DateCache] keeps the
// current "Date:" line for any number of loops at once.
package h1
