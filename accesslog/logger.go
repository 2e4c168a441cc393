package accesslog

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/valyala/bytebufferpool"
)

// chunkSize is the capacity of the chunks Buffers fill and hand over. At
// 100-300 bytes a line a chunk holds a few hundred lines, so the writer
// makes one write(2) per few hundred requests.
const chunkSize = 64 << 10

// maxQueued bounds the chunks waiting for the writer. With the chunk in
// the writer's hands and one partial chunk per Buffer, this bounds the
// log's memory at about (maxQueued + 1 + buffers) * chunkSize, whatever
// the writer's speed.
const maxQueued = 16

// ErrClosed is returned by a second Close.
var ErrClosed = errors.New("accesslog: logger closed")

// Logger owns the writer goroutine and the queue in front of it.
type Logger struct {
	w       io.Writer
	queue   chan *bytebufferpool.ByteBuffer
	done    chan struct{}
	chunks  bytebufferpool.Pool
	dropped atomic.Int64
	// writeErr is the first error from w; written by the writer
	// goroutine, read only after done is closed.
	writeErr error

	// mu guards the fields below and orders every send on queue before
	// the close(queue) in Close.
	mu      sync.RWMutex
	buffers []*Buffer
	closing bool // Close has started: new Buffers start closed
	closed  bool // queue is closed: nothing may be sent
}

// New starts a Logger writing to w. w is only ever called from the
// Logger's goroutine, so it need not be safe for concurrent use.
func New(w io.Writer) *Logger {
	l := &Logger{
		w:     w,
		queue: make(chan *bytebufferpool.ByteBuffer, maxQueued),
		done:  make(chan struct{}),
	}
	go l.run()
	return l
}

// NewBuffer returns a Buffer feeding this Logger. Make one per event loop;
// it lives as long as the Logger.
func (l *Logger) NewBuffer() *Buffer {
	b := &Buffer{l: l}
	l.mu.Lock()
	defer l.mu.Unlock()
	b.closed = l.closing
	if !l.closing {
		l.buffers = append(l.buffers, b)
	}
	return b
}

// Close flushes every Buffer, waits until the writer has written all
// queued chunks, and returns the first error the writer got, if any.
// Appends after Close are dropped and counted. It does not close w.
func (l *Logger) Close() error {
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closing = true
	buffers := l.buffers
	l.buffers = nil
	l.mu.Unlock()

	for _, b := range buffers {
		b.close()
	}
	l.mu.Lock()
	l.closed = true
	close(l.queue)
	l.mu.Unlock()
	<-l.done
	return l.writeErr
}

// Dropped returns how many lines were dropped because the writer fell
// behind (or arrived after Close).
func (l *Logger) Dropped() int64 { return l.dropped.Load() }

// run is the writer goroutine.
func (l *Logger) run() {
	defer close(l.done)
	for c := range l.queue {
		if _, err := l.w.Write(c.B); err != nil && l.writeErr == nil {
			l.writeErr = err
		}
		l.putChunk(c)
	}
}

// send queues a chunk for the writer. Without wait it never blocks and
// reports false when the queue is full; with wait (only at Close) it
// waits for room. It reports false once the Logger is closed.
func (l *Logger) send(c *bytebufferpool.ByteBuffer, wait bool) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return false
	}
	if wait {
		l.queue <- c
		return true
	}
	select {
	case l.queue <- c:
		return true
	default:
		return false
	}
}

// getChunk takes an empty chunk with room for chunkSize bytes.
func (l *Logger) getChunk() *bytebufferpool.ByteBuffer {
	c := l.chunks.Get()
	if cap(c.B) < chunkSize {
		c.B = make([]byte, 0, chunkSize)
	}
	return c
}

// putChunk returns a chunk to the pool at its full length: the pool
// calibrates on the lengths it is given, and if it saw the short lengths
// of partly filled chunks it would start discarding full-size ones.
func (l *Logger) putChunk(c *bytebufferpool.ByteBuffer) {
	c.B = c.B[:cap(c.B)]
	l.chunks.Put(c)
}
