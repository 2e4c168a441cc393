package h2

// ParsePing checks a PING frame (RFC 9113 §6.7) and returns its opaque
// data; fh.Flags.Has(FlagAck) tells an answer from a question.
func ParsePing(fh FrameHeader, p []byte) (data [8]byte, err error) {
	fixed, _, err := split(FramePing, fh, p)
	if err != nil {
		return data, err
	}
	return [8]byte(fixed), nil
}

// AppendPing appends a PING frame carrying data; with ack, it answers a
// PING received with that data.
func AppendPing(dst []byte, ack bool, data [8]byte) []byte {
	dst = appendHeader(dst, FramePing, flagIf(ack, FlagAck), 0, len(data))
	return append(dst, data[:]...)
}
