package wsconform

import (
	"bytes"
	"fmt"
	"strings"
)

// Families 12 and 13: permessage-deflate (RFC 7692), scaled down from
// Autobahn's 1000 messages per case.

// deflateSizes are Autobahn's message sizes for 12.x.
var deflateSizes = []int{16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65535, 131072}

// deflateMessages is how many messages a 12.x case echoes (Autobahn:
// 1000): 10, fewer for the large sizes (at most about 256 KiB a case,
// at least 2), which compress slowly under the race detector.
func deflateMessages(n int) int { return min(10, max(2, 256<<10/n)) }

// payloadKind makes the messages of a 12.x family.
type payloadKind struct {
	name string
	op   byte
	gen  func(d *Driver, n int) []byte
}

var words = strings.Fields(`the quick brown fox jumps over lazy dog WebSocket compression
	deflate window context takeover message frame server client echo payload
	Ünïcödé grüße λόγος 世界 naïve façade`)

// wordText is n bytes of text made of words picked at random (valid
// UTF-8: cut at a word boundary, padded with spaces).
func wordText(d *Driver, n int) []byte {
	var b []byte
	for len(b) < n {
		w := words[d.rng.IntN(len(words))]
		if len(b)+len(w)+1 > n {
			break
		}
		b = append(append(b, w...), ' ')
	}
	return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
}

// structured is n bytes of binary with some regularity (a slow ramp of
// 16-bit samples with noise), as in a media or sensor payload.
func structured(d *Driver, n int) []byte {
	b := make([]byte, n)
	v := 0
	for i := 0; i+1 < n; i += 2 {
		v += d.rng.IntN(7) - 3
		b[i], b[i+1] = byte(v), byte(v>>8)
	}
	if n%2 == 1 {
		b[n-1] = byte(v)
	}
	return b
}

var payloadKinds = []payloadKind{
	{"text (random words)", OpText, wordText},
	{"binary (structured)", OpBinary, structured},
	{"text (repetitive)", OpText, func(_ *Driver, n int) []byte {
		return []byte(strings.Repeat("Hello, permessage-deflate! ", n/27+1)[:n])
	}},
	{"binary (repetitive)", OpBinary, func(_ *Driver, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 251)
		}
		return b
	}},
	{"binary (random)", OpBinary, func(d *Driver, n int) []byte { return d.Bytes(n) }},
}

// needDeflate reports whether permessage-deflate was agreed; if not, the
// case is UNIMPLEMENTED (declining is the server's right) after checking
// that an uncompressed echo works.
func (d *Driver) needDeflate() bool {
	if _, ok := d.Deflate(); ok {
		return true
	}
	d.Verdict(Unimplemented, "the server declined permessage-deflate (offer %q)", d.Offer)
	d.plainEcho()
	return false
}

// plainEcho checks an uncompressed echo, then closes.
func (d *Driver) plainEcho() {
	p := []byte(strings.Repeat("uncompressed echo ", 10))
	d.SendMessage(OpText, p, 0)
	d.ExpectMessage(OpText, p)
	d.CloseNormally()
}

// compressedEchoes sends the messages compressed (odd ones fragmented
// in about eight frames) and requires each echoed, then closes; it notes
// how many echoes came compressed.
func (d *Driver) compressedEchoes(ops []byte, msgs [][]byte) {
	comp := 0
	for i, p := range msgs {
		frag := 0
		if i%2 == 1 {
			frag = max(1, len(p)/8)
		}
		d.SendCompressed(ops[i], p, frag)
		if d.ExpectMessage(ops[i], p).Compressed {
			comp++
		}
	}
	d.Note("%d of %d echoes came compressed", comp, len(msgs))
	d.CloseNormally()
}

// 12.x: compressed messages of each payload kind and size, echoed.
func compressionCases(Options) []Case {
	var cs []Case
	const offer = "permessage-deflate; client_max_window_bits"
	for sub, k := range payloadKinds {
		for i, n := range deflateSizes {
			cs = append(cs, Case{ID: id(12, sub+1, i+1), Extensions: offer,
				Description: fmt.Sprintf("Offer %q; send %d compressed %s messages of %d bytes (odd ones fragmented), each echoed.", offer, deflateMessages(n), k.name, n),
				Run: func(d *Driver) {
					if !d.needDeflate() {
						return
					}
					var ops []byte
					var msgs [][]byte
					for range deflateMessages(n) {
						ops = append(ops, k.op)
						msgs = append(msgs, k.gen(d, n))
					}
					d.compressedEchoes(ops, msgs)
				}})
		}
	}
	return cs
}

// offerCase is a 13.x case: an offer, and whether the server may
// decline it with the case still OK (an offer golws is expected to
// accept is UNIMPLEMENTED when declined: nothing is compressed).
type offerCase struct {
	offer     string
	declineOK string // why declining is the expected answer ("" if it is not)
}

// 13.x: permessage-deflate parameters.
func deflateParamCases(Options) []Case {
	smallServerWindow := "server_max_window_bits below 15 may be declined (RFC 7692 §7.1.2.1); golws compresses with a 32 KiB window only"
	groups := [][]offerCase{
		// 13.1: plain offers.
		{{offer: "permessage-deflate"}, {offer: "permessage-deflate; client_max_window_bits"}},
		// 13.2: client_no_context_takeover.
		{{offer: "permessage-deflate; client_no_context_takeover"}, {offer: "permessage-deflate; client_no_context_takeover; client_max_window_bits"}},
		// 13.3: server_no_context_takeover.
		{{offer: "permessage-deflate; server_no_context_takeover"}, {offer: "permessage-deflate; server_no_context_takeover; client_no_context_takeover"}},
		// 13.4: client_max_window_bits 9..15, then with no value.
		nil,
		// 13.5: server_max_window_bits 9..15.
		nil,
		// 13.6: combinations.
		{
			{offer: "permessage-deflate; client_max_window_bits=9; client_no_context_takeover"},
			{offer: "permessage-deflate; server_no_context_takeover; server_max_window_bits=15; client_max_window_bits=10"},
			{offer: "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; client_max_window_bits=15"},
			{offer: `permessage-deflate; client_max_window_bits="12"; server_max_window_bits="15"`},
		},
		// 13.7: several offers in one header.
		{
			{offer: "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_no_context_takeover, permessage-deflate"},
			{offer: "permessage-deflate; client_max_window_bits=9; client_no_context_takeover, permessage-deflate"},
			{offer: "permessage-deflate; bogus_parameter, permessage-deflate; server_no_context_takeover; client_max_window_bits=11"},
			{offer: "permessage-deflate; server_no_context_takeover=1, permessage-deflate; client_max_window_bits=16, permessage-deflate; client_max_window_bits=12"},
			{offer: "permessage-deflate; server_max_window_bits=9, permessage-deflate; server_max_window_bits=12",
				declineOK: "both offers ask server_max_window_bits below 15: " + smallServerWindow},
		},
	}
	for b := 9; b <= 15; b++ {
		groups[3] = append(groups[3], offerCase{offer: fmt.Sprintf("permessage-deflate; client_max_window_bits=%d", b)})
		oc := offerCase{offer: fmt.Sprintf("permessage-deflate; server_max_window_bits=%d", b)}
		if b < 15 {
			oc.declineOK = smallServerWindow
		}
		groups[4] = append(groups[4], oc)
	}
	groups[3] = append(groups[3], offerCase{offer: "permessage-deflate; client_max_window_bits"})

	var cs []Case
	for g, group := range groups {
		for i, oc := range group {
			cs = append(cs, Case{ID: id(13, g+1, i+1), Extensions: oc.offer,
				Description: fmt.Sprintf("Offer %q: the answer must fit an acceptable offer (RFC 7692 §7); then messages of 16 to 20000 bytes sent compressed within the agreed client parameters, each echoed.", oc.offer),
				Run:         func(d *Driver) { d.paramCase(oc) }})
		}
	}
	return cs
}

// paramSizes are the message sizes of a 13.x case: each is sent twice
// (the second time fragmented, with the same content, so that context
// takeover has something to refer to). The largest is past the smaller
// client windows.
var paramSizes = []int{16, 64, 256, 1024, 4096, 20000}

func (d *Driver) paramCase(oc offerCase) {
	pm, ok := d.Deflate()
	if !ok {
		if oc.declineOK != "" {
			d.Note("declined, as it may: %s", oc.declineOK)
			d.plainEcho()
			return
		}
		d.needDeflate()
		return
	}
	d.Note("answer %q accepts offer %d (client window 2^%d, client_no_context_takeover %v, server_no_context_takeover %v)",
		d.Extensions, pm.Offer+1, pm.ClientWindowBits, pm.ClientNoContextTakeover, pm.ServerNoContextTakeover)
	if pm.ClientWindowBits < 15 {
		d.Note("messages over 2^%d bytes sent Huffman-only (compress/flate has a 32 KiB window only)", pm.ClientWindowBits)
	}
	if pm.ServerMaxWindowBits != 0 && pm.ServerMaxWindowBits < 15 {
		d.Note("server_max_window_bits=%d agreed: the suite inflates with a 32 KiB window and does not check the server's match distances", pm.ServerMaxWindowBits)
	}
	var ops []byte
	var msgs [][]byte
	for i, n := range paramSizes {
		op, p := OpText, wordText(d, n)
		if i%2 == 1 {
			op, p = OpBinary, structured(d, n)
		}
		ops = append(ops, op, op)
		msgs = append(msgs, p, p)
	}
	d.compressedEchoes(ops, msgs)
}
