package urlpath

// Clean appends to dst the percent-decoded, normalized form of raw, the
// origin-form path of a request target without its query, and returns the
// extended slice. On error it returns dst unchanged and an error matching
// [ErrInvalid].
//
// Decoding and normalization happen in a single left-to-right pass:
//
//   - raw must start with '/';
//   - every "%XY" (hex, either case) is decoded exactly once, so "%252e"
//     becomes the literal three bytes "%2e";
//   - '%' without two hex digits is refused, as is any byte (literal or
//     decoded) below 0x20 or equal to 0x7f, including "%00";
//   - a decoded '/' ("%2F") is a separator like a literal one: it cannot
//     hide a ".." from the segment logic because segments are judged only
//     after decoding;
//   - "." segments are dropped and ".." segments drop the previous segment,
//     as in RFC 3986 §5.2.4; ".." at the root stays at the root;
//   - empty segments ("//") collapse;
//   - a trailing slash is kept, and a path ending in "." or ".." gets one
//     ("/a/b/.." → "/a/"), because what remains names a directory.
//
// The result starts with '/' and contains no "." or ".." segment and no
// "//". The result is never longer than raw, so Clean does not allocate when
// dst has room for len(raw) more bytes.
func Clean(dst, raw []byte) ([]byte, error) {
	if len(raw) == 0 || raw[0] != '/' {
		return dst, ErrNotAbsolute
	}
	// root is the index of the leading '/', the floor ".." cannot go below.
	root := len(dst)
	out := append(dst, '/')
	// seg is where the segment being decoded starts in out; out[seg-1] is
	// always the '/' that opened it.
	seg := len(out)
	for i := 1; i < len(raw); i++ {
		c := raw[i]
		if c == '%' {
			if i+2 >= len(raw) {
				return dst, ErrBadEscape
			}
			hi, lo := unhex[raw[i+1]], unhex[raw[i+2]]
			if (hi|lo)&badHex != 0 {
				return dst, ErrBadEscape
			}
			c = hi<<4 | lo
			i += 2
		}
		if isControl(c) {
			return dst, ErrControlByte
		}
		if c != '/' {
			out = append(out, c)
			continue
		}
		out = endSegment(out, root, seg)
		if out[len(out)-1] != '/' {
			out = append(out, '/')
		}
		seg = len(out)
	}
	return endSegment(out, root, seg), nil
}

// endSegment applies the dot-segment rules to the segment out[seg:], which
// has just been completed, and returns out with the segment kept, removed
// ("." and empty) or removed together with its predecessor (".."). When a
// segment is removed the result ends with '/'.
func endSegment(out []byte, root, seg int) []byte {
	switch string(out[seg:]) {
	case ".":
		return out[:seg]
	case "..":
		// out[seg-1] is the '/' before "..". Unless it is the root, back
		// up to just after the '/' that precedes the previous segment.
		out = out[:seg-1]
		for len(out) > root+1 && out[len(out)-1] != '/' {
			out = out[:len(out)-1]
		}
		if len(out) == root {
			out = out[:root+1]
		}
		return out
	}
	return out
}

// isControl reports the bytes no request path may contain: C0 controls
// (NUL, CR, LF, TAB, ...) and DEL.
func isControl(c byte) bool { return c < 0x20 || c == 0x7f }

// badHex marks a byte that is not a hex digit in unhex. It has bit 7 set,
// which no digit value (0-15) has, so one OR of both lookups tests both.
const badHex = 0x80

// unhex maps an ASCII hex digit to its value and every other byte to badHex.
var unhex = func() (t [256]byte) {
	for i := range t {
		t[i] = badHex
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c - 'a' + 10)
		t[c-'a'+'A'] = byte(c - 'a' + 10)
	}
	return t
}()
