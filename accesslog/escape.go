package accesslog

// quotedUnsafe marks the bytes escaped inside quoted fields: control bytes
// and newlines (which would start a forged line), '"' (which would end
// the field early), '\' (so an escape in the log is always ours), and
// bytes >= 0x7f (terminal escape sequences, and anything a log viewer
// might misinterpret).
var quotedUnsafe = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\'
	}
	return t
}()

// unquotedUnsafe adds the space for the fields that are not quoted (host,
// user), where a space would shift every following field.
var unquotedUnsafe = func() (t [256]bool) {
	t = quotedUnsafe
	t[' '] = true
	return t
}()

// appendEscaped appends s with every unsafe byte written as \xHH.
func appendEscaped(dst, s []byte, unsafe *[256]bool) []byte {
	const hex = "0123456789abcdef"
	for _, c := range s {
		if unsafe[c] {
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}
