package buflist

import (
	"testing"
)

// Fuzz input format: a sequence of 3-byte ops [kind, lo, hi], kind taken
// modulo numOps; arg is the little-endian uint16 lo|hi<<8. A trailing
// partial op is ignored. The format is fixed-width so that the mutator's
// byte edits change one op's parameters rather than reframing the rest.
const (
	// opAppend appends arg bytes of the gen stream (up to four chunks).
	opAppend = iota
	// opAppendString is opAppend through AppendString.
	opAppendString
	// opAppendSmall appends lo bytes, through AppendString if hi is odd.
	// Random uint16 sizes are almost never tiny, and many small writes
	// topping up the tail chunk are the common case in a server.
	opAppendSmall
	// opConsume consumes arg % (Len+1) bytes.
	opConsume
	// opConsumeFront consumes len(Front()) + arg%3 - 1 bytes: one short
	// of, exactly at, or one past a chunk boundary, which random counts
	// would rarely hit.
	opConsumeFront
	// opSlices calls Slices with max = int8(lo) % 6, covering negative,
	// zero and small limits, and checks it against an unlimited call.
	opSlices
	// opReset resets the list.
	opReset
	numOps
)

// fuzzMaxLen bounds the reference so that checking every op stays cheap.
const fuzzMaxLen = 2 << 20

func FuzzList(f *testing.F) {
	// Minimal in-code seeds; the interesting sequences live in
	// testdata/fuzz/FuzzList.
	f.Add([]byte{})
	f.Add([]byte{opAppend, 0xff, 0xff, opConsumeFront, 1, 0, opSlices, 2, 0, opReset, 0, 0})

	f.Fuzz(runOps)
}

// runOps interprets ops (see the format above) against a List and a plain
// []byte reference, checking that every observer agrees after each op.
func runOps(t *testing.T, ops []byte) {
	var l List
	defer l.Reset()
	var g gen
	var model []byte // the reference: a plain byte slice
	dst := make([][]byte, 0, 8)

	for len(ops) >= 3 {
		kind, lo, hi := ops[0]%numOps, ops[1], ops[2]
		arg := int(lo) | int(hi)<<8
		ops = ops[3:]

		switch kind {
		case opAppend, opAppendString, opAppendSmall:
			n := arg
			if kind == opAppendSmall {
				n = int(lo)
			}
			if len(model)+n > fuzzMaxLen {
				continue
			}
			p := g.next(n)
			if kind == opAppend || kind == opAppendSmall && hi&1 == 0 {
				l.Append(p)
			} else {
				l.AppendString(string(p))
			}
			model = append(model, p...)

		case opConsume:
			n := arg % (len(model) + 1)
			l.Consume(n)
			model = model[n:]

		case opConsumeFront:
			n := len(l.Front()) + arg%3 - 1
			if n < 0 || n > len(model) {
				continue
			}
			l.Consume(n)
			model = model[n:]

		case opSlices:
			max := int(int8(lo)) % 6
			dst = append(dst[:0], nil) // a pre-existing entry that must survive
			dst = l.Slices(dst, max)
			if dst[0] != nil {
				t.Fatal("Slices overwrote an existing dst entry")
			}
			got := dst[1:]
			all := l.Slices(nil, 0)
			want := len(all)
			if max > 0 && max < want {
				want = max
			}
			if len(got) != want {
				t.Fatalf("Slices(max=%d) gave %d slices of %d", max, len(got), len(all))
			}
			rest := model
			for i, s := range got {
				if &s[0] != &all[i][0] || len(s) != len(all[i]) {
					t.Fatalf("Slices(max=%d)[%d] differs from the unlimited call", max, i)
				}
				if string(s) != string(rest[:len(s)]) {
					t.Fatalf("Slices(max=%d)[%d] does not continue the data", max, i)
				}
				rest = rest[len(s):]
			}

		case opReset:
			l.Reset()
			model = model[:0]
		}
		checkList(t, &l, model)
	}
}
