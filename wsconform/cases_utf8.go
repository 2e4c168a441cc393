package wsconform

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

var (
	helloUTF8 = []byte("Hello-µ@ßöäüàá-UTF-8!!")
	kosme     = []byte("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5") // κόσμε
	// Autobahn's invalid text: κόσμε, U+110000 in UTF-8's scheme, "edited".
	kosmeBad = append(append(append([]byte{}, kosme...), 0xf4, 0x90, 0x80, 0x80), "edited"...)
)

// utf8Vector is one of Markus Kuhn's UTF-8 decoder test sequences, as
// Autobahn numbers them (6.5 onwards).
type utf8Vector struct {
	sub  int // 6.<sub>.x
	desc string
	seqs [][]byte
}

func hexs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func utf8Vectors() []utf8Vector {
	var prefixes [][]byte
	for i := 1; i <= len(kosme); i++ {
		prefixes = append(prefixes, kosme[:i])
	}
	var cont64 []byte
	for b := 0x80; b <= 0xbf; b++ {
		cont64 = append(cont64, byte(b))
	}
	lonely := func(lo, hi int) []byte {
		var p []byte
		for b := lo; b <= hi; b++ {
			p = append(p, byte(b), ' ')
		}
		return p
	}
	missing := hexs("\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
		"\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf")
	var nonchars [][]byte
	for plane := 0; plane <= 16; plane++ {
		for _, low := range []rune{0xfffe, 0xffff} {
			nonchars = append(nonchars, utf8.AppendRune(nil, rune(plane)<<16|low))
		}
	}
	return []utf8Vector{
		{5, "valid UTF-8 texts", [][]byte{kosme, helloUTF8, []byte("日本語のテキスト"), []byte("emoji 😀🎉 and ∑∫"), []byte("\x00\x7f mixed ascii, Ελληνικά, русский, עברית")}},
		{6, "prefixes of κόσμε, one more octet each time", prefixes},
		{7, "first possible sequence of each length (1–4)", hexs("\x00", "\xc2\x80", "\xe0\xa0\x80", "\xf0\x90\x80\x80")},
		{8, "first possible sequence of length 5 and 6", hexs("\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80")},
		{9, "last possible sequence of each length (1–4)", hexs("\x7f", "\xdf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf")},
		{10, "last possible sequence of length 4–6 (out of range)", hexs("\xf7\xbf\xbf\xbf", "\xfb\xbf\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf\xbf")},
		{11, "other boundary conditions", hexs("\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80")},
		{12, "unexpected continuation octets", append(hexs("\x80", "\xbf", "\x80\xbf", "\x80\xbf\x80", "\x80\xbf\x80\xbf",
			"\x80\xbf\x80\xbf\x80", "\x80\xbf\x80\xbf\x80\xbf"), cont64)},
		{13, "lonely start octets, each followed by a space", [][]byte{lonely(0xc0, 0xdf), lonely(0xe0, 0xef), lonely(0xf0, 0xf7), lonely(0xf8, 0xfb), lonely(0xfc, 0xfd)}},
		{14, "sequences with the last continuation octet missing", missing},
		{15, "concatenation of the incomplete sequences of 6.14", [][]byte{bytes.Join(missing, nil)}},
		{16, "impossible octets", hexs("\xfe", "\xff", "\xfe\xfe\xff\xff")},
		{17, "overlong ASCII '/'", hexs("\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf", "\xfc\x80\x80\x80\x80\xaf")},
		{18, "maximum overlong sequences", hexs("\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf8\x87\xbf\xbf\xbf", "\xfc\x83\xbf\xbf\xbf\xbf")},
		{19, "overlong NUL", hexs("\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80", "\xfc\x80\x80\x80\x80\x80")},
		{20, "single UTF-16 surrogates", hexs("\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf")},
		{21, "paired UTF-16 surrogates", hexs("\xed\xa0\x80\xed\xb0\x80", "\xed\xa0\x80\xed\xbf\xbf", "\xed\xad\xbf\xed\xb0\x80", "\xed\xad\xbf\xed\xbf\xbf",
			"\xed\xae\x80\xed\xb0\x80", "\xed\xae\x80\xed\xbf\xbf", "\xed\xaf\xbf\xed\xb0\x80", "\xed\xaf\xbf\xed\xbf\xbf")},
		{22, "noncharacters (valid in UTF-8)", nonchars},
		{23, "specials U+FFF9–U+FFFD, BOM, U+FFFD as text", hexs("\xef\xbf\xb9", "\xef\xbf\xba", "\xef\xbf\xbb", "\xef\xbf\xbc", "\xef\xbf\xbd", "\xef\xbb\xbf", "\xef\xbf\xbd\xef\xbf\xbd")},
	}
}

// failPos is the index of the first octet after which p can no longer
// be the start of valid UTF-8 (RFC 3629 §4), or -1 if every prefix could
// still be completed (p is then invalid only because it is truncated).
func failPos(p []byte) int {
	for i := 0; i < len(p); {
		c := p[i]
		n, lo, hi := 0, byte(0x80), byte(0xbf)
		switch {
		case c < 0x80:
			i++
			continue
		case c >= 0xc2 && c <= 0xdf:
			n = 2
		case c == 0xe0:
			n, lo = 3, 0xa0
		case c == 0xed:
			n, hi = 3, 0x9f
		case c >= 0xe1 && c <= 0xef:
			n = 3
		case c == 0xf0:
			n, lo = 4, 0x90
		case c == 0xf4:
			n, hi = 4, 0x8f
		case c >= 0xf1 && c <= 0xf3:
			n = 4
		default:
			return i
		}
		for k := 1; k < n; k++ {
			if i+k >= len(p) {
				return -1
			}
			if b := p[i+k]; k == 1 && (b < lo || b > hi) || k > 1 && (b < 0x80 || b > 0xbf) {
				return i + k
			}
		}
		i += n
	}
	return -1
}

// 6.x: UTF-8 handling. Valid texts are echoed exactly, also split into 2
// fragments at every octet; invalid ones fail the connection with 1007,
// and fast: as soon as the octet that makes them invalid arrives.
func utf8Cases(opts Options) []Case {
	validEcho := func(ID, desc string, p []byte, send func(d *Driver)) Case {
		return Case{ID: ID, Description: desc, Run: func(d *Driver) {
			send(d)
			d.ExpectMessage(OpText, p)
			d.CloseNormally()
		}}
	}
	cs := []Case{
		validEcho("6.1.1", "Send text message of length 0.", []byte{}, func(d *Driver) { d.Send(Text(nil)) }),
		validEcho("6.1.2", "Send fragmented text message, 3 fragments each of length 0.", []byte{}, func(d *Driver) {
			d.Send(Frame{Opcode: OpText}, Frame{Opcode: OpContinuation}, Frame{Fin: true, Opcode: OpContinuation})
		}),
		validEcho("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0.", []byte("middle frame payload"), func(d *Driver) {
			d.Send(Frame{Opcode: OpText}, Frame{Opcode: OpContinuation, Payload: []byte("middle frame payload")}, Frame{Fin: true, Opcode: OpContinuation})
		}),
		validEcho("6.2.1", "Send a valid UTF-8 text message in one fragment: "+string(helloUTF8), helloUTF8, func(d *Driver) { d.Send(Text(helloUTF8)) }),
		validEcho("6.2.2", "Send a valid UTF-8 text message in 2 fragments, split at a code point boundary.", helloUTF8, func(d *Driver) {
			d.Send(Frame{Opcode: OpText, Payload: helloUTF8[:15]}, Frame{Fin: true, Opcode: OpContinuation, Payload: helloUTF8[15:]})
		}),
		validEcho("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, splitting code points.", helloUTF8, func(d *Driver) {
			d.SendMessage(OpText, helloUTF8, 1)
		}),
		validEcho("6.2.4", "Send a valid UTF-8 text message (κόσμε) in fragments of 1 octet, splitting code points.", kosme, func(d *Driver) {
			d.SendMessage(OpText, kosme, 1)
		}),
		{ID: "6.3.1", Description: "Send invalid UTF-8 text message unfragmented.", Run: func(d *Driver) {
			d.Send(Text(kosmeBad))
			d.ExpectFailure(1007)
		}},
		{ID: "6.3.2", Description: "Send invalid UTF-8 text message in fragments of 1 octet.", Run: func(d *Driver) {
			d.SendMessage(OpText, kosmeBad, 1)
			d.ExpectFailure(1007)
		}},
	}
	// 6.4.x: fail fast, Autobahn's way: part 1 valid, wait, part 2
	// makes it invalid, wait, part 3. Failing only after part 3 is
	// NON-STRICT.
	bad1 := [3][]byte{kosme, {0xf4, 0x90, 0x80, 0x80}, []byte("edited")}
	bad2 := [3][]byte{append(append([]byte{}, kosme...), 0xf4), {0x90}, []byte("\x80\x80edited")}
	for i, v := range []struct {
		parts  [3][]byte
		chops  bool
		detail string
	}{
		{bad1, false, "in 3 fragments; fragment 2 is U+110000 in UTF-8's scheme"},
		{bad2, false, "in 3 fragments; fragment 1 ends with 0xF4, fragment 2 (0x90) makes it invalid"},
		{bad1, true, "as one frame written in 3 chops; chop 2 is U+110000 in UTF-8's scheme"},
		{bad2, true, "as one frame written in 3 chops; chop 1 ends with 0xF4, chop 2 (0x90) makes it invalid"},
	} {
		cs = append(cs, Case{ID: id(6, 4, i+1), Description: "Send invalid UTF-8 text message " + v.detail + ", waiting between parts: the peer fails as soon as part 2 arrives.",
			Run: func(d *Driver) {
				var writes [3][]byte
				if v.chops {
					whole := d.Encode(nil, Text(bytes.Join(v.parts[:], nil)))
					hdr := len(whole) - len(bytes.Join(v.parts[:], nil))
					a, b := hdr+len(v.parts[0]), hdr+len(v.parts[0])+len(v.parts[1])
					writes = [3][]byte{whole[:a], whole[a:b], whole[b:]}
				} else {
					writes = [3][]byte{
						d.Encode(nil, Frame{Opcode: OpText, Payload: v.parts[0]}),
						d.Encode(nil, Frame{Opcode: OpContinuation, Payload: v.parts[1]}),
						d.Encode(nil, Frame{Fin: true, Opcode: OpContinuation, Payload: v.parts[2]}),
					}
				}
				d.failFast(writes[0], writes[1], writes[2], opts, NonStrict)
			}})
	}
	for _, v := range utf8Vectors() {
		for i, seq := range v.seqs {
			ID := id(6, v.sub, i+1)
			if utf8.Valid(seq) {
				cs = append(cs, Case{ID: ID, Description: fmt.Sprintf("Send valid UTF-8 text message (%s) %x, in one frame, then split in 2 fragments at every octet.", v.desc, clip(seq)),
					Run: func(d *Driver) {
						d.Send(Text(seq))
						d.ExpectMessage(OpText, seq)
						for k := 1; k < len(seq); k++ {
							d.Send(Frame{Opcode: OpText, Payload: seq[:k]}, Frame{Fin: true, Opcode: OpContinuation, Payload: seq[k:]})
							d.ExpectMessage(OpText, seq)
						}
						d.CloseNormally()
					}})
				continue
			}
			pos := failPos(seq)
			desc := fmt.Sprintf("Send invalid UTF-8 text message (%s) %x in one frame: fail with 1007", v.desc, clip(seq))
			if pos >= 0 {
				desc += fmt.Sprintf("; again, the first %d octets in a fragment of an unfinished message: fail fast", pos+1)
			}
			cs = append(cs, Case{ID: ID, Description: desc + ".", Run: func(d *Driver) {
				d.Send(Text(seq))
				d.ExpectFailure(1007)
				if pos < 0 {
					return
				}
				d.Reconnect()
				d.failFast(nil, d.Encode(nil, Frame{Opcode: OpText, Payload: seq[:pos+1]}),
					d.Encode(nil, Frame{Fin: true, Opcode: OpContinuation, Payload: seq[pos+1:]}), opts, Informational)
			}})
		}
	}
	return cs
}

func clip(p []byte) []byte {
	if len(p) > 16 {
		return p[:16]
	}
	return p
}

// failFast writes valid (which must not fail the connection), then
// invalid: the peer must fail with 1007 within opts.Wait; if it waits
// for rest, the verdict is late (NON-STRICT or INFORMATIONAL).
func (d *Driver) failFast(valid, invalid, rest []byte, opts Options, late Verdict) {
	if valid != nil {
		d.WriteRaw(valid, Chop{})
		if e, ok := d.Poll(opts.Wait); ok {
			d.Fail("after the valid first part, want nothing, got %v", e)
		}
	}
	d.WriteRaw(invalid, Chop{})
	if e, ok := d.Poll(opts.Wait); ok {
		d.Unread(e)
		d.ExpectFailure(1007)
		return
	}
	d.Verdict(late, "no failure within %v of the invalid octet: not fail-fast", opts.Wait)
	d.WriteRaw(rest, Chop{})
	d.ExpectFailure(1007)
}
