package h2

// ParseData checks a DATA frame (RFC 9113 §6.1) and returns its data
// without the padding. Flow control counts the whole frame, fh.Length,
// padding included.
func ParseData(fh FrameHeader, p []byte) (data []byte, err error) {
	_, data, err = split(FrameData, fh, p)
	return data, err
}

// AppendData appends a DATA frame carrying data on streamID, with
// END_STREAM when endStream. data must fit the peer's flow-control windows
// and SETTINGS_MAX_FRAME_SIZE.
func AppendData(dst []byte, streamID uint32, endStream bool, data []byte) []byte {
	dst = AppendDataHeader(dst, streamID, endStream, len(data))
	return append(dst, data...)
}

// AppendDataHeader appends only the header of a DATA frame whose n octets
// of data the caller writes next, from elsewhere (a file, a vector of
// buffers), without copying them here first.
func AppendDataHeader(dst []byte, streamID uint32, endStream bool, n int) []byte {
	return appendHeader(dst, FrameData, flagIf(endStream, FlagEndStream), streamID, n)
}
