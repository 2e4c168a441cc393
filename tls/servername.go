package tls

import (
	"net"
	"strings"
)

// ServerNameMatch reports whether a TLS server name (SNI, already lowercased,
// no trailing dot) matches a certificate name: exact, or a wildcard
// "*.example.com" matching exactly one leftmost label (RFC 6125 §6.4.3).
//
// The comparison is ASCII case-insensitive and ignores one trailing dot on
// either side. Only a whole leftmost label may be a wildcard: "f*.example.com"
// and "*.*.example.com" match nothing, "*.example.com" matches neither
// "example.com" nor "a.b.example.com", and a wildcard never matches an IP
// address.
func ServerNameMatch(pattern, name string) bool {
	pattern = strings.TrimSuffix(pattern, ".")
	name = strings.TrimSuffix(name, ".")
	if pattern == "" || name == "" || strings.IndexByte(name, '*') >= 0 {
		return false
	}
	if strings.IndexByte(pattern, '*') < 0 {
		return asciiEqualFold(pattern, name)
	}
	// Wildcard: the pattern must be "*." followed by a '*'-free suffix.
	suffix, ok := strings.CutPrefix(pattern, "*.")
	if !ok || suffix == "" || strings.IndexByte(suffix, '*') >= 0 || strings.HasPrefix(suffix, ".") {
		return false
	}
	if net.ParseIP(name) != nil {
		return false
	}
	label, rest, ok := strings.Cut(name, ".")
	if !ok || label == "" {
		return false
	}
	return asciiEqualFold(suffix, rest)
}

// asciiEqualFold is strings.EqualFold restricted to ASCII letters, which is
// what DNS names compare with (no Unicode folding such as K -> KELVIN SIGN).
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
