// Package urlpath is the one place golws turns the path of a request target
// into the path it looks up: percent-decoded once, dot segments removed,
// separators collapsed.
//
// Doing both steps in one function, in one order, is the point. Traversal
// bugs come from decoding twice, or from removing dot segments before
// decoding (so "%2e%2e" survives as ".." afterwards), or from a second
// component that normalizes differently from the first. Everything that
// maps a URL to a file goes through [Clean] and then compares with
// [HasPrefix]; nothing else decodes.
//
// # Bytes, not characters
//
// Paths are treated as bytes. Percent-escapes of bytes >= 0x80 decode to
// those bytes and are not interpreted as UTF-8, so an overlong encoding
// such as "%c0%ae" is the two bytes 0xc0 0xae, not a dot, and can never
// form a ".." segment. A backslash is an ordinary byte, as it is in POSIX
// file names; on POSIX systems it is not a separator and cannot climb.
package urlpath
