package h2

// errFrameTooLarge is a frame longer than our SETTINGS_MAX_FRAME_SIZE. It
// is a connection error whatever the type (RFC 9113 §4.2 allows a stream
// error for some) because the role would otherwise have to buffer or skip
// a payload it has said it will not take.
var errFrameTooLarge = connError(ErrCodeFrameSize, "frame longer than SETTINGS_MAX_FRAME_SIZE")

// ReadFrame returns the first frame in buf, the bytes received so far:
// its header, its payload (a slice of buf, not a copy) and n, the octets
// it takes up. n == 0 with a nil error means buf does not hold a whole
// frame yet: call again with more. fh is filled in as soon as buf holds
// the 9 header octets, so that a role can size its buffer for the rest.
//
// maxFrameSize is the SETTINGS_MAX_FRAME_SIZE this endpoint advertised
// (the peer must honour it): a longer frame is a FRAME_SIZE_ERROR
// [ConnError], returned as soon as its header is in buf, without waiting
// for a payload that would never be read.
//
// ReadFrame checks nothing else: pass the frame to its type's parser, or
// skip it when [FrameType.IsKnown] is false.
func ReadFrame(buf []byte, maxFrameSize uint32) (fh FrameHeader, payload []byte, n int, err error) {
	fh, ok := ParseFrameHeader(buf)
	if !ok {
		return FrameHeader{}, nil, 0, nil
	}
	if fh.Length > maxFrameSize {
		return fh, nil, 0, errFrameTooLarge
	}
	end := FrameHeaderLen + int(fh.Length)
	if len(buf) < end {
		return fh, nil, 0, nil
	}
	return fh, buf[FrameHeaderLen:end:end], end, nil
}
