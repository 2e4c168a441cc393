package h2

// ParseContinuation checks a CONTINUATION frame (RFC 9113 §6.10) and
// returns its field block fragment. Whether one may come now is
// [FieldBlockTracker]'s business.
func ParseContinuation(fh FrameHeader, p []byte) (block []byte, err error) {
	_, block, err = split(FrameContinuation, fh, p)
	return block, err
}

// AppendContinuation appends a CONTINUATION frame carrying the next
// fragment of streamID's field block, with END_HEADERS when endHeaders.
func AppendContinuation(dst []byte, streamID uint32, endHeaders bool, block []byte) []byte {
	dst = appendHeader(dst, FrameContinuation, flagIf(endHeaders, FlagEndHeaders), streamID, len(block))
	return append(dst, block...)
}
