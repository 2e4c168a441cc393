package h2

var (
	errFieldBlockInterrupted = connError(ErrCodeProtocol, "frame inside another stream's field block")
	errContinuationOutside   = connError(ErrCodeProtocol, "CONTINUATION outside a field block")
)

// FieldBlockTracker enforces the one rule that spans frames and needs
// nothing but their headers (RFC 9113 §4.3, §6.10): a field block is a
// HEADERS or PUSH_PROMISE frame followed by CONTINUATION frames on the
// same stream until one has END_HEADERS, and no other frame, not even one
// of an unknown type (§5.5), may come in between. The zero value expects
// no block. A role passes every frame header to Check, in order, before
// anything else looks at the frame.
type FieldBlockTracker struct {
	open   bool
	stream uint32
}

// Check returns a PROTOCOL_ERROR [ConnError] if fh may not come now, and
// otherwise notes whether fh opens or closes a field block.
func (t *FieldBlockTracker) Check(fh FrameHeader) error {
	switch {
	case t.open && (fh.Type != FrameContinuation || fh.StreamID != t.stream):
		return errFieldBlockInterrupted
	case !t.open && fh.Type == FrameContinuation:
		return errContinuationOutside
	case fh.Type == FrameHeaders || fh.Type == FramePushPromise || fh.Type == FrameContinuation:
		t.open = !fh.Flags.Has(FlagEndHeaders)
		t.stream = fh.StreamID
	}
	return nil
}

// InBlock reports whether a field block is open, and on which stream: the
// next frame must then be a CONTINUATION on it.
func (t *FieldBlockTracker) InBlock() (streamID uint32, open bool) {
	return t.stream, t.open
}
