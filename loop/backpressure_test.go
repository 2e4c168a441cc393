package loop

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// firehose writes an endless numbered stream while the connection takes
// output, and waits for OnWritable when it does not: lws's
// callback-on-writable producer.
type firehose struct {
	BaseHandler
	next      uint32
	limit     uint32 // words to send in all
	peak      atomic.Int64
	writables atomic.Int64
	refused   atomic.Int64
}

const fireBlock = 4096

func (f *firehose) OnOpen(c *Conn) { f.produce(c) }

func (f *firehose) OnWritable(c *Conn) {
	f.writables.Add(1)
	f.produce(c)
}

func (f *firehose) produce(c *Conn) {
	var block [fireBlock]byte
	for c.Writable() && f.next < f.limit {
		next := f.next
		for i := 0; i < fireBlock; i += 4 {
			binary.BigEndian.PutUint32(block[i:], next)
			next++
		}
		atomic.StoreUint32(&f.next, next) // the test reads it concurrently
		if err := c.Write(block[:]); err != nil {
			f.refused.Add(1)
			return
		}
		if b := int64(c.Buffered()); b > f.peak.Load() {
			f.peak.Store(b)
		}
	}
	if f.next < f.limit {
		c.RequestWritable()
		return
	}
	c.Close()
}

// TestSlowReader: the peer stops reading. The server's buffered output
// stops at the cap, the producer is told to wait, and when the peer
// resumes every byte arrives in order.
func TestSlowReader(t *testing.T) {
	const capBytes = 256 << 10
	const total = 64 << 20 // bytes, far past any socket buffer
	f := &firehose{limit: total / 4}
	e := newEngine(t, Config{Loops: 1, MaxBuffered: capBytes})
	ln, err := e.Listen("tcp4", "127.0.0.1:0", f)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(64 << 10)

	// Stall: read nothing for a while. The producer must be parked.
	time.Sleep(300 * time.Millisecond)
	w0 := f.writables.Load()
	next0 := atomic.LoadUint32(&f.next)
	time.Sleep(200 * time.Millisecond)
	if next := atomic.LoadUint32(&f.next); next != next0 || f.writables.Load() != w0 {
		t.Fatalf("producer kept going while the peer was stalled: %d -> %d words", next0, next)
	}
	if peak := f.peak.Load(); peak > capBytes+fireBlock {
		t.Fatalf("buffered output peaked at %d, cap %d + one block", peak, capBytes)
	}

	// Resume and check the whole stream.
	r := bufio.NewReaderSize(conn, 64<<10)
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	var word [4]byte
	for want := uint32(0); want < f.limit; want++ {
		if _, err := io.ReadFull(r, word[:]); err != nil {
			t.Fatalf("after %d words: %v", want, err)
		}
		if got := binary.BigEndian.Uint32(word[:]); got != want {
			t.Fatalf("word %d = %d: stream out of order", want, got)
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("after the stream: %v, want EOF", err)
	}
	t.Logf("%d MiB through a %d KiB cap: peak buffered %d B, %d OnWritable calls, %d refused writes",
		total>>20, capBytes>>10, f.peak.Load(), f.writables.Load(), f.refused.Load())
	if f.refused.Load() != 0 {
		t.Fatal("a write was refused although the producer checked Writable")
	}
}

// TestEchoPeerNotReading: a peer that sends without reading cannot make
// the echo server buffer without bound: reading pauses at the cap, and
// nothing is lost once the peer reads.
func TestEchoPeerNotReading(t *testing.T) {
	const capBytes = 128 << 10
	const total = 32 << 20
	var peak atomic.Int64
	h := &funcHandler{data: func(c *Conn, p []byte) {
		if err := c.Write(p); err != nil {
			t.Errorf("echo write: %v", err)
		}
		if b := int64(c.Buffered()); b > peak.Load() {
			peak.Store(b)
		}
	}}
	cfg := Config{Loops: 1, MaxBuffered: capBytes}
	e := newEngine(t, cfg)
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var sent atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writer: blocks once every buffer on the way is full
		defer wg.Done()
		buf := make([]byte, 16<<10)
		for off := 0; off < total; off += len(buf) {
			for i := range buf {
				buf[i] = byte((off + i) % 251)
			}
			if _, err := conn.Write(buf); err != nil {
				return
			}
			sent.Add(int64(len(buf)))
		}
	}()
	time.Sleep(500 * time.Millisecond)
	stalledAt := sent.Load()
	if stalledAt >= total {
		t.Fatal("the writer was never stalled: no backpressure reached it")
	}
	if p := peak.Load(); p > capBytes+int64(cfg.withDefaults().ReadBufferSize) {
		t.Fatalf("server buffered %d > cap %d + one read", p, capBytes)
	}
	r := bufio.NewReaderSize(conn, 64<<10)
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for i := 0; i < total; i++ {
		b, err := r.ReadByte()
		if err != nil {
			t.Fatalf("at %d: %v", i, err)
		}
		if b != byte(i%251) {
			t.Fatalf("byte %d = %d, want %d", i, b, i%251)
		}
	}
	wg.Wait()
	t.Logf("writer stalled after %d KiB; server peak buffered %d KiB (cap %d KiB); %d MiB echoed in order",
		stalledAt>>10, peak.Load()>>10, capBytes>>10, total>>20)
}
