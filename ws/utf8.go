package ws

import "unicode/utf8"

// UTF8 validates text that arrives in pieces (RFC 6455 §8.1: a text
// message must be valid UTF-8 as a whole, and its fragments may split a
// character). Write checks one piece and fails fast: it returns false as
// soon as a byte makes the text invalid whatever follows, not at the end
// of the sequence or message, so an endpoint fails the connection at the
// first bad byte (Autobahn's case 6.4). Invalid are what unicode/utf8
// rejects: stray continuation bytes, overlong forms (C0, C1, E0 80–9F,
// F0 80–8F), surrogates (ED A0–BF), code points above U+10FFFF (F4 90–BF,
// F5–FF) and a sequence cut short by a byte that is no continuation byte.
//
// The zero value is ready for a new text; after Write has failed it keeps
// failing until Reset.
type UTF8 struct {
	need   uint8 // continuation bytes still expected
	lo, hi byte  // range of the next continuation byte
	bad    bool
}

// leads holds, for each byte that can start a multi-byte sequence, the
// number of continuation bytes (low two bits) and the index in accept of
// the range of the first one (high bits); zero marks the bytes that start
// no multi-byte sequence: ASCII, continuation bytes, C0, C1, F5–FF.
var leads = func() (t [256]uint8) {
	set := func(from, to int, need, rng uint8) {
		for c := from; c <= to; c++ {
			t[c] = need | rng<<2
		}
	}
	set(0xc2, 0xdf, 1, 0)
	set(0xe0, 0xe0, 2, 1) // A0–BF: shorter forms would be overlong
	set(0xe1, 0xec, 2, 0)
	set(0xed, 0xed, 2, 2) // 80–9F: A0–BF would be surrogates
	set(0xee, 0xef, 2, 0)
	set(0xf0, 0xf0, 3, 3) // 90–BF: shorter forms would be overlong
	set(0xf1, 0xf3, 3, 0)
	set(0xf4, 0xf4, 3, 4) // 80–8F: more would pass U+10FFFF
	return t
}()

// accept is the range of the first continuation byte, by leads' index.
var accept = [5][2]byte{{0x80, 0xbf}, {0xa0, 0xbf}, {0x80, 0x9f}, {0x90, 0xbf}, {0x80, 0x8f}}

// Write validates p as the continuation of what was written before and
// reports whether the text is still valid, possibly with a character left
// unfinished (see Complete).
//
// Between finishing a character left over from the last call and
// starting one that p cuts short, p holds whole characters only: that
// run, the bulk of any text, goes to unicode/utf8.Valid, which checks
// ASCII eight bytes at a time and measures about twice as fast as a
// byte-wise state machine on mixed text. Because the run ends where a
// character starts, it is invalid exactly when no continuation could
// make the text valid, so failing fast holds.
func (u *UTF8) Write(p []byte) bool {
	if u.bad {
		return false
	}
	i := 0
	for ; u.need > 0 && i < len(p); i++ {
		if c := p[i]; c < u.lo || c > u.hi {
			u.bad = true
			return false
		}
		u.lo, u.hi = 0x80, 0xbf
		u.need--
	}
	p = p[i:]
	cut := cutStart(p)
	if !utf8.Valid(p[:cut]) {
		u.bad = true
		return false
	}
	if cut == len(p) {
		return true
	}
	// p ends inside a character: its lead byte is valid (cutStart
	// checked), the bytes after it continuation bytes in range.
	x := leads[p[cut]]
	r := accept[x>>2]
	u.need, u.lo, u.hi = x&3, r[0], r[1]
	for _, c := range p[cut+1:] {
		if c < u.lo || c > u.hi {
			u.bad = true
			return false
		}
		u.lo, u.hi = 0x80, 0xbf
		u.need--
	}
	return true
}

// cutStart returns where the character that p's end cuts short starts:
// the last of p's final three bytes that is a valid lead byte whose
// sequence is longer than what follows it; len(p) if there is none.
func cutStart(p []byte) int {
	for j := len(p) - 1; j >= 0 && j >= len(p)-3; j-- {
		c := p[j]
		if c&0xc0 == 0x80 {
			continue // a continuation byte: look further back
		}
		if x := leads[c]; x != 0 && int(x&3) > len(p)-1-j {
			return j
		}
		break
	}
	return len(p)
}

// Complete reports whether the text written so far is valid and ends on a
// character boundary, as a whole text message must.
func (u *UTF8) Complete() bool { return !u.bad && u.need == 0 }

// Reset makes u ready for a new text.
func (u *UTF8) Reset() { *u = UTF8{} }

// ValidUTF8 reports whether p is valid UTF-8, with the same checks.
func ValidUTF8(p []byte) bool {
	var u UTF8
	return u.Write(p) && u.Complete()
}
