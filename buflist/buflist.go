// Package buflist holds a connection's unsent output as a FIFO of pooled
// byte chunks, in the spirit of libwebsockets' lws_buflist.
//
// The reactor appends whatever the kernel did not accept, later gathers the
// pending bytes with [List.Slices] for writev(2), and drops what the kernel
// took with [List.Consume]. Two properties drive the design:
//
//   - An idle connection holds nothing. A List is a single pointer; it is nil
//     whenever the list is empty, and draining the list hands every chunk and
//     the bookkeeping object back to their pools. A reactor with a million
//     quiet connections pays 8 bytes each for their output queues.
//   - The steady state does not allocate. Chunks come from a private
//     bytebufferpool.Pool and the bookkeeping object from a sync.Pool, so a
//     busy connection cycling through append/write/consume reuses memory
//     instead of producing garbage.
package buflist

import (
	"sync"

	"github.com/valyala/bytebufferpool"
)

// ChunkSize is the capacity each pooled chunk is filled to before a new one is started.
const ChunkSize = 16 << 10

// inlineChunks is how many chunk pointers a queue can track without a
// separate allocation. Four chunks (64 KiB of backlog) cover the usual case
// of a socket buffer's worth of unsent data.
const inlineChunks = 4

// maxKeptChunks bounds the chunk-pointer array a drained queue keeps when it
// returns to the pool. A queue that once grew for a huge backlog keeps its
// array up to this size (so repeated large backlogs do not reallocate it),
// but not beyond, so one pathological burst does not pin a large array in
// the pool.
const maxKeptChunks = 64

// chunkPool is our own pool rather than bytebufferpool's default one, so that
// its size calibration only ever sees our ChunkSize buffers and is not
// skewed by (or does not skew) other users of the default pool.
var chunkPool bytebufferpool.Pool

// queuePool recycles the bookkeeping of non-empty lists. It is what lets an
// empty List be a nil pointer without paying an allocation every time a
// connection's output backs up.
var queuePool sync.Pool

// List is a FIFO of pooled chunks. The zero value is an empty list ready to use.
// Not safe for concurrent use.
//
// A List must not be copied while it holds data: the copy would share (and
// eventually double-free) its chunks.
type List struct {
	// q is nil exactly when the list is empty. Keeping all state behind this
	// pointer makes List 8 bytes, the smallest thing that can be embedded
	// in every connection, and makes "idle holds nothing" structural
	// rather than a matter of careful cleanup.
	q *queue
}

// queue is the state of a non-empty List. It lives in queuePool between uses.
//
// Invariants while attached to a List:
//   - head < len(chunks), and chunks[head:] are the live chunks, oldest first;
//   - every live chunk except the last holds exactly ChunkSize bytes, and no
//     live chunk is empty;
//   - 0 <= off < len(chunks[head].B);
//   - n > 0 is the number of unsent bytes;
//   - entries of chunks outside [head, len) are nil, so the queue never keeps
//     a chunk alive after it went back to the pool.
type queue struct {
	chunks []*bytebufferpool.ByteBuffer
	head   int // index of the first live chunk
	off    int // read offset into chunks[head].B
	n      int // unsent bytes

	// inline is the initial backing array of chunks, so that a fresh queue
	// costs one allocation rather than two and small backlogs never
	// allocate a separate pointer array.
	inline [inlineChunks]*bytebufferpool.ByteBuffer
}

// getQueue takes an empty queue from the pool, or makes one.
func getQueue() *queue {
	if q, ok := queuePool.Get().(*queue); ok {
		return q
	}
	q := new(queue)
	q.chunks = q.inline[:0]
	return q
}

// getChunk takes an empty chunk with room for ChunkSize bytes.
func getChunk() *bytebufferpool.ByteBuffer {
	c := chunkPool.Get()
	if cap(c.B) < ChunkSize {
		// Only happens before the pool has calibrated (it starts out
		// handing out zero-capacity buffers) or after GC emptied it.
		c.B = make([]byte, 0, ChunkSize)
	}
	return c
}

// putChunk returns a chunk to the pool.
//
// bytebufferpool.Pool.Put calibrates from len(c.B) and resets the length
// itself. If we truncated the chunk first, every Put would be recorded as a
// tiny buffer: after the calibration threshold the pool would decide that
// anything larger than 64 bytes is an outlier and start discarding our
// chunks, turning every chunk into a fresh 16 KiB allocation. So present the
// chunk at its full capacity, which is also its true size.
func putChunk(c *bytebufferpool.ByteBuffer) {
	c.B = c.B[:cap(c.B)]
	chunkPool.Put(c)
}

// Append copies p to the end of the list, filling the tail chunk up to
// ChunkSize and then taking new chunks from the pool.
func (l *List) Append(p []byte) { appendData(l, p) }

// AppendString is like Append for a string, without converting it to a
// []byte (which could allocate).
func (l *List) AppendString(s string) { appendData(l, s) }

// appendData is the body of Append and AppendString. Being generic over the
// two byte-sequence types lets copy read straight from either, with no
// conversion and no duplicated logic.
func appendData[T string | []byte](l *List, p T) {
	if len(p) == 0 {
		// Taking a queue for nothing would break "empty means nil".
		return
	}
	q := l.q
	if q == nil {
		q = getQueue()
		l.q = q
	}
	q.n += len(p)

	// Top up the tail chunk first, so that only the last chunk is ever
	// partially filled; Slices then yields as few iovecs as possible.
	if len(q.chunks) > q.head {
		t := q.chunks[len(q.chunks)-1]
		k := copy(t.B[len(t.B):ChunkSize], p)
		t.B = t.B[:len(t.B)+k]
		p = p[k:]
	}
	for len(p) > 0 {
		c := getChunk()
		k := copy(c.B[:ChunkSize], p)
		c.B = c.B[:k]
		q.push(c)
		p = p[k:]
	}
}

// push adds c as the new tail chunk.
func (q *queue) push(c *bytebufferpool.ByteBuffer) {
	if len(q.chunks) == cap(q.chunks) {
		live := len(q.chunks) - q.head
		if live*2 <= cap(q.chunks) {
			// At least half the array is consumed slots at the front:
			// slide the live chunks down rather than grow. Requiring
			// half keeps this amortised O(1); compacting whenever
			// head > 0 could memmove the whole queue on every push
			// of a queue hovering at capacity.
			copy(q.chunks, q.chunks[q.head:])
			clear(q.chunks[live:])
		} else {
			grown := make([]*bytebufferpool.ByteBuffer, live, 2*cap(q.chunks))
			copy(grown, q.chunks[q.head:])
			// The old array may be the inline one, which stays
			// reachable; do not let it pin chunks we no longer track.
			clear(q.chunks)
			q.chunks = grown
		}
		q.chunks = q.chunks[:live]
		q.head = 0
	}
	q.chunks = append(q.chunks, c)
}

// Len returns the number of unsent bytes.
func (l *List) Len() int {
	if l.q == nil {
		return 0
	}
	return l.q.n
}

// Empty reports whether the list holds no data.
func (l *List) Empty() bool { return l.q == nil }

// Slices appends the unsent data to dst as at most max slices (the first one starts at
// the read offset) and returns dst; the slices alias the chunks and are valid until the
// next Append/Consume/Reset. max<=0 means all.
//
// Each slice's capacity equals its length, so a caller appending to one
// cannot scribble over space a later Append will fill.
func (l *List) Slices(dst [][]byte, max int) [][]byte {
	q := l.q
	if q == nil {
		return dst
	}
	live := q.chunks[q.head:]
	if max <= 0 || max > len(live) {
		max = len(live)
	}
	first := live[0].B
	dst = append(dst, first[q.off:len(first):len(first)])
	for _, c := range live[1:max] {
		dst = append(dst, c.B[:len(c.B):len(c.B)])
	}
	return dst
}

// Front returns the first unsent slice, or nil if the list is empty. It is
// the single-buffer counterpart of Slices, for callers using write(2); the
// same aliasing and capacity rules apply.
func (l *List) Front() []byte {
	q := l.q
	if q == nil {
		return nil
	}
	b := q.chunks[q.head].B
	return b[q.off:len(b):len(b)]
}

// Consume drops the first n bytes. Chunks that become fully consumed go back
// to the pool immediately, and consuming everything releases all of the
// list's memory.
//
// Consume panics if n is negative or greater than Len: the caller can only
// have written what it was given, so that is a bug, and silently clamping
// would hide lost or duplicated output.
func (l *List) Consume(n int) {
	if n == 0 {
		return
	}
	q := l.q
	if n < 0 || q == nil || n > q.n {
		panic("buflist: Consume beyond Len or negative")
	}
	if n == q.n {
		l.Reset()
		return
	}
	q.n -= n
	for {
		c := q.chunks[q.head]
		avail := len(c.B) - q.off
		if n < avail {
			q.off += n
			return
		}
		// n >= avail: this chunk is done. Because n < q.n (before the
		// subtraction) a later chunk must exist, so the queue stays
		// non-empty and the invariants hold after the pop.
		n -= avail
		q.chunks[q.head] = nil
		q.head++
		q.off = 0
		putChunk(c)
		if n == 0 {
			return
		}
	}
}

// Reset drops everything and returns all memory to the pools.
func (l *List) Reset() {
	q := l.q
	if q == nil {
		return
	}
	l.q = nil
	for _, c := range q.chunks[q.head:] {
		putChunk(c)
	}
	clear(q.chunks)
	if cap(q.chunks) > maxKeptChunks {
		q.chunks = q.inline[:0]
	} else {
		q.chunks = q.chunks[:0]
	}
	q.head, q.off, q.n = 0, 0, 0
	queuePool.Put(q)
}

// Bytes returns a fresh copy of all unsent data, or nil if the list is
// empty. It allocates and is meant for tests, debugging and simple callers;
// the write path should use Slices or Front.
func (l *List) Bytes() []byte {
	q := l.q
	if q == nil {
		return nil
	}
	out := make([]byte, 0, q.n)
	out = append(out, q.chunks[q.head].B[q.off:]...)
	for _, c := range q.chunks[q.head+1:] {
		out = append(out, c.B...)
	}
	return out
}
