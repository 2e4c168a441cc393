package h1

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The fast path (parseWhole) must give exactly what the incremental
// parser gives. The tests elsewhere compare a whole parse, which takes
// the fast path, with split ones, which mostly do not; these compare the
// two paths directly, on the same bytes, and check the word-at-a-time
// helpers against their byte-at-a-time definitions.

// parseSlowOnly parses buf with a fresh parser that skips the fast path.
func parseSlowOnly(buf []byte, lim Limits) outcome {
	p := RequestParser{Limits: lim}
	var r Request
	n, e := p.parse(buf, &r)
	var err error = ErrNeedMore
	switch {
	case e != nil:
		err, n = e, 0
	case n > 0:
		err = nil
	}
	return requestOutcome(n, err, &r)
}

// checkFastPath compares the two paths on buf and on buf with more bytes
// after it, as a pipelining client sends them.
func checkFastPath(t *testing.T, name string, buf []byte, lim Limits) {
	t.Helper()
	for _, in := range [][]byte{buf, append(buf[:len(buf):len(buf)], "GET / HTTP/1.1\r\n"...)} {
		fast, slow := parseRequestOnce(in, lim), parseSlowOnly(in, lim)
		if fast != slow {
			t.Fatalf("%s (%q):\nfast path:\n%v\nincremental:\n%v", name, in, fast, slow)
		}
	}
}

// mutations returns variants of in that a parser could get wrong at
// every byte: each byte replaced by a few interesting ones, deleted, or
// doubled.
func mutations(in []byte) [][]byte {
	var out [][]byte
	for i := range in {
		for _, c := range []byte{'\r', '\n', ' ', '\t', ':', 0x7f, 0x00, 0xff, '?', 'A', '['} {
			m := append([]byte(nil), in...)
			m[i] = c
			out = append(out, m)
		}
		out = append(out, append(append([]byte(nil), in[:i]...), in[i+1:]...))
		out = append(out, append(append([]byte(nil), in[:i+1]...), in[i:]...))
	}
	return out
}

func TestFastPathAgrees(t *testing.T) {
	names, ins, lims := differentialInputs()
	names = append(names, "short GET", "browser GET")
	ins = append(ins, []byte(shortGET), []byte(browserGET))
	lims = append(lims, Limits{}, Limits{})
	for k, in := range ins {
		for _, lim := range append([]Limits{lims[k]}, fuzzLimits...) {
			checkFastPath(t, names[k], in, lim)
			if len(in) > 400 {
				continue
			}
			for _, m := range mutations(in) {
				checkFastPath(t, names[k]+" mutated", m, lim)
			}
		}
	}
}

// TestFastPathLimits checks each limit right at its edge, where the fast
// path must give up exactly when the incremental parser would refuse.
func TestFastPathLimits(t *testing.T) {
	head := []byte(browserGET)
	for _, n := range []int{len(head) - 3, len(head) - 2, len(head) - 1, len(head), len(head) + 1} {
		checkFastPath(t, "MaxHeaderBytes", head, Limits{MaxHeaderBytes: n})
	}
	line := len("GET /static/app.js?v=3 HTTP/1.1")
	for n := line - 2; n <= line+2; n++ {
		checkFastPath(t, "MaxRequestLine", head, Limits{MaxRequestLine: n})
	}
	for n := 8; n <= 12; n++ {
		checkFastPath(t, "MaxHeaders", head, Limits{MaxHeaders: n})
	}
}

func FuzzFastPath(f *testing.F) {
	_, ins, _ := differentialInputs()
	for _, in := range ins {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lim := range fuzzLimits {
			checkFastPath(t, "input", data, lim)
		}
	})
}

// TestHostMemo parses heads one after another with one parser, which
// remembers the last valid Host, and with a fresh parser each: the
// verdicts must not depend on what came before.
func TestHostMemo(t *testing.T) {
	long := strings.Repeat("h", 70)
	var p RequestParser
	var r Request
	for _, host := range []string{"a", "a", "a b", "a", "b:80", "b:8x", "b:80", long, long, long + "@", "[::1]:443", "", "a"} {
		in := []byte("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
		n, err := p.Parse(in, &r)
		got := requestOutcome(n, err, &r)
		if want := parseRequestOnce(in, Limits{}); got != want {
			t.Errorf("Host %q: %v, want %v", host, got, want)
		}
	}
}

// TestRequestResetClearsAll checks that Reset, which clears field by
// field, leaves nothing of the last request.
func TestRequestResetClearsAll(t *testing.T) {
	var r Request
	var p RequestParser
	if _, err := p.Parse([]byte(browserGET), &r); err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(&r).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !f.CanSet() || f.Type() == reflect.TypeOf([]Header(nil)) {
			continue
		}
		switch f.Kind() {
		case reflect.Slice:
			f.SetBytes([]byte("x"))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Uint8:
			f.SetUint(3)
		case reflect.Int64:
			f.SetInt(7)
		default:
			t.Fatalf("field %s of kind %v: teach this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	headers := r.Headers
	r.Reset()
	want := Request{Headers: headers[:0], ContentLength: -1}
	if describeRequest(&r) != describeRequest(&want) || cap(r.Headers) != cap(headers) {
		t.Errorf("after Reset:\n%s\nwant\n%s", describeRequest(&r), describeRequest(&want))
	}
	for id := HeaderUnknown; id <= numHeaderIDs; id++ {
		if r.Get(id) != nil {
			t.Errorf("Get(%v) after Reset: %q", id, r.Get(id))
		}
	}
}

// TestLookupNameAt checks the word-at-a-time lookup against LookupHeader,
// for every known name in several spellings, anywhere in a buffer
// (right at its end too), and for names one byte off a known one.
func TestLookupNameAt(t *testing.T) {
	var names []string
	for id := HeaderHost; id < numHeaderIDs; id++ {
		n := id.String()
		names = append(names, n, strings.ToLower(n), strings.ToUpper(n), "X"+n, n+"s", n[1:], n[:len(n)-1])
		for i := range n {
			for _, c := range []byte{'-', '_', '@', ':', 0xc1, n[i] ^ 0x20, n[i] ^ 0x01} {
				m := []byte(n)
				m[i] = c
				names = append(names, string(m))
			}
		}
	}
	for _, name := range names {
		want := LookupHeader([]byte(name))
		for _, after := range []string{"", ":", ": value\r\n", strings.Repeat(":", 30)} {
			for _, before := range []string{"", "abc"} {
				buf := []byte(before + name + after)
				start := len(before)
				if got := lookupNameAt(buf, start, start+len(name)); got != want {
					t.Fatalf("lookupNameAt(%q) = %v, want %v", buf, got, want)
				}
			}
		}
	}
}

// validAuthorityOriginal is validAuthority as first written, byte by byte.
func validAuthorityOriginal(a []byte, needPort bool) bool {
	if len(a) == 0 {
		return false
	}
	for _, c := range a {
		if class[c]&classAuthority == 0 {
			return false
		}
	}
	var host, rest []byte
	if a[0] == '[' {
		end := bytes.IndexByte(a, ']')
		if end < 2 {
			return false
		}
		host, rest = a[1:end], a[end+1:]
		if bytes.IndexByte(host, '[') >= 0 {
			return false
		}
	} else {
		host, rest = a, nil
		if c := bytes.IndexByte(a, ':'); c >= 0 {
			host, rest = a[:c], a[c:]
		}
		if len(host) == 0 || bytes.IndexByte(host, '[') >= 0 || bytes.IndexByte(host, ']') >= 0 {
			return false
		}
	}
	if len(rest) == 0 {
		return !needPort
	}
	if rest[0] != ':' || (needPort && len(rest) == 1) {
		return false
	}
	for _, c := range rest[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func TestValidAuthorityAgrees(t *testing.T) {
	const alphabet = "a1:[]@%.-_ /\x80"
	check := func(a []byte) {
		for _, needPort := range []bool{false, true} {
			if got, want := validAuthority(a, needPort), validAuthorityOriginal(a, needPort); got != want {
				t.Fatalf("validAuthority(%q, %v) = %v, want %v", a, needPort, got, want)
			}
		}
	}
	// Every string of up to 4 bytes over the alphabet.
	var gen func(prefix []byte, n int)
	gen = func(prefix []byte, n int) {
		check(prefix)
		if n == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			gen(append(prefix, alphabet[i]), n-1)
		}
	}
	gen(nil, 4)
	// Longer ones, where the word-at-a-time check applies.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		a := []byte(strings.Repeat("x", rng.IntN(24)))
		for i := range a {
			if rng.IntN(4) == 0 {
				a[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		check(a)
		check(append(a, ":8080"...))
	}
}

// randomBytes returns n bytes, mostly from common ones, some arbitrary.
func randomBytes(rng *rand.Rand, n int) []byte {
	const common = "abcXYZ019 -.:?/\t\r\n\"(@[~"
	b := make([]byte, n)
	for i := range b {
		if rng.IntN(8) == 0 {
			b[i] = byte(rng.UintN(256))
		} else {
			b[i] = common[rng.IntN(len(common))]
		}
	}
	return b
}

// TestWordScans checks the word-at-a-time scans against byte-by-byte
// definitions, on random bytes of every length around a word's.
func TestWordScans(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	firstFrom := func(b []byte, i int, stop func(c byte) bool) int {
		for ; i < len(b) && !stop(b[i]); i++ {
		}
		return i
	}
	for range 300000 {
		b := randomBytes(rng, rng.IntN(40))
		valueEnd := firstFrom(b, 0, func(c byte) bool { return class[c]&classValue == 0 })
		if got := valueLen(b); got != valueEnd {
			t.Fatalf("valueLen(%q) = %d, want %d", b, got, valueEnd)
		}
		targetEnd := firstFrom(b, 0, func(c byte) bool { return class[c]&classTarget == 0 })
		query := bytes.IndexByte(b[:targetEnd], '?')
		if n, q := targetLen(b); n != targetEnd || q != query {
			t.Fatalf("targetLen(%q) = %d, %d, want %d, %d", b, n, q, targetEnd, query)
		}
		for _, c := range []uint8{classToken, classHostPort, classValue} {
			want := firstFrom(b, 0, func(ch byte) bool { return class[ch]&c == 0 }) == len(b)
			if got := allClass(b, c); got != want {
				t.Fatalf("allClass(%q, %d) = %v", b, c, got)
			}
		}
		i := 0
		if len(b) > 0 {
			i = rng.IntN(len(b))
		}
		colon := firstFrom(b, i, func(c byte) bool { return c == ':' })
		if colon == len(b) {
			colon = -1
		}
		if got := indexColon(b, i); got != colon {
			t.Fatalf("indexColon(%q, %d) = %d, want %d", b, i, got, colon)
		}
		// The whole-word searches find the same byte if it lies in the
		// whole words from i, else stop where the last few bytes begin.
		inWords := func(at int) int {
			if wholeEnd := i + (len(b)-i)/8*8; at < 0 || at >= wholeEnd {
				return wholeEnd
			}
			return at
		}
		if got, want := colonIndex(b, i), inWords(colon); got != want {
			t.Fatalf("colonIndex(%q, %d) = %d, want %d", b, i, got, want)
		}
		stop := firstFrom(b, i, func(c byte) bool { return c < ' ' || c == 0x7f })
		if got, want := stopIndex(b, i, ' '), inWords(stop); got != want {
			t.Fatalf("stopIndex(%q, %d) = %d, want %d", b, i, got, want)
		}
	}
}

// TestStopMask checks that the lowest flag of stopMask is exactly the
// first byte below n or equal to DEL, for words with several such bytes.
func TestStopMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1000000 {
		var w [8]byte
		for i := range w {
			switch rng.IntN(4) {
			case 0:
				w[i] = byte(rng.UintN(256))
			case 1:
				w[i] = []byte{0x00, 0x09, 0x0d, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xff}[rng.IntN(10)]
			default:
				w[i] = byte('a' + rng.IntN(26))
			}
		}
		x := word(w[:], 0)
		for _, n := range []byte{' ', '!'} {
			first := 8
			for i, c := range w {
				if c < n || c == 0x7f {
					first = i
					break
				}
			}
			m := stopMask(x, n)
			if (m != 0) != (hasBelow(x, n) || hasByte(x, 0x7f)) || (m == 0) != (first == 8) || m != 0 && firstFlag(m) != first {
				t.Fatalf("stopMask(%q, %#x) = %#x, first stop at %d", w, n, m, first)
			}
		}
	}
}
