package h2

// WriteHeaders sends a response's field block, begun with the Encoder's
// AppendBlockStart; end ends the stream (no body). Called again after the
// body, with end, it sends trailers, after any body still queued.
func (c *ServerConn) WriteHeaders(s *Stream, block []byte, end bool) {
	if s.closed || s.localDone || s.outEnd {
		return
	}
	if s.headSent && s.Queued() > 0 {
		s.tail = append(s.tail[:0], block...)
		s.outEnd = true
		return
	}
	c.Out = AppendHeaderBlock(c.Out, s.ID, end, block, c.peerMaxFrame)
	s.headSent = true
	if end {
		s.localDone = true
		c.endLocal(s)
	}
}

// WriteData sends body octets on s, as DATA frames sized to the windows
// and the client's SETTINGS_MAX_FRAME_SIZE; what the windows do not allow
// now waits in the stream's queue (see Stream.Writable) and leaves as
// WINDOW_UPDATEs arrive. end ends the stream after p.
func (c *ServerConn) WriteData(s *Stream, p []byte, end bool) {
	if s.closed || s.localDone || s.outEnd {
		return
	}
	if s.Queued() > 0 {
		s.out = append(s.out, p...)
		s.outEnd = end
		return
	}
	for len(p) > 0 {
		n := min(c.room(s), len(p))
		if n <= 0 {
			break
		}
		last := end && n == len(p)
		c.Out = AppendData(c.Out, s.ID, last, p[:n])
		c.spend(s, n)
		p = p[n:]
		if last {
			s.localDone = true
		}
	}
	switch {
	case len(p) > 0:
		s.out = append(s.out[:0], p...)
		s.outOff = 0
		s.outEnd = end
		c.enqueue(s)
		return
	case end && !s.localDone:
		c.Out = AppendData(c.Out, s.ID, true, nil)
		s.localDone = true
	}
	if s.localDone {
		c.endLocal(s)
	}
}

// Room is how many body octets s may send right now.
func (c *ServerConn) Room(s *Stream) int {
	if s.closed || s.localDone || s.outEnd || s.Queued() > 0 {
		return 0
	}
	return max(0, c.room(s))
}

// Window is how many body octets s may send right now in frames of at
// most MaxFrame octets each.
func (c *ServerConn) Window(s *Stream) int {
	if s.closed || s.localDone || s.outEnd || s.Queued() > 0 {
		return 0
	}
	return int(max(0, min(s.sendWindow, c.sendWindow)))
}

// MaxFrame is the client's SETTINGS_MAX_FRAME_SIZE: the largest DATA
// payload it takes.
func (c *ServerConn) MaxFrame() int { return int(c.peerMaxFrame) }

// ReserveData appends the header of a DATA frame of n octets on s, which
// must be at most Room(s); the caller appends exactly n octets to Out
// right after (reading a file straight into the output, say).
func (c *ServerConn) ReserveData(s *Stream, n int) {
	c.Out = AppendDataHeader(c.Out, s.ID, false, n)
	c.spend(s, n)
}

// room is what the windows and the frame size allow one DATA frame.
func (c *ServerConn) room(s *Stream) int {
	return int(min(s.sendWindow, c.sendWindow, int64(c.peerMaxFrame)))
}

func (c *ServerConn) spend(s *Stream, n int) {
	s.sendWindow -= int64(n)
	c.sendWindow -= int64(n)
}

// endLocal follows the END_STREAM we sent: the stream closes, and if the
// client is still sending the body, it is asked to stop (§8.1).
func (c *ServerConn) endLocal(s *Stream) {
	if !s.remoteDone {
		c.Out = AppendRSTStream(c.Out, s.ID, ErrCodeNo)
		c.remember(s.ID)
	}
	c.closeStream(s, ErrCodeNo)
}

// maybeClose closes s once both sides are done.
func (c *ServerConn) maybeClose(s *Stream) {
	if s.remoteDone && s.localDone {
		c.closeStream(s, ErrCodeNo)
	}
}

func (c *ServerConn) enqueue(s *Stream) {
	if !s.queued {
		s.queued = true
		c.queue = append(c.queue, s)
	}
}

func (c *ServerConn) unqueue(s *Stream) {
	if !s.queued {
		return
	}
	s.queued = false
	for i, q := range c.queue {
		if q == s {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			if i < c.rr {
				c.rr--
			}
			return
		}
	}
}

// drain sends queued body as far as the windows allow, one frame per
// stream in turn, so that one large response cannot starve the others;
// the turn carries over from one call to the next.
func (c *ServerConn) drain() {
	for c.sendWindow > 0 && len(c.queue) > 0 {
		progress := false
		for turns := len(c.queue); turns > 0 && c.sendWindow > 0 && len(c.queue) > 0; turns-- {
			if c.rr >= len(c.queue) {
				c.rr = 0
			}
			s := c.queue[c.rr]
			n := min(c.room(s), s.Queued())
			if n <= 0 {
				c.rr++
				continue
			}
			last := s.outEnd && n == s.Queued() && len(s.tail) == 0
			c.Out = AppendData(c.Out, s.ID, last, s.out[s.outOff:s.outOff+n])
			c.spend(s, n)
			s.outOff += n
			progress = true
			if s.Queued() > 0 {
				c.rr++
				continue
			}
			s.out, s.outOff = s.out[:0], 0
			s.queued = false
			c.queue = append(c.queue[:c.rr], c.queue[c.rr+1:]...)
			if len(s.tail) > 0 {
				c.Out = AppendHeaderBlock(c.Out, s.ID, true, s.tail, c.peerMaxFrame)
				s.tail = s.tail[:0]
				last = true
			}
			if last {
				s.localDone = true
				c.endLocal(s)
			}
		}
		if !progress {
			return
		}
	}
}

// WantWritable asks for OnStreamWritable once s is Writable; RunWritable
// makes the calls.
func (c *ServerConn) WantWritable(s *Stream) {
	if !s.wantWrite && !s.closed {
		s.wantWrite = true
		c.want = append(c.want, s)
	}
}

func (c *ServerConn) unwant(s *Stream) {
	if !s.wantWrite {
		return
	}
	s.wantWrite = false
	for i, w := range c.want {
		if w == s {
			c.want = append(c.want[:i], c.want[i+1:]...)
			return
		}
	}
}

// WritableReady reports whether RunWritable would call anyone.
func (c *ServerConn) WritableReady() bool {
	for _, s := range c.want {
		if s.Writable() {
			return true
		}
	}
	return false
}

// RunWritable calls OnStreamWritable once for each stream that asked and
// is Writable now. Streams that ask again inside the call wait for the
// next RunWritable.
func (c *ServerConn) RunWritable() {
	ready := c.want
	c.want = c.spare[:0]
	for i, s := range ready {
		ready[i] = nil
		if s.closed || !s.wantWrite {
			continue
		}
		if !s.Writable() {
			c.want = append(c.want, s)
			continue
		}
		s.wantWrite = false
		c.h.OnStreamWritable(s)
	}
	c.spare = ready[:0]
}
