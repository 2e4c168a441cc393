package h2

import "github.com/golws/golws/hpack"

func (c *ServerConn) onData(fh FrameHeader, p []byte) error {
	data, err := ParseData(fh, p)
	if err != nil {
		return err
	}
	// Flow control counts the whole payload, padding included (§6.9.1).
	n := int64(fh.Length)
	if n > c.recvWindow {
		return connError(ErrCodeFlowControl, "DATA beyond the connection window")
	}
	c.recvWindow -= n
	end := fh.Flags.Has(FlagEndStream)
	if len(data) == 0 && !end && !c.empties.take(c.now) {
		return connError(ErrCodeEnhanceYourCalm, "flood of empty DATA frames")
	}
	s, idle := c.streamFor(fh.StreamID)
	switch {
	case idle:
		return connError(ErrCodeProtocol, "DATA on an idle stream")
	case s == nil || s.remoteDone:
		c.credit(n) // never delivered: the connection window comes back now
		if s == nil && (c.wasReset(fh.StreamID) || c.goAwaySent && fh.StreamID > c.processed) {
			return nil
		}
		return streamError(ErrCodeStreamClosed, "DATA on a closed or half-closed stream")
	case n > s.recvWindow:
		c.credit(n)
		return streamError(ErrCodeFlowControl, "DATA beyond the stream window")
	}
	s.recvWindow -= n
	s.received += int64(len(data))
	if s.contentLength >= 0 && (s.received > s.contentLength || end && s.received != s.contentLength) {
		c.credit(n)
		return streamError(ErrCodeProtocol, "DATA does not add up to content-length")
	}
	if pad := n - int64(len(data)); pad > 0 {
		c.consumed(s, pad)
	}
	if end {
		s.remoteDone = true
	}
	if len(data) > 0 || end {
		c.h.OnStreamData(s, data, end)
	}
	if end && !s.closed {
		c.maybeClose(s)
	}
	return nil
}

func (c *ServerConn) onHeaders(fh FrameHeader, p []byte) error {
	frag, _, err := ParseHeaders(fh, p)
	prioErr := false
	if err != nil {
		if _, ok := err.(StreamError); !ok {
			return err
		}
		prioErr = true // decode the block all the same (§4.3), then reset
	}
	id := fh.StreamID
	if id%2 == 0 {
		return connError(ErrCodeProtocol, "HEADERS on an even stream id")
	}
	c.blockStream, c.blockEnd, c.blockPrio, c.blockFrames = id, fh.Flags.Has(FlagEndStream), prioErr, 1
	if fh.Flags.Has(FlagEndHeaders) {
		return c.headerBlock(frag)
	}
	if len(frag) > int(c.cfg.MaxHeaderListSize)*2 {
		return connError(ErrCodeEnhanceYourCalm, "field block too large")
	}
	c.block = append(c.block[:0], frag...)
	return nil
}

func (c *ServerConn) onContinuation(fh FrameHeader, p []byte) error {
	frag, err := ParseContinuation(fh, p)
	if err != nil {
		return err
	}
	c.blockFrames++
	if c.blockFrames > c.cfg.MaxHeaderBlockFrames || len(frag) == 0 && !c.empties.take(c.now) {
		return connError(ErrCodeEnhanceYourCalm, "CONTINUATION flood")
	}
	if len(c.block)+len(frag) > int(c.cfg.MaxHeaderListSize)*2 {
		return connError(ErrCodeEnhanceYourCalm, "field block too large")
	}
	c.block = append(c.block, frag...)
	if !fh.Flags.Has(FlagEndHeaders) {
		return nil
	}
	err = c.headerBlock(c.block)
	if cap(c.block) > 64<<10 {
		c.block = nil
	}
	return err
}

// headerBlock handles a complete field block on c.blockStream: a new
// request, or trailers.
func (c *ServerConn) headerBlock(block []byte) error {
	id := c.blockStream
	fields, arena, derr := c.dec.DecodeInto(block, c.fields[:0], c.arena[:0])
	c.fields, c.arena = fields, arena
	if derr != nil && derr != hpack.ErrHeaderListTooLarge {
		return connError(ErrCodeCompression, derr.Error())
	}
	s, idle := c.streamFor(id)
	if !idle {
		switch {
		case s != nil && s.remoteDone:
			return streamError(ErrCodeStreamClosed, "HEADERS on a half-closed stream")
		case s != nil && c.blockPrio:
			return streamError(ErrCodeProtocol, "stream depends on itself")
		case s != nil && derr == hpack.ErrHeaderListTooLarge:
			return streamError(ErrCodeProtocol, "trailers over SETTINGS_MAX_HEADER_LIST_SIZE")
		case s != nil:
			return c.trailers(s, fields)
		case c.wasReset(id), c.goAwaySent && id > c.processed:
			return nil // in flight when we reset it, or after our GOAWAY
		case c.closedIDs.has(id):
			return connError(ErrCodeStreamClosed, "HEADERS on a closed stream")
		}
		return connError(ErrCodeProtocol, "stream id not above the previous one")
	}
	c.lastPeerID = id
	if c.goAwaySent {
		return nil // not processed; the GOAWAY's last stream id says so
	}
	c.processed = id
	if c.blockPrio {
		return streamError(ErrCodeProtocol, "stream depends on itself")
	}
	if uint32(c.active) >= c.cfg.MaxConcurrentStreams {
		return streamError(ErrCodeRefusedStream, "too many concurrent streams")
	}
	if derr == hpack.ErrHeaderListTooLarge {
		s := c.newStream(id)
		s.remoteDone = c.blockEnd
		c.respondStatus(s, 431)
		return nil
	}
	if err := c.checkRequest(fields); err != nil {
		return err
	}
	s = c.newStream(id)
	s.contentLength = c.head.ContentLength
	end := c.blockEnd
	if end {
		s.remoteDone = true
		if s.contentLength > 0 {
			c.closeQuietly(s)
			return streamError(ErrCodeProtocol, "content-length without DATA")
		}
	}
	c.h.OnStreamHeaders(s, &c.head, end)
	if end && !s.closed {
		c.maybeClose(s)
	}
	// Past this many streams the ids run out: ask the client to go on on
	// a new connection before they do.
	if uint64(c.lastPeerID)+2*uint64(c.cfg.MaxConcurrentStreams) > MaxWindowSize {
		c.GoAway(ErrCodeNo)
	}
	return nil
}

// closeQuietly drops a stream the handler never saw.
func (c *ServerConn) closeQuietly(s *Stream) {
	s.closed = true
	delete(c.streams, s.ID)
	c.active--
	c.free = append(c.free, s)
}

// trailers handles a field block after the request's DATA (§8.1).
func (c *ServerConn) trailers(s *Stream, fields []hpack.Field) error {
	if !c.blockEnd {
		return streamError(ErrCodeProtocol, "trailers without END_STREAM")
	}
	for i := range fields {
		if len(fields[i].Name) > 0 && fields[i].Name[0] == ':' {
			return streamError(ErrCodeProtocol, "pseudo-header field in trailers")
		}
		if err := checkFieldName(fields[i].Name); err != nil {
			return err
		}
	}
	if s.contentLength >= 0 && s.received != s.contentLength {
		return streamError(ErrCodeProtocol, "DATA does not add up to content-length")
	}
	s.remoteDone = true
	c.h.OnStreamData(s, nil, true)
	if !s.closed {
		c.maybeClose(s)
	}
	return nil
}

// respondStatus answers s with a bare status and ends it.
func (c *ServerConn) respondStatus(s *Stream, status int) {
	b := c.enc.AppendBlockStart(c.arena[:0])
	b = c.enc.AppendStatus(b, status)
	c.Out = AppendHeaderBlock(c.Out, s.ID, true, b, c.peerMaxFrame)
	c.arena = b
	s.headSent, s.localDone = true, true
	if !s.remoteDone {
		c.Out = AppendRSTStream(c.Out, s.ID, ErrCodeNo)
		c.remember(s.ID)
	}
	c.closeQuietly(s)
}

// Consumed returns n octets of s's request body to the flow-control
// windows: the handler has dealt with them. WINDOW_UPDATE frames are
// batched: one goes out when half a window is owed.
func (c *ServerConn) Consumed(s *Stream, n int) {
	if n > 0 {
		c.consumed(s, int64(n))
	}
}

func (c *ServerConn) consumed(s *Stream, n int64) {
	c.credit(n)
	if s.closed || s.remoteDone {
		return
	}
	s.unacked += n
	if s.unacked >= int64(c.cfg.StreamWindow)/2 {
		c.Out = AppendWindowUpdate(c.Out, s.ID, uint32(s.unacked))
		s.recvWindow += s.unacked
		s.unacked = 0
	}
}

// credit returns n octets to the connection's receive window.
func (c *ServerConn) credit(n int64) {
	c.unacked += n
	if c.unacked >= int64(c.cfg.ConnWindow)/2 {
		c.Out = AppendWindowUpdate(c.Out, 0, uint32(c.unacked))
		c.recvWindow += c.unacked
		c.unacked = 0
	}
}
