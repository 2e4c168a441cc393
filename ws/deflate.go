package ws

import (
	"github.com/klauspost/compress/flate"
	"io"
	"slices"
	"sync"
)

// permessage-deflate (RFC 7692) over klauspost/compress/flate (the standard
// library's API, faster: a message with no context takeover compresses
// 1.7× as fast at the level the server uses).
//
// flate decompresses by pulling from an io.Reader and keeps its
// first read error for good, so it cannot stop at the end of a fragment
// and resume when the next arrives. An Inflater therefore gathers a
// message's compressed bytes and decompresses them at the message's end:
// the compressed size is bounded along the way and the output by the
// caller's limit, so neither a long message nor a decompression bomb can
// make it hold more than about twice the limit.
//
// Both directions use a 32 KiB window, which is also all the flate package
// can compress with: an offer of server_max_window_bits below 15 is
// declined in negotiation ([NegotiateDeflate]); client_max_window_bits,
// which bounds the peer's compressor, costs the Inflater nothing.

// deflateTail is the empty stored block a sender strips from the end of
// each compressed message (RFC 7692 §7.2.1) and the receiver appends back
// (§7.2.2); finalBlock, an empty stored block with BFINAL set, follows it
// so that the decompressor ends the message with io.EOF instead of
// waiting for more input.
var (
	deflateTail = [4]byte{0x00, 0x00, 0xff, 0xff}
	finalBlock  = [5]byte{0x01, 0x00, 0x00, 0xff, 0xff}
)

const (
	windowSize = 32 << 10
	// keepBuffer is the capacity a buffer may keep between messages;
	// a larger one, left by an unusually long message, is dropped.
	keepBuffer = 64 << 10
)

// Inflater decompresses the messages of one direction of one connection.
// Its zero value is ready, with context takeover: each message may refer
// to the last 32 KiB of the ones before (RFC 7692 §7.2.2). Set
// NoContextTakeover, before the first message, when the sender agreed not
// to (the peer's *_no_context_takeover parameter): the Inflater then
// keeps no history.
type Inflater struct {
	NoContextTakeover bool

	fr   io.ReadCloser // a flate.Resetter, borrowed from readerPool during a message
	inb  *[]byte       // the pooled buffer behind in, during a message
	src  sliceReader
	in   []byte // the message's compressed bytes so far
	hist []byte // the last windowSize bytes of output, with context takeover
}

// Inflate takes the next piece of a compressed message. Until final it
// only keeps the piece and returns dst; with final it decompresses the
// whole message, appending it to dst. limit bounds the decompressed
// message (a negative limit means no bound): past it Inflate stops and
// returns [ErrTooBig], as it does when the compressed bytes themselves
// outgrow what a message of limit bytes can take. Data that does not
// decompress is [ErrInvalidFlate]. After an error the message is dropped;
// the connection is meant to be failed.
func (f *Inflater) Inflate(dst, compressed []byte, final bool, limit int64) ([]byte, error) {
	if limit >= 0 && int64(len(f.in))+int64(len(compressed)) > compressedBound(limit) {
		f.release()
		return dst, ErrTooBig
	}
	if f.inb == nil && len(compressed) > 0 {
		f.inb = getBuf() // borrowed for the message: an idle Inflater holds none
		f.in = *f.inb
	}
	f.in = append(f.in, compressed...)
	if !final {
		return dst, nil
	}
	f.in = append(append(f.in, deflateTail[:]...), finalBlock[:]...)
	f.src = sliceReader{b: f.in}
	var dict []byte
	if !f.NoContextTakeover {
		dict = f.hist
	}
	// The decompressor (about 40 KiB of state) is borrowed for the
	// message and returned after it: an idle connection holds none.
	if fr, ok := readerPool.Get().(io.ReadCloser); ok {
		f.fr = fr
		if err := f.fr.(flate.Resetter).Reset(&f.src, dict); err != nil {
			readerPool.Put(f.fr)
			f.fr = nil
			return dst, ErrInvalidFlate
		}
	} else {
		f.fr = flate.NewReaderDict(&f.src, dict)
	}
	defer func() {
		readerPool.Put(f.fr)
		f.fr = nil
	}()
	start := len(dst)
	var err error
	for {
		// Read at most one byte past the limit: enough to see it broken.
		left := int64(1<<62 - 1)
		if limit >= 0 {
			left = limit - int64(len(dst)-start) + 1
		}
		if len(dst) == cap(dst) {
			// Double what came out so far, from 4 KiB, up to the limit.
			dst = slices.Grow(dst, int(min(int64(max(4<<10, len(dst)-start)), left)))
		}
		room := dst[len(dst):cap(dst)]
		if int64(len(room)) > left {
			room = room[:left]
		}
		n, rerr := f.fr.Read(room)
		dst = dst[:len(dst)+n]
		if limit >= 0 && int64(len(dst)-start) > limit {
			err = ErrTooBig
			break
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = ErrInvalidFlate
			break
		}
	}
	f.src = sliceReader{}
	f.release()
	if err != nil {
		return dst[:start], err
	}
	if !f.NoContextTakeover {
		f.remember(dst[start:])
	}
	return dst, nil
}

// readerPool holds decompressors between messages, shared by every
// Inflater of the process.
var readerPool sync.Pool

// bufPool lends message buffers (compressed input, decompressed output)
// for the length of a message, so that connections between messages hold
// none and a busy one allocates none.
var bufPool sync.Pool

func getBuf() *[]byte {
	if b, ok := bufPool.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 4<<10)
	return &b
}

// putBuf returns b to the pool, unless it grew past four times
// keepBuffer (a rare huge message should not stay pooled).
func putBuf(b *[]byte) {
	if b != nil && cap(*b) <= 4*keepBuffer {
		bufPool.Put(b)
	}
}

// release returns the message's input buffer to the pool.
func (f *Inflater) release() {
	if f.inb != nil {
		*f.inb = f.in[:0]
		putBuf(f.inb)
	}
	f.inb, f.in = nil, nil
}

// Reset drops a message in progress and the history, as for a new
// connection.
func (f *Inflater) Reset() {
	f.release()
	f.hist = f.hist[:0]
}

// remember appends out to the history, keeping its last windowSize bytes.
func (f *Inflater) remember(out []byte) {
	if len(out) >= windowSize {
		f.hist = append(f.hist[:0], out[len(out)-windowSize:]...)
		return
	}
	if cap(f.hist) < windowSize {
		f.hist = append(make([]byte, 0, windowSize), f.hist...)
	}
	if extra := len(f.hist) + len(out) - windowSize; extra > 0 {
		f.hist = f.hist[:copy(f.hist, f.hist[extra:])]
	}
	f.hist = append(f.hist, out...)
}

// compressedBound is the most compressed bytes accepted for a message of
// at most limit bytes: the message itself plus stored-block overhead (5
// bytes per 64 KiB) with room to spare.
func compressedBound(limit int64) int64 {
	if limit > 1<<60 {
		return 1 << 62
	}
	return limit + limit>>10 + 64
}

// trim empties b, dropping it if it grew past keepBuffer.
func trim(b []byte) []byte {
	if cap(b) > keepBuffer {
		return nil
	}
	return b[:0]
}

// sliceReader is the decompressor's input: it implements io.ByteReader,
// so flate reads it directly instead of wrapping it in a
// bufio.Reader (an allocation per message).
type sliceReader struct {
	b []byte
	i int
}

func (r *sliceReader) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}

func (r *sliceReader) ReadByte() (byte, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	c := r.b[r.i]
	r.i++
	return c, nil
}

// Deflater compresses the messages of one direction of one connection
// (RFC 7692 §7.2.1). With context takeover it keeps flate's
// whole compressor between messages (about 650 KiB at levels 2–9, less at
// level 1); with NoContextTakeover it resets it before each message, so a
// role may share one Deflater among the connections of a loop.
type Deflater struct {
	noContextTakeover bool
	fw                *flate.Writer
	sink              sliceWriter
}

// NewDeflater returns a Deflater compressing at level (a flate
// level: [flate.BestSpeed] to [flate.BestCompression],
// [flate.DefaultCompression] or [flate.HuffmanOnly]); noContextTakeover
// is the negotiated *_no_context_takeover of the compressing side. The
// error is flate's, for an invalid level.
func NewDeflater(level int, noContextTakeover bool) (*Deflater, error) {
	d := &Deflater{noContextTakeover: noContextTakeover}
	fw, err := flate.NewWriter(&d.sink, level)
	if err != nil {
		return nil, err
	}
	d.fw = fw
	return d, nil
}

// Deflate appends msg compressed to dst, ending on a byte boundary with
// the 00 00 FF FF tail removed: the payload of a message whose first frame
// has RSV1 set. An empty message compresses to a single 0x00.
func (d *Deflater) Deflate(dst, msg []byte) []byte {
	d.sink.b = dst
	if d.noContextTakeover {
		d.fw.Reset(&d.sink)
	}
	// sliceWriter never fails, so neither do Write and Flush.
	_, _ = d.fw.Write(msg)
	_ = d.fw.Flush()
	out := d.sink.b
	d.sink.b = nil
	return out[:len(out)-len(deflateTail)]
}

// sliceWriter appends what it is given to b.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
