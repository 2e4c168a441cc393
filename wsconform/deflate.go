package wsconform

import (
	"compress/flate"
	"errors"
	"fmt"
	"strings"

	"github.com/golws/golws/ws"
)

// PerMessageDeflate is the permessage-deflate (RFC 7692) a handshake
// agreed, as the client must apply it.
type PerMessageDeflate struct {
	// ServerNoContextTakeover: the server resets its compressor for each
	// message (so the driver's inflater keeps no history).
	ServerNoContextTakeover bool
	// ClientNoContextTakeover: the client must reset its compressor for
	// each message (the answer said so, or the client offered it).
	ClientNoContextTakeover bool
	// ServerMaxWindowBits and ClientMaxWindowBits are the answer's
	// values (0: not named).
	ServerMaxWindowBits, ClientMaxWindowBits int
	// ClientWindowBits is the window the client compresses within: 15,
	// lowered by the offer's client_max_window_bits value and by the
	// answer's.
	ClientWindowBits int
	// Offer is which permessage-deflate element of the offer the answer
	// accepts (0: the first).
	Offer int
}

// Deflate is the permessage-deflate agreed on the current stream (ok
// false when none).
func (d *Driver) Deflate() (p PerMessageDeflate, ok bool) {
	if d.pmd == nil {
		return PerMessageDeflate{}, false
	}
	return *d.pmd, true
}

const pmdName = "permessage-deflate"

// extParam is a parameter of an extension element.
type extParam struct {
	Name, Value string
	HasValue    bool
}

// extElem is one element of a Sec-WebSocket-Extensions list.
type extElem struct {
	Name   string
	Params []extParam
}

func isTchar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// parseExtList parses a Sec-WebSocket-Extensions value (RFC 6455 §9.1).
func parseExtList(s string) ([]extElem, error) {
	var out []extElem
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	tok := func() string {
		j := i
		for i < len(s) && isTchar(s[i]) {
			i++
		}
		return s[j:i]
	}
	bad := func() error { return fmt.Errorf("malformed extension list at %q", s[i:]) }
	for {
		skip()
		if i == len(s) {
			return out, nil
		}
		if s[i] == ',' {
			i++
			continue
		}
		e := extElem{Name: tok()}
		if e.Name == "" {
			return nil, bad()
		}
		for skip(); i < len(s) && s[i] == ';'; skip() {
			i++
			skip()
			p := extParam{Name: tok()}
			if p.Name == "" {
				return nil, bad()
			}
			if skip(); i < len(s) && s[i] == '=' {
				i++
				skip()
				p.HasValue = true
				if i < len(s) && s[i] == '"' {
					var v strings.Builder
					for i++; i < len(s) && s[i] != '"'; i++ {
						if s[i] == '\\' && i+1 < len(s) {
							i++
						}
						v.WriteByte(s[i])
					}
					if i == len(s) {
						return nil, bad()
					}
					i++
					p.Value = v.String()
				} else {
					p.Value = tok()
				}
				if p.Value == "" {
					return nil, bad()
				}
			}
			e.Params = append(e.Params, p)
		}
		if i < len(s) && s[i] != ',' {
			return nil, bad()
		}
		out = append(out, e)
	}
}

// windowBits parses a *_max_window_bits value: 8 to 15, decimal, no
// leading zero (RFC 7692 §7.1.2).
func windowBits(v string) (int, bool) {
	switch {
	case len(v) == 1 && (v[0] == '8' || v[0] == '9'):
		return int(v[0] - '0'), true
	case len(v) == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5':
		return 10 + int(v[1]-'0'), true
	}
	return 0, false
}

// deflateElem is a permessage-deflate element's parameters, checked.
type deflateElem struct {
	snct, cnct     bool
	smwb, cmwb     int  // 0: absent or without a value
	hasSMWB, hasCM bool // present (client_max_window_bits may lack a value in an offer)
}

// parseDeflateElem checks the parameters of a permessage-deflate offer
// (response false) or answer (RFC 7692 §7.1): known names, each at most
// once, with valid values; in an answer client_max_window_bits needs a
// value.
func parseDeflateElem(ps []extParam, response bool) (deflateElem, error) {
	var e deflateElem
	seen := map[string]bool{}
	for _, p := range ps {
		name := strings.ToLower(p.Name)
		if seen[name] {
			return e, fmt.Errorf("parameter %s twice", name)
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if p.HasValue {
				return e, fmt.Errorf("%s with a value (%q)", name, p.Value)
			}
			if name[0] == 's' {
				e.snct = true
			} else {
				e.cnct = true
			}
		case "server_max_window_bits":
			b, ok := windowBits(p.Value)
			if !ok {
				return e, fmt.Errorf("server_max_window_bits %q is not 8 to 15", p.Value)
			}
			e.smwb, e.hasSMWB = b, true
		case "client_max_window_bits":
			e.hasCM = true
			if !p.HasValue && !response {
				continue
			}
			b, ok := windowBits(p.Value)
			if !ok {
				return e, fmt.Errorf("client_max_window_bits %q is not 8 to 15", p.Value)
			}
			e.cmwb = b
		default:
			return e, fmt.Errorf("unknown parameter %s", p.Name)
		}
	}
	return e, nil
}

// fits checks an answer against one offer (RFC 7692 §7.1): what the
// offer asked for must be granted, and the answer may only add what the
// server is allowed to declare unasked (server_no_context_takeover,
// client_no_context_takeover, server_max_window_bits).
func (a deflateElem) fits(o deflateElem) error {
	switch {
	case o.snct && !a.snct:
		return errors.New("the offer asks server_no_context_takeover: an answer accepting it must include it (§7.1.1.1)")
	case o.hasSMWB && !a.hasSMWB:
		return fmt.Errorf("the offer asks server_max_window_bits=%d: an answer accepting it must include it (§7.1.2.1)", o.smwb)
	case o.hasSMWB && a.smwb > o.smwb:
		return fmt.Errorf("server_max_window_bits=%d exceeds the offer's %d (§7.1.2.1)", a.smwb, o.smwb)
	case a.hasCM && !o.hasCM:
		return errors.New("client_max_window_bits in the answer to an offer without it (§7.1.2.2)")
	case a.hasCM && o.cmwb != 0 && a.cmwb > o.cmwb:
		return fmt.Errorf("client_max_window_bits=%d exceeds the offer's %d (§7.1.2.2)", a.cmwb, o.cmwb)
	}
	return nil
}

// agreedDeflate checks the handshake's Sec-WebSocket-Extensions answer
// against the offer (RFC 6455 §9.1: only offered extensions; RFC 7692
// §7: valid parameters fitting one of the permessage-deflate offers) and
// returns the permessage-deflate agreed (nil for none).
func agreedDeflate(offer, answer string) (*PerMessageDeflate, error) {
	resp, err := parseExtList(answer)
	if err != nil {
		return nil, err
	}
	if len(resp) == 0 {
		return nil, nil
	}
	offers, err := parseExtList(offer)
	if err != nil {
		return nil, fmt.Errorf("the suite's own offer: %v", err)
	}
	var pmd *PerMessageDeflate
	for _, r := range resp {
		if !strings.EqualFold(r.Name, pmdName) {
			return nil, fmt.Errorf("answers extension %q, which was not offered", r.Name)
		}
		if pmd != nil {
			return nil, errors.New("answers permessage-deflate twice")
		}
		a, err := parseDeflateElem(r.Params, true)
		if err != nil {
			return nil, err
		}
		var why []string
		k := -1
		for _, o := range offers {
			if !strings.EqualFold(o.Name, pmdName) {
				continue
			}
			k++
			oe, err := parseDeflateElem(o.Params, false)
			if err != nil {
				why = append(why, fmt.Sprintf("offer %d must be declined (%v)", k+1, err))
				continue
			}
			if err := a.fits(oe); err != nil {
				why = append(why, fmt.Sprintf("offer %d: %v", k+1, err))
				continue
			}
			p := &PerMessageDeflate{ServerNoContextTakeover: a.snct, ClientNoContextTakeover: a.cnct || oe.cnct,
				ServerMaxWindowBits: a.smwb, ClientMaxWindowBits: a.cmwb, ClientWindowBits: 15, Offer: k}
			if oe.cmwb != 0 {
				p.ClientWindowBits = min(p.ClientWindowBits, oe.cmwb)
			}
			if a.cmwb != 0 {
				p.ClientWindowBits = min(p.ClientWindowBits, a.cmwb)
			}
			pmd = p
			break
		}
		if pmd == nil {
			if k < 0 {
				return nil, errors.New("answers permessage-deflate, which was not offered")
			}
			return nil, errors.New("the answer fits no offer: " + strings.Join(why, "; "))
		}
	}
	return pmd, nil
}

// deflaters are the client's compressors on one stream, made on first
// use.
type deflaters struct {
	window *ws.Deflater // a 32 KiB window, with context takeover unless agreed otherwise
	fresh  *ws.Deflater // no context takeover
	huff   *ws.Deflater // Huffman only: no LZ77 matches at all
}

func mustDeflater(level int, noContext bool) *ws.Deflater {
	f, err := ws.NewDeflater(level, noContext)
	if err != nil {
		panic(err)
	}
	return f
}

// compress deflates a message within the agreed client parameters.
// compress/flate always compresses with a 32 KiB window: with a smaller
// agreed window, a message no longer than the window is compressed from
// a fresh start (its matches cannot reach further back than its own
// start) and a longer one Huffman-only (no matches).
func (d *Driver) compress(p []byte) []byte {
	pm := d.pmd
	if pm.ClientWindowBits >= 15 {
		if d.defl.window == nil {
			d.defl.window = mustDeflater(flate.DefaultCompression, pm.ClientNoContextTakeover)
		}
		return d.defl.window.Deflate(nil, p)
	}
	if len(p) <= 1<<pm.ClientWindowBits {
		if d.defl.fresh == nil {
			d.defl.fresh = mustDeflater(flate.DefaultCompression, true)
		}
		return d.defl.fresh.Deflate(nil, p)
	}
	if d.defl.huff == nil {
		d.defl.huff = mustDeflater(flate.HuffmanOnly, true)
	}
	return d.defl.huff.Deflate(nil, p)
}

// SendCompressed sends a data message compressed with the agreed
// permessage-deflate (RSV1 on its first frame), as frames of at most
// frag compressed bytes (frag <= 0: one frame), all in one write. It
// fails the case when permessage-deflate was not agreed.
func (d *Driver) SendCompressed(op byte, payload []byte, frag int) {
	if d.pmd == nil {
		d.Fail("SendCompressed: permessage-deflate was not agreed")
	}
	fs := Fragment(op, d.compress(payload), frag)
	fs[0].RSV |= 4
	d.Send(fs...)
}
