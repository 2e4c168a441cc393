package interop_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/golws/golws/hpack"
	xhpack "golang.org/x/net/http2/hpack"
)

// Deliberate differences: we reject what RFC 7541 forbids and x/net lets
// through, so a block x/net accepts may fail here with one of these.
var stricterThanXNet = []error{
	hpack.ErrTooManyTableSizes,   // x/net takes any number of size updates
	hpack.ErrTableSizeUpdateLate, // x/net takes late ones while its table is empty
	hpack.ErrIntegerOverflow,     // x/net takes up to 9 continuation octets
}

// TestReplayAgainstXNet feeds random sequences of blocks (valid ones from
// either encoder, then mutated: bit flips, cuts, splices, random octets)
// to both decoders on one connection each: they must give the same
// verdict on every block and, on success, the same fields.
func TestReplayAgainstXNet(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var counts struct{ accepted, rejected, stricter int }
	for seq := range 300 {
		ours := hpack.NewDecoder(4096)
		ours.SetLimits(hpack.Limits{MaxStringLength: 1 << 20})
		theirs := xhpack.NewDecoder(4096, nil)
		corpus := validBlocks(rng)
		for i := range 20 {
			block := mutate(rng, corpus[rng.IntN(len(corpus))], corpus)
			fields, _, err := ours.DecodeInto(block, nil, nil)
			want, xerr := theirs.DecodeFull(block)
			if err != nil && xerr == nil && isAny(err, stricterThanXNet) {
				counts.stricter++
				break // the tables may differ from here on
			}
			if (err == nil) != (xerr == nil) {
				t.Fatalf("sequence %d block %d %x: ours %v, x/net %v", seq, i, block, err, xerr)
			}
			if err != nil {
				counts.rejected++
				break // a connection error ends the connection
			}
			counts.accepted++
			if len(fields) != len(want) {
				t.Fatalf("sequence %d block %d %x: %d fields, x/net %d", seq, i, block, len(fields), len(want))
			}
			for j := range want {
				if string(fields[j].Name) != want[j].Name || string(fields[j].Value) != want[j].Value || fields[j].Sensitive != want[j].Sensitive {
					t.Fatalf("sequence %d block %d field %d: %q: %q, x/net %+v", seq, i, j, fields[j].Name, fields[j].Value, want[j])
				}
			}
		}
	}
	t.Logf("blocks accepted %d, rejected by both %d, rejected only by us (stricter) %d",
		counts.accepted, counts.rejected, counts.stricter)
}

func isAny(err error, list []error) bool {
	for _, e := range list {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// validBlocks encodes a few random lists with each encoder, each list as
// the first block of its connection so that it stands alone.
func validBlocks(rng *rand.Rand) [][]byte {
	var out [][]byte
	for range 4 {
		data := make([]byte, 64)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		for _, l := range (&fieldSource{data}).lists() {
			ours := hpack.NewEncoder()
			block := ours.AppendBlockStart(nil)
			var buf bytes.Buffer
			theirs := xhpack.NewEncoder(&buf)
			for _, f := range l.fields {
				block = ours.AppendFieldString(block, f.Name, f.Value, f.Sensitive)
				theirs.WriteField(f)
			}
			out = append(out, block, buf.Bytes())
		}
	}
	return append(out, []byte{0x82})
}

func mutate(rng *rand.Rand, block []byte, corpus [][]byte) []byte {
	b := append([]byte(nil), block...)
	switch rng.IntN(16) {
	default: // half the time as is, so that sequences go on and refer to earlier entries
	case 1:
		if len(b) > 0 {
			b[rng.IntN(len(b))] ^= 1 << rng.IntN(8)
		}
	case 2:
		if len(b) > 0 {
			b = b[:rng.IntN(len(b))]
		}
	case 3:
		b = append(b, corpus[rng.IntN(len(corpus))]...)
	case 4:
		if len(b) > 0 {
			b[rng.IntN(len(b))] = byte(rng.Uint32())
		}
	case 5: // a random representation: indices into both tables, size updates
		b = append(b, []byte{0x80 | byte(rng.IntN(70)), 0x20 | byte(rng.IntN(32)), 0x40 | byte(rng.IntN(70))}[rng.IntN(3)])
	case 6:
		b = make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
	case 7:
		b = append([]byte{0x3f, 0xe1, 0x1f}[:rng.IntN(4)], b...) // size update prefixes
	}
	return b
}
