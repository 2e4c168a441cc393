package ws

import (
	"crypto/sha1"
	"encoding/base64"
)

// acceptGUID is the GUID that RFC 6455 §1.3 appends to the client's key.
const acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey appends the Sec-WebSocket-Accept value for the client's
// Sec-WebSocket-Key (RFC 6455 §4.2.2): base64 of the SHA-1 of the key
// followed by the GUID. For a key of a sane length (a valid one has 24
// bytes) it allocates nothing beyond growing dst.
func AcceptKey(dst, key []byte) []byte {
	var stack [128]byte
	in := stack[:0]
	if len(key)+len(acceptGUID) > len(stack) {
		in = make([]byte, 0, len(key)+len(acceptGUID))
	}
	in = append(append(in, key...), acceptGUID...)
	sum := sha1.Sum(in)
	return base64.StdEncoding.AppendEncode(dst, sum[:])
}

// ValidKey reports whether key is a valid Sec-WebSocket-Key: base64 of 16
// bytes (RFC 6455 §4.1), so 24 characters ending in "==". A server
// answers a handshake without one with 400.
func ValidKey(key []byte) bool {
	if len(key) != 24 || key[22] != '=' || key[23] != '=' {
		return false
	}
	var out [18]byte
	n, err := base64.StdEncoding.Decode(out[:], key)
	return err == nil && n == 16
}

// SelectProtocol picks the subprotocol to answer in Sec-WebSocket-Protocol
// (RFC 6455 §4.2.2 item 5.4): the first of supported, in the server's
// order of preference, that the client's comma-separated list in header
// names (compared exactly: subprotocol names are case-sensitive). It
// returns "" when none matches: the server then sends no
// Sec-WebSocket-Protocol. A client that sent several field lines has them
// joined with commas.
func SelectProtocol(header []byte, supported []string) string {
	for _, s := range supported {
		rest := header
		for len(rest) > 0 {
			var item []byte
			item, rest = nextItem(rest)
			if string(item) == s && s != "" {
				return s
			}
		}
	}
	return ""
}

// nextItem splits the first element off a comma-separated list, trimmed
// of optional whitespace.
func nextItem(list []byte) (item, rest []byte) {
	i := 0
	for i < len(list) && list[i] != ',' {
		i++
	}
	item, rest = trimOWS(list[:i]), list[i:]
	if len(rest) > 0 {
		rest = rest[1:]
	}
	return item, rest
}

// trimOWS trims spaces and tabs from both ends of b.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
