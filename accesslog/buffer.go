package accesslog

import (
	"sync"
	"time"

	"github.com/valyala/bytebufferpool"
)

// Buffer collects one event loop's log lines. Use one per loop: Append and
// Flush take a mutex only so that [Logger.Close] can flush the Buffer from
// another goroutine; uncontended, it costs a few nanoseconds and never
// blocks the loop.
type Buffer struct {
	l     *Logger
	mu    sync.Mutex
	cur   *bytebufferpool.ByteBuffer // nil until the first line
	lines int                        // lines in cur, counted if it is dropped
	stamp timestamp
	// closed is set by Logger.Close; lines appended later are dropped.
	closed bool
}

// Append formats e as one log line. It does not allocate (beyond taking a
// chunk from the pool when the writer has not yet returned one, and
// growing a chunk for a line larger than a chunk), never blocks on the
// writer, and copies everything it needs from e.
func (b *Buffer) Append(e *Entry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		b.l.dropped.Add(1)
		return
	}
	if b.cur != nil && len(b.cur.B)+maxLineLen(e) > cap(b.cur.B) {
		b.handOff(false)
	}
	if b.cur == nil {
		b.cur = b.l.getChunk()
	}
	t := e.Time
	if t.IsZero() {
		t = time.Now()
	}
	b.cur.B = appendEntry(b.cur.B, e, b.stamp.format(t))
	b.lines++
}

// Flush hands the lines appended so far to the writer, without waiting
// for them to be written. Call it from the loop's timer (say once a
// second) so a quiet server's lines do not sit in a partial chunk.
func (b *Buffer) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handOff(false)
}

// close flushes the Buffer, waiting for queue room, and makes later
// Appends drop.
func (b *Buffer) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handOff(true)
	b.closed = true
}

// handOff sends the current chunk to the writer. If the queue is full the
// chunk's lines are dropped, counted, and the chunk is reused.
func (b *Buffer) handOff(wait bool) {
	if b.cur == nil || b.lines == 0 {
		return
	}
	if b.l.send(b.cur, wait) {
		b.cur = nil
	} else {
		b.l.dropped.Add(int64(b.lines))
		b.cur.B = b.cur.B[:0]
	}
	b.lines = 0
}
