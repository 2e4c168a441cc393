package urlpath

// AppendEscaped appends p, a decoded path, percent-encoded for use in a
// URL: every octet but the unreserved characters, the sub-delims, ':',
// '@' and '/' (RFC 3986 §3.3 pchar) becomes %XX, so a Location built from
// a decoded path means the same path again.
func AppendEscaped(dst, p []byte) []byte {
	const hex = "0123456789ABCDEF"
	for _, c := range p {
		if pathChar[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

var pathChar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~!$&'()*+,;=:@/" {
		t[c] = true
	}
	return t
}()
