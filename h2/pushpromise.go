package h2

import "encoding/binary"

var errPromisedStream0 = connError(ErrCodeProtocol, "PUSH_PROMISE promising stream 0")

// ParsePushPromise checks a PUSH_PROMISE frame (RFC 9113 §6.6) and returns
// the stream it reserves and its field block fragment, without padding.
// Promising stream 0 is refused here since no state makes it valid; that
// the promised id is the server's next one, and that the client allows
// push at all, are the role's to check.
func ParsePushPromise(fh FrameHeader, p []byte) (promised uint32, block []byte, err error) {
	fixed, block, err := split(FramePushPromise, fh, p)
	if err != nil {
		return 0, nil, err
	}
	promised = binary.BigEndian.Uint32(fixed) & streamIDMask
	if promised == 0 {
		return 0, nil, errPromisedStream0
	}
	return promised, block, nil
}

// AppendPushPromise appends a PUSH_PROMISE frame on streamID reserving
// promised, carrying block, a field block or its first fragment (without
// endHeaders, CONTINUATION frames must follow at once).
func AppendPushPromise(dst []byte, streamID, promised uint32, endHeaders bool, block []byte) []byte {
	dst = appendHeader(dst, FramePushPromise, flagIf(endHeaders, FlagEndHeaders), streamID, 4+len(block))
	dst = binary.BigEndian.AppendUint32(dst, promised&streamIDMask)
	return append(dst, block...)
}
