// Package hpack implements HPACK, the HTTP/2 header compression of RFC 7541,
// as a sans-I/O codec: a Decoder turns a complete header block into fields,
// an Encoder appends the representation of fields to a byte slice. Neither
// does I/O, locks or allocates in steady state: decoded fields live in a
// caller-owned arena, and both dynamic tables store their entries in one
// reusable byte ring.
//
// Errors in a header block are connection errors of type COMPRESSION_ERROR
// (*DecodingError); ErrHeaderListTooLarge and ErrStringTooLong report the
// local limits and are distinct from them.
package hpack
