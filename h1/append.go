package h1

import "strconv"

// Chunk framing for AppendChunkHeader: each chunk is
// AppendChunkHeader(n), n bytes of data, ChunkTrailer; the body ends with
// LastChunk (no trailer fields).
const (
	ChunkTrailer = "\r\n"
	LastChunk    = "0\r\n\r\n"
)

// AppendHeader appends "name: value\r\n". name must be a valid field name
// (it is normally a constant). In value, CR, LF and NUL are written as SP
// so that no value can end the line and start another (response
// splitting), as net/http does.
func AppendHeader(dst []byte, name string, value []byte) []byte {
	dst = append(dst, name...)
	dst = append(dst, ": "...)
	start := len(dst)
	dst = append(dst, value...)
	sanitize(dst[start:])
	return append(dst, "\r\n"...)
}

// AppendHeaderString is AppendHeader for a string value.
func AppendHeaderString(dst []byte, name, value string) []byte {
	dst = append(dst, name...)
	dst = append(dst, ": "...)
	start := len(dst)
	dst = append(dst, value...)
	sanitize(dst[start:])
	return append(dst, "\r\n"...)
}

// sanitize replaces the bytes that would break a field line.
func sanitize(v []byte) {
	for i, c := range v {
		if c == '\r' || c == '\n' || c == 0 {
			v[i] = ' '
		}
	}
}

// AppendContentLength appends "Content-Length: n\r\n"; n must not be
// negative.
func AppendContentLength(dst []byte, n int64) []byte {
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, "\r\n"...)
}

// AppendChunkHeader appends the size line of a chunk of n bytes, "%x\r\n".
// n must be positive: a zero-size chunk is LastChunk.
func AppendChunkHeader(dst []byte, n int) []byte {
	dst = strconv.AppendUint(dst, uint64(n), 16)
	return append(dst, "\r\n"...)
}
