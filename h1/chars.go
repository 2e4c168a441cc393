package h1

// Character classes from the ABNF of RFC 9110 §5.6.2 (tchar), §5.5
// (field-content), RFC 9112 §3.2 (request-target bytes) and RFC 3986 §3.2
// (authority), kept as bit flags in one 256-entry table so that each
// scanning loop costs one load and one test per byte.
const (
	classToken     uint8 = 1 << iota // tchar: methods, field names, codings
	classValue                       // field-vchar, SP, HTAB: field values
	classTarget                      // VCHAR and obs-text: a request-target
	classAuthority                   // host, IP-literal and port bytes; no '@'
	classScheme                      // URI scheme bytes after the first
	classQdtext                      // qdtext of a quoted-string (RFC 9110 §5.6.4)
	classHostPort                    // reg-name, IPv4address, ':' and port bytes (RFC 3986 §3.2.2–3)
)

const (
	alpha      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	digit      = "0123456789"
	tcharExtra = "!#$%&'*+-.^_`|~"
	unreserved = alpha + digit + "-._~"
	subDelims  = "!$&'()*+,;="
)

var class = buildClasses()

func buildClasses() (t [256]uint8) {
	mark := func(set string, c uint8) {
		for i := 0; i < len(set); i++ {
			t[set[i]] |= c
		}
	}
	mark(alpha+digit+tcharExtra, classToken)
	mark(unreserved+subDelims+"%:[]", classAuthority)
	mark(unreserved+subDelims+"%:", classHostPort)
	mark(alpha+digit+"+-.", classScheme)
	for c := 0x21; c <= 0x7e; c++ { // VCHAR
		t[c] |= classValue | classTarget
		if c != '"' && c != '\\' {
			t[c] |= classQdtext
		}
	}
	for c := 0x80; c <= 0xff; c++ { // obs-text
		t[c] |= classValue | classTarget | classQdtext
	}
	t[' '] |= classValue | classQdtext
	t['\t'] |= classValue | classQdtext
	return t
}

// lower maps ASCII letters to lower case and every other byte to itself:
// field names and codings compare case-insensitively, and only in ASCII.
var lower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	return t
}()

// hexValue is the value of a hex digit, or -1.
var hexValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < 10; i++ {
		t['0'+i] = int8(i)
	}
	for i := 0; i < 6; i++ {
		t['a'+i] = int8(10 + i)
		t['A'+i] = int8(10 + i)
	}
	return t
}()

// isOWS reports optional whitespace (RFC 9110 §5.6.3).
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// equalFold reports whether a equals the lower-case ASCII string want,
// ignoring the case of a.
func equalFold[T string | []byte](a T, want string) bool {
	if len(a) != len(want) {
		return false
	}
	for i := 0; i < len(want); i++ {
		if lower[a[i]] != want[i] {
			return false
		}
	}
	return true
}

// trimOWS drops leading and trailing optional whitespace.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && isOWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isOWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// allClass reports whether every byte of b has the class bit c. A byte
// at a time costs a branch per byte: whole words are tested with no
// branch inside, the last bytes with a word that overlaps the ones
// already tested.
func allClass(b []byte, c uint8) bool {
	if len(b) < 8 {
		for _, ch := range b {
			if class[ch]&c == 0 {
				return false
			}
		}
		return true
	}
	for i := 0; i <= len(b)-8; i += 8 {
		if classOf8(b[i:i+8])&c == 0 {
			return false
		}
	}
	return classOf8(b[len(b)-8:])&c != 0
}

// classOf8 is the class bits that the first 8 bytes of w all have.
func classOf8(w []byte) uint8 {
	w = w[:8]
	return class[w[0]] & class[w[1]] & class[w[2]] & class[w[3]] &
		class[w[4]] & class[w[5]] & class[w[6]] & class[w[7]]
}
