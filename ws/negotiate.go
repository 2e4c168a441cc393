package ws

import "bytes"

// DeflateParams are the permessage-deflate parameters (RFC 7692 §7.1) of
// an accepted offer. On the server, the Deflater of its messages takes
// ServerNoContextTakeover and the Inflater of the client's messages
// ClientNoContextTakeover; a client does the opposite.
type DeflateParams struct {
	// ServerNoContextTakeover: the server resets its compressor for each
	// message.
	ServerNoContextTakeover bool
	// ClientNoContextTakeover: the client resets its compressor for each
	// message, so the server's Inflater keeps no history.
	ClientNoContextTakeover bool
	// ServerMaxWindowBits is the server's window the client asked for:
	// always 15 (or 0 when it did not ask), since flate cannot
	// compress with a smaller window.
	ServerMaxWindowBits int
	// ClientMaxWindowBits is the window the client said it compresses
	// with, 8–15, or 0 when it named none (15). Any is fine to inflate.
	ClientMaxWindowBits int
}

const extPermessageDeflate = "permessage-deflate"

// NegotiateDeflate picks, from the client's Sec-WebSocket-Extensions
// value, the first permessage-deflate offer the server can accept, and
// appends the response's extension to dst (for the server's
// Sec-WebSocket-Extensions). ok is false when no offer is acceptable (or
// the value is malformed): the server then answers without the extension
// and messages are not compressed.
//
// An offer is declined, and the next one tried (RFC 7692 §5), when it has
// an unknown parameter, a parameter twice, a value where none belongs or
// a missing or invalid one, or server_max_window_bits below 15: the
// compressor window is always 32 KiB. client_max_window_bits, with or
// without a value, is accepted and not answered, leaving the client its
// own choice; the no_context_takeover parameters are echoed (for the
// client one, a hint the client has already committed to).
func NegotiateDeflate(dst, offer []byte) (params DeflateParams, response []byte, ok bool) {
	err := ParseExtensions(offer, func(name []byte, ps []Param) bool {
		if !bytes.EqualFold(name, []byte(extPermessageDeflate)) {
			return true
		}
		params, ok = deflateOffer(ps)
		return !ok
	})
	if err != nil || !ok {
		return DeflateParams{}, dst, false
	}
	dst = append(dst, extPermessageDeflate...)
	if params.ServerNoContextTakeover {
		dst = append(dst, "; server_no_context_takeover"...)
	}
	if params.ClientNoContextTakeover {
		dst = append(dst, "; client_no_context_takeover"...)
	}
	if params.ServerMaxWindowBits != 0 {
		dst = append(dst, "; server_max_window_bits=15"...)
	}
	return params, dst, true
}

// deflateOffer checks the parameters of one permessage-deflate offer.
func deflateOffer(ps []Param) (p DeflateParams, ok bool) {
	var seen [4]bool
	for _, q := range ps {
		i := -1
		switch {
		case bytes.EqualFold(q.Name, []byte("server_no_context_takeover")):
			i = 0
			p.ServerNoContextTakeover = true
			ok = q.Value == nil
		case bytes.EqualFold(q.Name, []byte("client_no_context_takeover")):
			i = 1
			p.ClientNoContextTakeover = true
			ok = q.Value == nil
		case bytes.EqualFold(q.Name, []byte("server_max_window_bits")):
			i = 2
			p.ServerMaxWindowBits, ok = windowBits(q.Value)
			ok = ok && p.ServerMaxWindowBits == 15
		case bytes.EqualFold(q.Name, []byte("client_max_window_bits")):
			i = 3
			ok = true
			if q.Value != nil {
				p.ClientMaxWindowBits, ok = windowBits(q.Value)
			}
		}
		if i < 0 || !ok || seen[i] {
			return DeflateParams{}, false
		}
		seen[i] = true
	}
	return p, true
}

// windowBits parses a *_max_window_bits value: 8 to 15, in decimal
// without leading zeros (RFC 7692 §7.1.2).
func windowBits(v []byte) (int, bool) {
	switch {
	case len(v) == 1 && (v[0] == '8' || v[0] == '9'):
		return int(v[0] - '0'), true
	case len(v) == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5':
		return 10 + int(v[1]-'0'), true
	}
	return 0, false
}
