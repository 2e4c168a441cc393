package ws

// DefaultMaxMessage is the message bound of a Receiver whose MaxMessage
// is zero.
const DefaultMaxMessage = 1 << 20

// Receiver reads the frames of one direction of a WebSocket connection
// (RFC 6455 §5) and checks every rule that needs no clock. Set its
// configuration fields, then call Feed with the bytes as they arrive. A
// zero Receiver reads a server's frames, as a client does, delivering
// whole messages of at most [DefaultMaxMessage] bytes.
type Receiver struct {
	// Server is set on the server side: frames from a client must be
	// masked, and frames from a server must not be (RFC 6455 §5.1).
	Server bool
	// MaxMessage bounds a data message's payload, summed over its frames:
	// a frame header that would carry the message past it fails the
	// connection with 1009 before any of its payload arrives. Zero means
	// DefaultMaxMessage, negative no bound. A compressed message is
	// bounded once decompressed, and its compressed size slightly above
	// MaxMessage.
	MaxMessage int64
	// Deliver says whether messages are delivered whole or in pieces.
	Deliver Deliver
	// AllowRSV1 is set when permessage-deflate was negotiated: the first
	// frame of a data message may then have RSV1 set, meaning the
	// message is compressed (RFC 7692 §6). Without it RSV1 is a
	// protocol error.
	AllowRSV1 bool
	// Inflater decompresses compressed messages. When it is nil, a
	// compressed message is delivered as received (see Compressed), its
	// UTF-8 unchecked, bounded by MaxMessage.
	Inflater *Inflater

	// Small fields are small so that an idle connection's receiver
	// stays small.
	hdr       [MaxHeaderLen]byte // a header split across calls
	hdrN      uint8
	maskPos   uint8 // 0..3
	ctlN      uint8 // 0..125
	inFrame   bool  // a header was read and the payload is due
	msgOp     OpCode
	msgZ      bool // the message is compressed
	closed    bool
	delivered bool   // for Compressed
	frame     Header // the frame being read
	left      int64  // payload bytes of the frame still to come
	msgLen    int64  // payload bytes of the message so far, as received
	utf8      UTF8
	buf       []byte                   // the message, in Whole mode or once decompressed
	ctl       *[MaxControlPayload]byte // a control payload split across Feed calls; nil until one is
	err       error
}

// Closed reports whether the peer's Close frame was read.
func (r *Receiver) Closed() bool { return r.closed }

// Compressed reports, during OnMessage, whether the message was received
// compressed: decompressed if the receiver has an Inflater, as received
// otherwise.
func (r *Receiver) Compressed() bool { return r.delivered }

// Reset makes r ready for a new connection, keeping its configuration and
// its buffers (and resetting its Inflater).
func (r *Receiver) Reset() {
	*r = Receiver{
		Server:     r.Server,
		MaxMessage: r.MaxMessage,
		Deliver:    r.Deliver,
		AllowRSV1:  r.AllowRSV1,
		Inflater:   r.Inflater,
		buf:        trim(r.buf),
	}
	if r.Inflater != nil {
		r.Inflater.Reset()
	}
}

// Feed reads buf, calling ev for what it completes, and returns how many
// bytes it consumed: all of them, unless it fails. It keeps what it
// needs of a partial frame, so the caller never keeps or re-sends bytes.
// Masked payload is unmasked in place in buf.
//
// A failure is a [*CloseError] (one of this package's predefined values)
// whose Code the caller sends in its Close frame; n is then where the
// failure was found, and every later call returns the same error. Once
// the Close frame has been read, Feed discards what follows.
func (r *Receiver) Feed(buf []byte, ev Events) (n int, err error) {
	if r.err != nil {
		return 0, r.err
	}
	for n < len(buf) && !r.closed {
		if !r.inFrame {
			k, err := r.readHeader(buf[n:])
			n += k
			if err == nil && r.inFrame && r.left == 0 {
				err = r.payload(nil, ev)
			}
			if err != nil {
				r.err = err
				return n, err
			}
			continue
		}
		p := buf[n:]
		if int64(len(p)) > r.left {
			p = p[:r.left]
		}
		n += len(p)
		r.left -= int64(len(p))
		if r.frame.Masked {
			r.maskPos = uint8(MaskBytes(r.frame.Mask, int(r.maskPos), p))
		}
		if err := r.payload(p, ev); err != nil {
			r.err = err
			return n, err
		}
	}
	if r.closed {
		return len(buf), nil
	}
	return n, nil
}

// readHeader reads a frame header from buf, or as much of one as buf
// holds, and starts the frame once it is whole.
func (r *Receiver) readHeader(buf []byte) (int, error) {
	if r.hdrN == 0 {
		h, n, err := ParseHeader(buf)
		if err != nil {
			return n, err
		}
		if n > 0 {
			return n, r.begin(h)
		}
	}
	// Gather the header: its first two bytes say how long it is.
	want := 2
	if r.hdrN >= 2 {
		want = headerLen(r.hdr[1])
	}
	k := copy(r.hdr[r.hdrN:want], buf)
	r.hdrN += uint8(k)
	if r.hdrN == 2 {
		want = headerLen(r.hdr[1])
		k2 := copy(r.hdr[2:want], buf[k:])
		r.hdrN += uint8(k2)
		k += k2
	}
	if int(r.hdrN) < want {
		return k, nil
	}
	h, _, err := ParseHeader(r.hdr[:r.hdrN])
	r.hdrN = 0
	if err != nil {
		return k, err
	}
	return k, r.begin(h)
}

// maxMessage is MaxMessage resolved: negative for no bound.
func (r *Receiver) maxMessage() int64 {
	switch {
	case r.MaxMessage == 0:
		return DefaultMaxMessage
	case r.MaxMessage < 0:
		return -1
	}
	return r.MaxMessage
}

// begin checks a frame header against the rules of RFC 6455 §5 (and RFC
// 7692 §6 for RSV1) and the receiver's state, and starts the frame.
func (r *Receiver) begin(h Header) error {
	switch {
	case h.Masked != r.Server:
		if r.Server {
			return ErrNotMasked
		}
		return ErrMasked
	case h.Op.IsReserved():
		return ErrReservedOpCode
	case h.Rsv&(Rsv2|Rsv3) != 0, h.Rsv != 0 && !r.AllowRSV1:
		return ErrReservedBits
	}
	if h.Op.IsControl() {
		switch {
		case h.Rsv != 0:
			return ErrCompressedControl
		case !h.Fin:
			return ErrFragmentedControl
		case h.Length > MaxControlPayload:
			return ErrControlTooLong
		}
		r.ctlN = 0
	} else {
		if h.Op == Continuation {
			if r.msgOp == 0 {
				return ErrUnexpectedContinue
			}
			if h.Rsv != 0 {
				return ErrCompressedContinue
			}
		} else {
			if r.msgOp != 0 {
				return ErrExpectedContinue
			}
			r.msgOp, r.msgZ, r.msgLen = h.Op, h.Rsv != 0, 0
			r.utf8.Reset()
		}
		if limit := r.maxMessage(); limit >= 0 {
			if r.msgZ && r.Inflater != nil {
				limit = compressedBound(limit)
			}
			if h.Length > limit-r.msgLen {
				return ErrTooBig
			}
		}
		r.msgLen += h.Length
	}
	r.frame, r.left, r.maskPos, r.inFrame = h, h.Length, 0, true
	return nil
}

// payload handles the next piece p of the current frame's payload, and
// ends the frame when its last byte is in.
func (r *Receiver) payload(p []byte, ev Events) error {
	done := r.left == 0
	if done {
		r.inFrame = false
	}
	if r.frame.Op.IsControl() {
		if done && r.ctlN == 0 {
			return r.control(p, ev) // whole in this read: no copy
		}
		if r.ctl == nil {
			r.ctl = new([MaxControlPayload]byte)
		}
		r.ctlN += uint8(copy(r.ctl[r.ctlN:], p))
		if !done {
			return nil
		}
		return r.control(r.ctl[:r.ctlN], ev)
	}
	final := done && r.frame.Fin
	switch {
	case r.msgZ && r.Inflater != nil:
		return r.inflate(p, final, ev)
	case r.msgOp == Text && !r.msgZ:
		if !r.utf8.Write(p) || final && !r.utf8.Complete() {
			return ErrInvalidUTF8
		}
	}
	if r.Deliver == Fragments {
		if len(p) > 0 || final {
			r.deliver(p, final, ev)
		}
		return nil
	}
	if final && len(r.buf) == 0 {
		// The whole message is in this read: deliver it from the
		// caller's buffer, no copy, and no buffer kept by an idle
		// connection.
		r.deliver(p, true, ev)
		return nil
	}
	r.buf = append(r.buf, p...)
	if final {
		r.deliver(r.buf, true, ev)
		r.buf = trim(r.buf)
	}
	return nil
}

// inflate gathers a compressed message and delivers it decompressed.
func (r *Receiver) inflate(p []byte, final bool, ev Events) error {
	if !final {
		_, err := r.Inflater.Inflate(nil, p, false, r.maxMessage())
		return err
	}
	ob := getBuf()
	out, err := r.Inflater.Inflate(*ob, p, true, r.maxMessage())
	*ob = out[:0]
	defer putBuf(ob)
	if err != nil {
		return err
	}
	if r.msgOp == Text && (!r.utf8.Write(out) || !r.utf8.Complete()) {
		return ErrInvalidUTF8
	}
	r.deliver(out, true, ev)
	return nil
}

// deliver calls OnMessage, and ends the message when final is set.
func (r *Receiver) deliver(data []byte, final bool, ev Events) {
	op := r.msgOp
	r.delivered = r.msgZ
	if final {
		r.msgOp, r.msgZ, r.msgLen = 0, false, 0
	}
	ev.OnMessage(op, data, final)
	r.delivered = false
}

// control dispatches a whole control frame's payload.
func (r *Receiver) control(p []byte, ev Events) error {
	r.ctlN = 0
	switch r.frame.Op {
	case Ping:
		ev.OnPing(p)
	case Pong:
		ev.OnPong(p)
	case Close:
		code, reason, err := ParseClose(p)
		if err != nil {
			return err
		}
		r.closed = true
		ev.OnClose(code, reason)
	}
	return nil
}
