package buflist

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// raceEnabled is set by race_test.go. Under the race detector sync.Pool
// deliberately drops a share of Puts to shake out lifetime bugs, so the
// zero-allocation tests cannot hold there.
var raceEnabled bool

// patternPeriod exceeds the most data any test holds in a List at once
// (fuzzMaxLen plus one append), so data that is reordered, duplicated or
// lost within a list can never line up with the same bytes by accident.
const patternPeriod = 4 << 20

// pattern is patternPeriod pseudo-random bytes followed by a copy of its first
// 64 KiB, so that any run of up to 64 KiB starting anywhere in the period is
// one contiguous slice. Random rather than arithmetic content also makes
// stale bytes from a recycled chunk stand out.
var pattern = sync.OnceValue(func() []byte {
	r := rand.New(rand.NewPCG(0x6275666c, 0x697374))
	p := make([]byte, patternPeriod+64<<10)
	for i := 0; i < patternPeriod; i += 8 {
		binary.LittleEndian.PutUint64(p[i:], r.Uint64())
	}
	copy(p[patternPeriod:], p)
	return p
})

// gen hands out the pattern stream from its current position, so every
// appended byte is determined by its absolute position in the stream.
type gen struct{ pos int }

// next returns the next n bytes of the stream. Short runs alias the shared
// pattern and must not be modified; that keeps the fuzz target, which
// generates up to 64 KiB per op, free of allocation and byte loops.
func (g *gen) next(n int) []byte {
	p := pattern()
	off := g.pos % patternPeriod
	g.pos += n
	if off+n <= len(p) {
		return p[off : off+n : off+n]
	}
	out := make([]byte, 0, n)
	for len(out) < n {
		k := min(n-len(out), patternPeriod-off)
		out = append(out, p[off:off+k]...)
		off = 0
	}
	return out
}

// checkInvariants verifies the internal invariants documented on queue.
func checkInvariants(t testing.TB, l *List) {
	t.Helper()
	q := l.q
	if q == nil {
		return
	}
	if q.n <= 0 {
		t.Fatalf("non-nil queue with n=%d; empty lists must release their queue", q.n)
	}
	if q.head >= len(q.chunks) {
		t.Fatalf("head=%d with %d chunk slots: no live chunk", q.head, len(q.chunks))
	}
	for i := range q.chunks[:cap(q.chunks)] {
		c := q.chunks[:cap(q.chunks)][i]
		live := i >= q.head && i < len(q.chunks)
		if !live {
			if c != nil {
				t.Fatalf("dead slot %d still points at a chunk", i)
			}
			continue
		}
		if c == nil {
			t.Fatalf("live slot %d is nil", i)
		}
		if cap(c.B) < ChunkSize {
			t.Fatalf("chunk %d has capacity %d < ChunkSize", i, cap(c.B))
		}
		if len(c.B) == 0 || len(c.B) > ChunkSize {
			t.Fatalf("chunk %d holds %d bytes", i, len(c.B))
		}
		if i < len(q.chunks)-1 && len(c.B) != ChunkSize {
			t.Fatalf("non-tail chunk %d holds %d bytes, want ChunkSize", i, len(c.B))
		}
	}
	if q.off < 0 || q.off >= len(q.chunks[q.head].B) {
		t.Fatalf("off=%d outside first chunk of %d bytes", q.off, len(q.chunks[q.head].B))
	}
	total := -q.off
	for _, c := range q.chunks[q.head:] {
		total += len(c.B)
	}
	if total != q.n {
		t.Fatalf("chunks hold %d unsent bytes, n=%d", total, q.n)
	}
}

// checkList verifies every observer of l against the reference want.
func checkList(t testing.TB, l *List, want []byte) {
	t.Helper()
	checkInvariants(t, l)
	if got := l.Len(); got != len(want) {
		t.Fatalf("Len()=%d, want %d", got, len(want))
	}
	if got := l.Empty(); got != (len(want) == 0) {
		t.Fatalf("Empty()=%v with %d bytes expected", got, len(want))
	}
	front := l.Front()
	if len(want) == 0 {
		if front != nil {
			t.Fatalf("Front()=%d bytes on an empty list, want nil", len(front))
		}
	} else if len(front) == 0 || !bytes.Equal(front, want[:len(front)]) {
		t.Fatalf("Front() (%d bytes) is not a non-empty prefix of the data", len(front))
	}
	if cap(front) != len(front) {
		t.Fatalf("Front() capacity %d exceeds its length %d", cap(front), len(front))
	}
	rest := want
	for i, s := range l.Slices(nil, 0) {
		if len(s) == 0 || len(s) > len(rest) || !bytes.Equal(s, rest[:len(s)]) {
			t.Fatalf("Slices()[%d] (%d bytes) does not continue the data", i, len(s))
		}
		if cap(s) != len(s) {
			t.Fatalf("Slices()[%d] capacity %d exceeds its length %d", i, cap(s), len(s))
		}
		rest = rest[len(s):]
	}
	if len(rest) != 0 {
		t.Fatalf("Slices() is %d bytes short", len(rest))
	}
	if got := l.Bytes(); !bytes.Equal(got, want) {
		t.Fatalf("Bytes() differs from the data (%d vs %d bytes)", len(got), len(want))
	}
}

// sliceLens summarises Slices for readable failure messages.
func sliceLens(ss [][]byte) []int {
	n := make([]int, len(ss))
	for i, s := range ss {
		n[i] = len(s)
	}
	return n
}

func TestSize(t *testing.T) {
	// List is embedded in every connection; guard against accidental growth.
	if got := unsafe.Sizeof(List{}); got != unsafe.Sizeof(uintptr(0)) {
		t.Fatalf("unsafe.Sizeof(List{}) = %d, want one pointer", got)
	}
}

func TestZeroValue(t *testing.T) {
	var l List
	checkList(t, &l, nil)
	if got := l.Bytes(); got != nil {
		t.Fatalf("Bytes() on empty list = %v, want nil", got)
	}
	dst := [][]byte{[]byte("keep")}
	if got := l.Slices(dst, 0); len(got) != 1 || string(got[0]) != "keep" {
		t.Fatalf("Slices on empty list changed dst: %q", got)
	}
	l.Consume(0)
	l.Reset()
	checkList(t, &l, nil)
}

func TestAppendEmpty(t *testing.T) {
	var l List
	l.Append(nil)
	l.Append([]byte{})
	l.AppendString("")
	if l.q != nil {
		t.Fatal("appending nothing took a queue from the pool")
	}
	checkList(t, &l, nil)

	l.AppendString("x")
	l.Append(nil)
	l.AppendString("")
	checkList(t, &l, []byte("x"))
	l.Reset()
}

func TestAppendSmallSharesChunk(t *testing.T) {
	var l List
	defer l.Reset()
	l.Append([]byte("hello, "))
	l.AppendString("world")
	checkList(t, &l, []byte("hello, world"))
	if n := len(l.Slices(nil, 0)); n != 1 {
		t.Fatalf("small appends used %d chunks, want 1", n)
	}
}

func TestAppendFillsTailBeforeNewChunk(t *testing.T) {
	var l List
	defer l.Reset()
	var g gen
	var want []byte
	for _, n := range []int{ChunkSize - 1, 1, 1, ChunkSize - 1, 5} {
		p := g.next(n)
		l.Append(p)
		want = append(want, p...)
		checkList(t, &l, want)
	}
	got := sliceLens(l.Slices(nil, 0))
	if fmt.Sprint(got) != fmt.Sprint([]int{ChunkSize, ChunkSize, 5}) {
		t.Fatalf("chunk lengths %v", got)
	}
}

func TestLargeAppend(t *testing.T) {
	for _, tc := range []struct {
		n    int
		lens []int
	}{
		{ChunkSize, []int{ChunkSize}},
		{ChunkSize + 1, []int{ChunkSize, 1}},
		{3*ChunkSize + ChunkSize/2, []int{ChunkSize, ChunkSize, ChunkSize, ChunkSize / 2}},
		{10 * ChunkSize, []int{ChunkSize, ChunkSize, ChunkSize, ChunkSize, ChunkSize, ChunkSize, ChunkSize, ChunkSize, ChunkSize, ChunkSize}},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			var g gen
			p := g.next(tc.n)
			for _, str := range []bool{false, true} {
				var l List
				if str {
					l.AppendString(string(p))
				} else {
					l.Append(p)
				}
				checkList(t, &l, p)
				if got := sliceLens(l.Slices(nil, 0)); fmt.Sprint(got) != fmt.Sprint(tc.lens) {
					t.Fatalf("string=%v: chunk lengths %v, want %v", str, got, tc.lens)
				}
				l.Reset()
			}
		})
	}
}

func TestAppendCopies(t *testing.T) {
	var l List
	defer l.Reset()
	p := []byte("abc")
	l.Append(p)
	p[0] = 'X'
	checkList(t, &l, []byte("abc"))
}

func TestConsumeZero(t *testing.T) {
	var l List
	defer l.Reset()
	l.Consume(0)
	l.AppendString("abc")
	l.Consume(0)
	checkList(t, &l, []byte("abc"))
}

func TestConsumePartial(t *testing.T) {
	var l List
	defer l.Reset()
	l.AppendString("abcdef")
	l.Consume(2)
	checkList(t, &l, []byte("cdef"))
	l.AppendString("gh")
	checkList(t, &l, []byte("cdefgh"))
	l.Consume(3)
	checkList(t, &l, []byte("fgh"))
}

func TestConsumeAtChunkBoundary(t *testing.T) {
	var l List
	defer l.Reset()
	var g gen
	want := g.next(2*ChunkSize + 100)
	l.Append(want)

	first := l.q.chunks[l.q.head]
	l.Consume(ChunkSize)
	want = want[ChunkSize:]
	checkList(t, &l, want)
	if got := sliceLens(l.Slices(nil, 0)); fmt.Sprint(got) != fmt.Sprint([]int{ChunkSize, 100}) {
		t.Fatalf("after consuming one chunk: lengths %v", got)
	}
	for _, c := range l.q.chunks[l.q.head:] {
		if c == first {
			t.Fatal("fully consumed chunk is still queued")
		}
	}

	// Straddle the next boundary: finish chunk two and eat into the tail.
	l.Consume(ChunkSize + 1)
	want = want[ChunkSize+1:]
	checkList(t, &l, want)

	// Consume exactly to the end.
	l.Consume(len(want))
	checkList(t, &l, nil)
	if l.q != nil {
		t.Fatal("drained list kept its queue")
	}
}

func TestConsumeWholeFrontRepeatedly(t *testing.T) {
	var l List
	var g gen
	want := g.next(5*ChunkSize + 7)
	l.Append(want)
	for !l.Empty() {
		n := len(l.Front())
		l.Consume(n)
		want = want[n:]
		checkList(t, &l, want)
	}
	if len(want) != 0 {
		t.Fatalf("%d bytes left in the reference", len(want))
	}
}

func TestConsumePanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill int
		n    int
	}{
		{"empty", 0, 1},
		{"beyond", 10, 11},
		{"beyond-chunks", 3 * ChunkSize, 3*ChunkSize + 1},
		{"negative", 10, -1},
		{"negative-empty", 0, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l List
			defer l.Reset()
			var g gen
			want := g.next(tc.fill)
			l.Append(want)
			func() {
				defer func() {
					if recover() == nil {
						t.Fatalf("Consume(%d) with Len()=%d did not panic", tc.n, tc.fill)
					}
				}()
				l.Consume(tc.n)
			}()
			// The panic must leave the list untouched.
			checkList(t, &l, want)
		})
	}
}

func TestSlicesMax(t *testing.T) {
	var l List
	defer l.Reset()
	var g gen
	want := g.next(3*ChunkSize + 10)
	l.Append(want)
	l.Consume(5)
	want = want[5:]

	for _, tc := range []struct {
		max  int
		lens []int
	}{
		{-1, []int{ChunkSize - 5, ChunkSize, ChunkSize, 10}},
		{0, []int{ChunkSize - 5, ChunkSize, ChunkSize, 10}},
		{1, []int{ChunkSize - 5}},
		{2, []int{ChunkSize - 5, ChunkSize}},
		{4, []int{ChunkSize - 5, ChunkSize, ChunkSize, 10}},
		{100, []int{ChunkSize - 5, ChunkSize, ChunkSize, 10}},
	} {
		// Slices appends: existing entries of dst must survive.
		dst := [][]byte{[]byte("sentinel")}
		got := l.Slices(dst, tc.max)
		if string(got[0]) != "sentinel" {
			t.Fatalf("max=%d: Slices overwrote dst[0]", tc.max)
		}
		got = got[1:]
		if fmt.Sprint(sliceLens(got)) != fmt.Sprint(tc.lens) {
			t.Fatalf("max=%d: lengths %v, want %v", tc.max, sliceLens(got), tc.lens)
		}
		if !bytes.Equal(bytes.Join(got, nil), want[:len(bytes.Join(got, nil))]) {
			t.Fatalf("max=%d: content is not the data prefix", tc.max)
		}
	}
}

func TestSlicesReuseDst(t *testing.T) {
	var l List
	defer l.Reset()
	l.AppendString(strings.Repeat("a", ChunkSize+1))
	dst := make([][]byte, 0, 4)
	dst = l.Slices(dst[:0], 0)
	dst = l.Slices(dst[:0], 0)
	if len(dst) != 2 {
		t.Fatalf("reused dst has %d slices, want 2", len(dst))
	}
}

func TestSlicesCannotClobberTail(t *testing.T) {
	var l List
	defer l.Reset()
	l.AppendString("abc")
	s := l.Slices(nil, 0)
	_ = append(s[0], "XYZ"...) // must reallocate, not write into the chunk
	_ = append(l.Front(), "XYZ"...)
	l.AppendString("def")
	checkList(t, &l, []byte("abcdef"))
}

func TestFront(t *testing.T) {
	var l List
	defer l.Reset()
	if l.Front() != nil {
		t.Fatal("Front of empty list is not nil")
	}
	var g gen
	want := g.next(ChunkSize + 3)
	l.Append(want)
	if f := l.Front(); !bytes.Equal(f, want[:ChunkSize]) {
		t.Fatalf("Front is %d bytes, want the first chunk", len(f))
	}
	l.Consume(ChunkSize - 1)
	if f := l.Front(); !bytes.Equal(f, want[ChunkSize-1:ChunkSize]) {
		t.Fatalf("Front is %d bytes, want the last byte of chunk one", len(f))
	}
	l.Consume(1)
	if f := l.Front(); !bytes.Equal(f, want[ChunkSize:]) {
		t.Fatalf("Front is %d bytes, want the tail chunk", len(f))
	}
}

func TestReset(t *testing.T) {
	var l List
	var g gen
	l.Append(g.next(3*ChunkSize + 1))
	l.Consume(100)
	l.Reset()
	checkList(t, &l, nil)
	if l.q != nil {
		t.Fatal("Reset kept the queue")
	}
	l.Reset() // idempotent

	// The list is fully usable after Reset.
	want := g.next(ChunkSize + 1)
	l.Append(want)
	checkList(t, &l, want)
	l.Reset()
}

func TestBytesIsCopy(t *testing.T) {
	var l List
	defer l.Reset()
	l.AppendString("abc")
	b := l.Bytes()
	b[0] = 'X'
	checkList(t, &l, []byte("abc"))
}

// TestDeepBacklog drives the chunk-pointer queue through growth beyond the
// inline array and through compaction, interleaving appends and consumes so
// the queue's head moves while it grows.
func TestDeepBacklog(t *testing.T) {
	var l List
	var g gen
	var want []byte
	step := 0
	for round := range 6 {
		for range 40 {
			p := g.next(ChunkSize/3 + step%1000)
			l.Append(p)
			want = append(want, p...)
			if step%3 == 0 {
				n := min(len(want), ChunkSize/2+step)
				l.Consume(n)
				want = want[n:]
			}
			step++
		}
		checkList(t, &l, want)
		if round%2 == 1 {
			// Drain by whole chunks to cover boundary consumes on a
			// long queue.
			for l.Len() > ChunkSize {
				n := len(l.Front())
				l.Consume(n)
				want = want[n:]
			}
			checkList(t, &l, want)
		}
	}
	l.Consume(len(want))
	checkList(t, &l, nil)
}

// TestDrainedQueueDropsHugeArray checks that a queue which grew for a huge
// backlog does not carry its big pointer array back into the pool.
func TestDrainedQueueDropsHugeArray(t *testing.T) {
	var l List
	l.AppendString(strings.Repeat("z", (maxKeptChunks+1)*ChunkSize))
	q := l.q
	if cap(q.chunks) <= maxKeptChunks {
		t.Fatalf("test setup: pointer array cap %d did not exceed %d", cap(q.chunks), maxKeptChunks)
	}
	l.Consume(l.Len())
	// q is back in the pool, but nothing else runs concurrently here.
	if cap(q.chunks) != inlineChunks || len(q.chunks) != 0 || &q.chunks[:1][0] != &q.inline[0] {
		t.Fatalf("drained queue kept a %d-slot array", cap(q.chunks))
	}
	for i, c := range q.inline {
		if c != nil {
			t.Fatalf("drained queue still references a chunk in inline[%d]", i)
		}
	}
}

// TestPutChunkKeepsCalibrationHealthy guards putChunk's length trick:
// bytebufferpool recalibrates every 42000 Puts from the buffer lengths it
// sees, and must keep accepting our chunks afterwards.
func TestPutChunkKeepsCalibrationHealthy(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	var l List
	one := []byte{1}
	cycle := func() {
		// Each cycle takes one chunk from the pool and puts it back.
		l.Append(one)
		l.Consume(1)
	}
	for range 100_000 {
		cycle()
	}
	if a := testing.AllocsPerRun(1000, cycle); a != 0 {
		t.Fatalf("%.0f allocs per cycle after pool calibration, want 0", a)
	}
}

func TestAllocsSteadyState(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	data := make([]byte, 1<<10)
	str := string(make([]byte, 1<<10))
	big := make([]byte, 40<<10)
	dst := make([][]byte, 0, 8)
	var l List

	for _, tc := range []struct {
		name  string
		cycle func()
	}{
		{"1KiB", func() {
			l.Append(data)
			dst = l.Slices(dst[:0], 0)
			l.Consume(l.Len())
		}},
		{"1KiB-string", func() {
			l.AppendString(str)
			dst = l.Slices(dst[:0], 0)
			l.Consume(l.Len())
		}},
		{"40KiB-in-pieces", func() {
			// Crosses chunk boundaries both when appending and
			// when consuming, like a socket taking 7 KiB at a time.
			l.Append(big)
			for !l.Empty() {
				dst = l.Slices(dst[:0], 0)
				l.Consume(min(l.Len(), 7<<10))
			}
		}},
		{"backlogged", func() {
			// The list never drains: chunks and the pointer queue
			// cycle without the queue going back to its pool.
			l.Append(big)
			dst = l.Slices(dst[:0], 2)
			l.Consume(len(big))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "backlogged" {
				l.Append(big)
				defer l.Reset()
			}
			for range 100 {
				tc.cycle()
			}
			if a := testing.AllocsPerRun(1000, tc.cycle); a != 0 {
				t.Fatalf("%.0f allocs per cycle, want 0", a)
			}
		})
	}
}

func BenchmarkAppendConsume(b *testing.B) {
	for _, size := range []int{64, 1 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			data := make([]byte, size)
			var l List
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				l.Append(data)
				l.Consume(size)
			}
		})
	}
}

// BenchmarkWriteCycle models the reactor's write path: append, gather for
// writev, then consume what a kernel taking 4 KiB per call would accept.
func BenchmarkWriteCycle(b *testing.B) {
	for _, size := range []int{64, 1 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			data := make([]byte, size)
			dst := make([][]byte, 0, 8)
			var l List
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				l.Append(data)
				for !l.Empty() {
					dst = l.Slices(dst[:0], 0)
					l.Consume(min(l.Len(), 4<<10))
				}
			}
		})
	}
}
