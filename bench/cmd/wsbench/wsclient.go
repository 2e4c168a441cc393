//go:build linux

package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"
)

var noDeadline time.Time

// The load generator speaks WebSocket itself, with raw frames: it must
// cost as little CPU as it can, since it shares its one core with every
// connection. Messages are a 12-byte stamp (sequence number, connection
// id) followed by one of bodyVariants bodies shared by every connection,
// built and masked (and, for permessage-deflate, compressed) before the
// first message. Sending a message masks the 12 stamp bytes and writes
// the pre-masked body after them; checking an echo compares the stamp and
// the body. A swapped, repeated or misrouted echo fails on the stamp.

const (
	stampLen     = 12
	bodyVariants = 16
	// wsKey and wsAccept are a fixed handshake nonce and its answer
	// (RFC 6455 §1.3's example).
	wsKey    = "dGhlIHNhbXBsZSBub25jZQ=="
	wsAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
	// deflateOffer asks for no context takeover both ways: every message
	// compressed on its own, so the generator needs no per-connection
	// compressor state and the server none either.
	deflateOffer = "permessage-deflate; client_no_context_takeover; server_no_context_takeover"
)

// maskKey masks every client frame. RFC 6455 wants it unpredictable to
// defeat cache poisoning by proxies; on loopback between our own
// processes a fixed one changes nothing for the server, which unmasks
// every byte either way. It is not zero, so no server can skip the XOR.
var maskKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// words make the message bodies: text that compresses about as well as
// JSON does, so the permessage-deflate runs compress something real.
var words = strings.Fields(`id name value status ok error true false null
 user account message channel event time stamp count total price amount
 currency order item product quantity created updated deleted version type
 data payload meta request response session token 0 1 2 3 4 5 6 7 8 9 42 100
 {"a": [1, 2, 3]}, "key": "value", alpha beta gamma delta epsilon`)

// messageSet is what every connection of one run sends: bodies and their
// wire forms.
type messageSet struct {
	size    int // whole message, stamp included
	deflate bool
	bodies  [bodyVariants][]byte // plain, len size-stampLen
	// wire[v] is what follows the masked stamp on the wire, masked: the
	// body, or with deflate the compressed body (see compressedTail).
	wire [bodyVariants][]byte
}

func newMessageSet(size int, deflate bool) (*messageSet, error) {
	if size < stampLen {
		return nil, fmt.Errorf("message size %d below the %d-byte stamp", size, stampLen)
	}
	m := &messageSet{size: size, deflate: deflate}
	r := rand.New(rand.NewPCG(uint64(size), 0x7773626e6368))
	for v := range m.bodies {
		var b bytes.Buffer
		for b.Len() < size-stampLen {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		m.bodies[v] = b.Bytes()[:size-stampLen]
		w := m.bodies[v]
		if deflate {
			var err error
			if w, err = compressedTail(m.bodies[v]); err != nil {
				return nil, err
			}
		}
		w = bytes.Clone(w)
		maskAt(w, stampLen+storedPrefix(deflate))
		m.wire[v] = w
	}
	return m, nil
}

// storedPrefix is what precedes the stamp inside the payload: with
// deflate, the 5-byte header of the stored block that carries it.
func storedPrefix(deflate bool) int {
	if deflate {
		return 5
	}
	return 0
}

// compressedTail deflates body as a stream of its own, flushed and
// stripped of the 00 00 ff ff tail (RFC 7692 §7.2.1). A message's
// payload is then a non-final stored block holding the stamp followed by
// these bytes: deflate blocks concatenate, and the body's blocks refer
// back only within the body, so the whole is one valid compressed
// message, built without compressing anything per message.
func compressedTail(body []byte) ([]byte, error) {
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	fw.Write(body)
	if err := fw.Flush(); err != nil {
		return nil, err
	}
	out := b.Bytes()
	if !bytes.HasSuffix(out, []byte{0, 0, 0xff, 0xff}) {
		return nil, errors.New("flate flush did not end in 00 00 ff ff")
	}
	return out[:len(out)-4], nil
}

// variant picks the body of message seq on connection id.
func variant(id uint32, seq uint64) int { return int((seq + uint64(id)*7) % bodyVariants) }

// maskAt masks p in place as the bytes at offset off of a masked payload.
func maskAt(p []byte, off int) {
	var k [8]byte
	for i := range k {
		k[i] = maskKey[(off+i)&3]
	}
	k64 := binary.LittleEndian.Uint64(k[:])
	i := 0
	for ; i+8 <= len(p); i += 8 {
		binary.LittleEndian.PutUint64(p[i:], binary.LittleEndian.Uint64(p[i:])^k64)
	}
	for ; i < len(p); i++ {
		p[i] ^= maskKey[(off+i)&3]
	}
}

// wsClient is one client connection.
type wsClient struct {
	conn *net.TCPConn
	br   *bufio.Reader
	id   uint32
	set  *messageSet
	head []byte    // frame header + (stored-block header) + masked stamp
	bufs [2][]byte // for writev
	rbuf []byte    // payload of the echo as it came
	out  []byte    // inflated echo
	zr   io.ReadCloser
	zsrc bytes.Reader
}

// dialWS connects to addr (from local address src when not nil), does
// the opening handshake and, with deflate, requires the server to accept
// permessage-deflate with server_no_context_takeover.
func dialWS(ctx context.Context, addr string, src *net.TCPAddr, id uint32, set *messageSet, rbufSize int) (*wsClient, error) {
	d := net.Dialer{}
	if src != nil {
		d.LocalAddr = src
	}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	tc := c.(*net.TCPConn)
	fail := func(err error) (*wsClient, error) {
		tc.Close()
		return nil, err
	}
	if err := tc.SetNoDelay(true); err != nil {
		return fail(err)
	}
	if dl, ok := ctx.Deadline(); ok {
		tc.SetDeadline(dl)
	}
	req := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + wsKey + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: echo\r\n"
	if set.deflate {
		req += "Sec-WebSocket-Extensions: " + deflateOffer + "\r\n"
	}
	req += "\r\n"
	if _, err := io.WriteString(tc, req); err != nil {
		return fail(fmt.Errorf("send handshake: %w", err))
	}
	br := bufio.NewReaderSize(tc, rbufSize)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return fail(fmt.Errorf("read handshake response: %w", err))
	}
	resp.Body.Close()
	if resp.StatusCode != 101 {
		return fail(fmt.Errorf("handshake: status %s", resp.Status))
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != wsAccept {
		return fail(fmt.Errorf("handshake: Sec-WebSocket-Accept %q, want %q", got, wsAccept))
	}
	ext := strings.ToLower(strings.Join(resp.Header.Values("Sec-WebSocket-Extensions"), ", "))
	switch {
	case set.deflate && !strings.Contains(ext, "permessage-deflate"):
		return fail(fmt.Errorf("handshake: server did not accept permessage-deflate (Sec-WebSocket-Extensions %q)", ext))
	case set.deflate && !strings.Contains(ext, "server_no_context_takeover"):
		return fail(fmt.Errorf("handshake: server accepted permessage-deflate with context takeover (%q); the generator needs server_no_context_takeover", ext))
	case !set.deflate && ext != "":
		return fail(fmt.Errorf("handshake: server answered extensions %q to a client that offered none", ext))
	}
	tc.SetDeadline(noDeadline)
	w := &wsClient{conn: tc, br: br, id: id, set: set, rbuf: make([]byte, 0, set.size+64)}
	if set.deflate {
		w.zr = flate.NewReader(&w.zsrc)
		w.out = make([]byte, set.size+1)
	}
	return w, nil
}

// send writes message seq.
func (w *wsClient) send(seq uint64) error {
	set := w.set
	body := set.wire[variant(w.id, seq)]
	plen := storedPrefix(set.deflate) + stampLen + len(body)
	h := w.head[:0]
	b0 := byte(0x80 | 0x2) // FIN, binary
	if set.deflate {
		b0 |= 0x40 // RSV1: compressed
	}
	h = append(h, b0)
	switch {
	case plen < 126:
		h = append(h, 0x80|byte(plen))
	case plen <= 0xffff:
		h = append(h, 0x80|126, byte(plen>>8), byte(plen))
	default:
		h = append(h, 0x80|127)
		h = binary.BigEndian.AppendUint64(h, uint64(plen))
	}
	h = append(h, maskKey[:]...)
	p0 := len(h)
	if set.deflate { // a non-final stored block of stampLen bytes
		h = append(h, 0, stampLen, 0, ^byte(stampLen), 0xff)
	}
	h = binary.LittleEndian.AppendUint64(h, seq)
	h = binary.LittleEndian.AppendUint32(h, w.id)
	maskAt(h[p0:], 0)
	w.head = h
	if len(body) <= 4096 {
		h = append(h, body...)
		w.head = h[:0]
		_, err := w.conn.Write(h)
		return err
	}
	w.bufs[0], w.bufs[1] = h, body
	bufs := net.Buffers(w.bufs[:])
	_, err := bufs.WriteTo(w.conn)
	return err
}

// receive reads one whole data message and checks it is message seq.
func (w *wsClient) receive(impl string, seq uint64) error {
	p := w.rbuf[:0]
	compressed := false
	first := true
	for {
		var hb [2]byte
		if _, err := io.ReadFull(w.br, hb[:]); err != nil {
			return err
		}
		fin, rsv1, op := hb[0]&0x80 != 0, hb[0]&0x40 != 0, hb[0]&0x0f
		if hb[1]&0x80 != 0 {
			return errors.New("server sent a masked frame")
		}
		n := uint64(hb[1] & 0x7f)
		switch n {
		case 126:
			var e [2]byte
			if _, err := io.ReadFull(w.br, e[:]); err != nil {
				return err
			}
			n = uint64(binary.BigEndian.Uint16(e[:]))
		case 127:
			var e [8]byte
			if _, err := io.ReadFull(w.br, e[:]); err != nil {
				return err
			}
			n = binary.BigEndian.Uint64(e[:])
		}
		if op >= 8 { // control frame
			var ctl [125]byte
			if n > 125 {
				return fmt.Errorf("control frame of %d bytes", n)
			}
			if _, err := io.ReadFull(w.br, ctl[:n]); err != nil {
				return err
			}
			switch op {
			case 0x8:
				code := 0
				if n >= 2 {
					code = int(binary.BigEndian.Uint16(ctl[:2]))
				}
				return fmt.Errorf("server closed the WebSocket (code %d, %q)", code, ctl[min(n, 2):n])
			case 0x9:
				return errors.New("server sent a ping") // no server here pings
			}
			continue // pong: ignore
		}
		if first {
			if op != 0x2 {
				return fmt.Errorf("echo has opcode %#x, want binary", op)
			}
			compressed = rsv1
			first = false
		} else if op != 0 || rsv1 {
			return fmt.Errorf("bad continuation frame (opcode %#x, rsv1 %v)", op, rsv1)
		}
		if uint64(len(p))+n > uint64(w.set.size+64)*2 {
			return fmt.Errorf("echo longer than %d bytes", len(p)+int(n))
		}
		start := len(p)
		p = grow(p, int(n))
		if _, err := io.ReadFull(w.br, p[start:]); err != nil {
			return err
		}
		if fin {
			break
		}
	}
	w.rbuf = p[:0]
	msg := p
	if compressed {
		if !w.set.deflate {
			return errors.New("compressed echo on a connection without permessage-deflate")
		}
		p = append(p, 0, 0, 0xff, 0xff)
		w.rbuf = p[:0]
		w.zsrc.Reset(p)
		if err := w.zr.(flate.Resetter).Reset(&w.zsrc, nil); err != nil {
			return err
		}
		n, err := io.ReadFull(w.zr, w.out)
		if err != io.ErrUnexpectedEOF && err != nil {
			return fmt.Errorf("inflate echo: %w", err)
		}
		if n > w.set.size {
			return fmt.Errorf("echo of message %d inflates to more than %d bytes", seq, w.set.size)
		}
		msg = w.out[:n]
	}
	return w.check(impl, seq, msg)
}

// grow extends p by n bytes within its capacity when it can.
func grow(p []byte, n int) []byte {
	if cap(p)-len(p) >= n {
		return p[:len(p)+n]
	}
	return append(p, make([]byte, n)...)
}

// check compares msg with message seq.
func (w *wsClient) check(impl string, seq uint64, msg []byte) error {
	if len(msg) != w.set.size {
		return fmt.Errorf("%s: connection %d: echo of message %d has %d bytes, sent %d", impl, w.id, seq, len(msg), w.set.size)
	}
	gotSeq, gotID := binary.LittleEndian.Uint64(msg), binary.LittleEndian.Uint32(msg[8:])
	if gotSeq != seq || gotID != w.id {
		return fmt.Errorf("%s: connection %d: echo of message %d carries the stamp of message %d of connection %d", impl, w.id, seq, gotSeq, gotID)
	}
	body := w.set.bodies[variant(w.id, seq)]
	if !bytes.Equal(msg[stampLen:], body) {
		i := 0
		for msg[stampLen+i] == body[i] {
			i++
		}
		return fmt.Errorf("%s: connection %d: echo of message %d (%d bytes) differs at byte %d", impl, w.id, seq, len(msg), stampLen+i)
	}
	return nil
}

// close sends a Close frame (best effort) and closes the socket.
func (w *wsClient) close() {
	var f [6]byte
	f[0], f[1] = 0x88, 0x80
	copy(f[2:], maskKey[:])
	w.conn.Write(f[:])
	w.conn.Close()
}
