package static

import (
	"math"
	"strconv"
	"time"
)

// ParseRange decides what part of a representation of the given size to
// send for a Range header (RFC 9110 §14.2) and returns the first byte, the
// byte count and the status:
//
//   - 206 for a single satisfiable range: "bytes=a-b", "bytes=a-" or
//     "bytes=-n" (the last n bytes; all of them if n >= size);
//   - 416 when that range is unsatisfiable (start at or past the end, or
//     "-0"); the caller sends "Content-Range: bytes */size", which
//     [AppendContentRange] writes when length is 0;
//   - 200 with (0, size) for everything else: no header, a malformed one,
//     an unknown unit, more than one range (multipart/byteranges is not
//     supported; the RFC lets a server ignore Range), a suffix range of an
//     empty representation (nothing to express in a Content-Range), and an
//     If-Range whose validator does not match.
//
// If-Range matches only a strong entity-tag equal to etag, or a date equal
// to modTime to the second. Numbers too large for int64 saturate, so
// "bytes=0-99999999999999999999" means "to the end" and a start that large
// is past it. The caller must only honour Range for GET.
func ParseRange(header []byte, size int64, ifRange, etag []byte, modTime time.Time) (start, length int64, status int) {
	if len(header) == 0 || (len(ifRange) > 0 && !ifRangeMatches(ifRange, etag, modTime)) {
		return 0, size, 200
	}
	set, ok := cutBytesUnit(header)
	if !ok {
		return 0, size, 200
	}
	var first, last int64
	n := 0
	for len(set) > 0 {
		var elem []byte
		elem, set = cutListElement(set)
		if len(elem) == 0 {
			continue // the list syntax allows empty elements
		}
		f, l, ok := parseRangeSpec(elem)
		if !ok {
			return 0, size, 200
		}
		first, last = f, l
		n++
	}
	if n != 1 {
		return 0, size, 200
	}
	if first < 0 { // suffix range: last holds its length
		switch {
		case last == 0:
			return 0, 0, 416
		case size == 0:
			return 0, size, 200
		}
		length = min(last, size)
		return size - length, length, 206
	}
	if first >= size {
		return 0, 0, 416
	}
	last = min(last, size-1)
	return first, last - first + 1, 206
}

// parseRangeSpec parses one range-spec. For "a-b" and "a-" it returns
// first=a and last=b (math.MaxInt64 when open); for the suffix form "-n"
// it returns first=-1 and last=n. ok is false for malformed specs,
// including a last before its first.
func parseRangeSpec(b []byte) (first, last int64, ok bool) {
	dash := -1
	for i, c := range b {
		if c == '-' {
			dash = i
			break
		}
	}
	if dash < 0 {
		return 0, 0, false
	}
	a, b2 := b[:dash], b[dash+1:]
	if len(a) == 0 {
		n, ok := parseSaturating(b2)
		return -1, n, ok
	}
	first, ok = parseSaturating(a)
	if !ok {
		return 0, 0, false
	}
	if len(b2) == 0 {
		return first, math.MaxInt64, true
	}
	last, ok = parseSaturating(b2)
	if !ok || last < first {
		return 0, 0, false
	}
	return first, last, true
}

// parseSaturating parses a non-empty run of ASCII digits, saturating at
// math.MaxInt64 instead of overflowing.
func parseSaturating(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			n = math.MaxInt64
			continue
		}
		n = n*10 + d
	}
	return n, true
}

// cutBytesUnit strips the "bytes=" unit prefix (the unit is
// case-insensitive) and reports whether it was there.
func cutBytesUnit(h []byte) ([]byte, bool) {
	h = trimOWS(h)
	const unit = "bytes="
	if len(h) < len(unit) {
		return nil, false
	}
	for i := 0; i < len(unit); i++ {
		c := h[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != unit[i] {
			return nil, false
		}
	}
	return h[len(unit):], true
}

// cutListElement splits the first comma-separated element, trimmed of
// optional whitespace, from the rest of a list.
func cutListElement(s []byte) (elem, rest []byte) {
	for i, c := range s {
		if c == ',' {
			return trimOWS(s[:i]), s[i+1:]
		}
	}
	return trimOWS(s), nil
}

// ifRangeMatches evaluates an If-Range value (RFC 9110 §13.1.5): an
// entity-tag must be strong and equal to etag; a date must equal modTime.
func ifRangeMatches(v, etag []byte, modTime time.Time) bool {
	v = trimOWS(v)
	if len(v) > 0 && (v[0] == '"' || v[0] == 'W') {
		_, weak := splitETag(v)
		_, curWeak := splitETag(etag)
		return !weak && !curWeak && string(v) == string(etag)
	}
	t, ok := ParseHTTPDate(v)
	return ok && t.Unix() == modTime.Unix()
}

// AppendContentRange appends a Content-Range value: "bytes a-b/size" for a
// range of length > 0 starting at start, and "bytes */size" otherwise (the
// form a 416 response carries).
func AppendContentRange(dst []byte, start, length, size int64) []byte {
	dst = append(dst, "bytes "...)
	if length <= 0 {
		dst = append(dst, '*')
	} else {
		dst = strconv.AppendInt(dst, start, 10)
		dst = append(dst, '-')
		dst = strconv.AppendInt(dst, start+length-1, 10)
	}
	dst = append(dst, '/')
	return strconv.AppendInt(dst, size, 10)
}
