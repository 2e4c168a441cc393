package h2

// ParseHeaders checks a HEADERS frame (RFC 9113 §6.2) and returns its
// field block fragment, without padding, and its priority signal (prio.Set
// is false without the PRIORITY flag).
//
// A signal that makes the stream depend on itself is a [StreamError]
// (§5.3.1), returned with block and prio still set: the role must decode
// the block all the same, or its HPACK context would fall out of step with
// the peer's (§4.3).
func ParseHeaders(fh FrameHeader, p []byte) (block []byte, prio Priority, err error) {
	fixed, block, err := split(FrameHeaders, fh, p)
	if err != nil {
		return nil, Priority{}, err
	}
	if fh.Flags.Has(FlagPriority) {
		prio = parsePrioritySignal(fixed)
		if prio.StreamDep == fh.StreamID {
			err = errHeadersOnItself
		}
	}
	return block, prio, err
}

// AppendHeaders appends one HEADERS frame carrying block, a field block or
// its first fragment; without endHeaders, CONTINUATION frames must follow
// at once (see [AppendHeaderBlock], which does both).
func AppendHeaders(dst []byte, streamID uint32, endStream, endHeaders bool, block []byte) []byte {
	f := flagIf(endStream, FlagEndStream) | flagIf(endHeaders, FlagEndHeaders)
	dst = appendHeader(dst, FrameHeaders, f, streamID, len(block))
	return append(dst, block...)
}

// AppendHeadersPriority is AppendHeaders with the PRIORITY flag and the
// signal p, for a client that still sends RFC 7540 priorities.
func AppendHeadersPriority(dst []byte, streamID uint32, endStream, endHeaders bool, p Priority, block []byte) []byte {
	f := flagIf(endStream, FlagEndStream) | flagIf(endHeaders, FlagEndHeaders) | FlagPriority
	dst = appendHeader(dst, FrameHeaders, f, streamID, prioritySignalLen+len(block))
	dst = appendPrioritySignal(dst, p)
	return append(dst, block...)
}

// AppendHeaderBlock appends a whole field block: a HEADERS frame, then as
// many CONTINUATION frames as it takes to keep every payload within
// maxFrameSize, the peer's SETTINGS_MAX_FRAME_SIZE (0 stands for the
// default, 16384). The last frame has END_HEADERS; an empty block is one
// empty HEADERS frame.
func AppendHeaderBlock(dst []byte, streamID uint32, endStream bool, block []byte, maxFrameSize uint32) []byte {
	size := frameSizeOrDefault(maxFrameSize)
	first := block[:min(len(block), size)]
	block = block[len(first):]
	dst = AppendHeaders(dst, streamID, endStream, len(block) == 0, first)
	for len(block) > 0 {
		next := block[:min(len(block), size)]
		block = block[len(next):]
		dst = AppendContinuation(dst, streamID, len(block) == 0, next)
	}
	return dst
}

// frameSizeOrDefault turns a SETTINGS_MAX_FRAME_SIZE given by a caller
// into a usable payload limit: 0, which would never end a block, is the
// default, and nothing goes beyond what a header can describe.
func frameSizeOrDefault(maxFrameSize uint32) int {
	if maxFrameSize == 0 {
		return DefaultMaxFrameSize
	}
	return int(min(maxFrameSize, MaxFrameSizeLimit))
}
