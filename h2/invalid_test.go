package h2

import "testing"

// The kinds a frame error can have: the connection's or the stream's,
// and the code the role sends.
const (
	connProtocol    = "conn PROTOCOL_ERROR"
	connFrameSize   = "conn FRAME_SIZE_ERROR"
	connFlowControl = "conn FLOW_CONTROL_ERROR"
	streamProtocol  = "stream PROTOCOL_ERROR"
	streamFrameSize = "stream FRAME_SIZE_ERROR"
)

// invalidFrames break one rule each, with the error RFC 9113 (or RFC 8441,
// RFC 9218 for their additions) prescribes.
var invalidFrames = []struct {
	name  string
	frame []byte
	want  string
}{
	// DATA (§6.1)
	{"DATA on stream 0", raw(FrameData, 0, 0, "x"), connProtocol},
	{"padded DATA without pad length", raw(FrameData, FlagPadded, 1, ""), connFrameSize},
	{"DATA pad length = frame length", raw(FrameData, FlagPadded, 1, "\x02x"), connProtocol},
	{"DATA pad length > payload length", raw(FrameData, FlagPadded, 1, "\x05ab"), connProtocol},
	{"DATA pad length 255 in 1 octet", raw(FrameData, FlagPadded, 1, "\xff"), connProtocol},
	// HEADERS (§6.2)
	{"HEADERS on stream 0", raw(FrameHeaders, FlagEndHeaders, 0, "\x82"), connProtocol},
	{"padded HEADERS without pad length", raw(FrameHeaders, FlagPadded, 1, ""), connFrameSize},
	{"HEADERS priority short", raw(FrameHeaders, FlagPriority, 1, "\x00\x00\x00"), connFrameSize},
	{"HEADERS priority without weight", raw(FrameHeaders, FlagPriority, 1, "\x00\x00\x00\x03"), connFrameSize},
	{"padded HEADERS priority short", raw(FrameHeaders, FlagPadded|FlagPriority, 1, "\x00\x00\x00\x00\x03"), connFrameSize},
	{"HEADERS pad length > block", raw(FrameHeaders, FlagPadded, 1, "\x03\x82\x00"), connProtocol},
	{"HEADERS pad length eats priority", raw(FrameHeaders, FlagPadded|FlagPriority, 1, "\x01\x00\x00\x00\x03\x0f"), connProtocol},
	{"HEADERS depends on itself", raw(FrameHeaders, FlagPriority|FlagEndHeaders, 3, "\x00\x00\x00\x03\x0f\x82"), streamProtocol},
	{"HEADERS depends on itself exclusively", raw(FrameHeaders, FlagPriority, 3, "\x80\x00\x00\x03\x0f"), streamProtocol},
	// PRIORITY (§6.3)
	{"PRIORITY on stream 0", raw(FramePriority, 0, 0, "\x00\x00\x00\x01\x0f"), connProtocol},
	{"PRIORITY length 4", raw(FramePriority, 0, 1, "\x00\x00\x00\x03"), streamFrameSize},
	{"PRIORITY length 6", raw(FramePriority, 0, 1, "\x00\x00\x00\x03\x0f\x00"), streamFrameSize},
	{"PRIORITY length 0", raw(FramePriority, 0, 1, ""), streamFrameSize},
	{"PRIORITY depends on itself", raw(FramePriority, 0, 5, "\x00\x00\x00\x05\x0f"), streamProtocol},
	// RST_STREAM (§6.4)
	{"RST_STREAM on stream 0", raw(FrameRSTStream, 0, 0, "\x00\x00\x00\x08"), connProtocol},
	{"RST_STREAM length 3", raw(FrameRSTStream, 0, 1, "\x00\x00\x08"), connFrameSize},
	{"RST_STREAM length 5", raw(FrameRSTStream, 0, 1, "\x00\x00\x00\x08\x00"), connFrameSize},
	// SETTINGS (§6.5)
	{"SETTINGS on a stream", raw(FrameSettings, 0, 1, ""), connProtocol},
	{"SETTINGS ack on a stream", raw(FrameSettings, FlagAck, 1, ""), connProtocol},
	{"SETTINGS ack with payload", raw(FrameSettings, FlagAck, 0, "\x00\x01\x00\x00\x10\x00"), connFrameSize},
	{"SETTINGS length 5", raw(FrameSettings, 0, 0, "\x00\x01\x00\x00\x10"), connFrameSize},
	{"SETTINGS length 7", raw(FrameSettings, 0, 0, "\x00\x01\x00\x00\x10\x00\x00"), connFrameSize},
	{"ENABLE_PUSH 2", raw(FrameSettings, 0, 0, "\x00\x02\x00\x00\x00\x02"), connProtocol},
	{"INITIAL_WINDOW_SIZE 2^31", raw(FrameSettings, 0, 0, "\x00\x04\x80\x00\x00\x00"), connFlowControl},
	{"INITIAL_WINDOW_SIZE 2^32-1", raw(FrameSettings, 0, 0, "\x00\x04\xff\xff\xff\xff"), connFlowControl},
	{"MAX_FRAME_SIZE 16383", raw(FrameSettings, 0, 0, "\x00\x05\x00\x00\x3f\xff"), connProtocol},
	{"MAX_FRAME_SIZE 0", raw(FrameSettings, 0, 0, "\x00\x05\x00\x00\x00\x00"), connProtocol},
	{"MAX_FRAME_SIZE 2^24", raw(FrameSettings, 0, 0, "\x00\x05\x01\x00\x00\x00"), connProtocol},
	{"ENABLE_CONNECT_PROTOCOL 2", raw(FrameSettings, 0, 0, "\x00\x08\x00\x00\x00\x02"), connProtocol},
	{"NO_RFC7540_PRIORITIES 2", raw(FrameSettings, 0, 0, "\x00\x09\x00\x00\x00\x02"), connProtocol},
	{"bad value after good ones", raw(FrameSettings, 0, 0, "\x00\x01\x00\x00\x10\x00\x00\x02\x00\x00\x00\x07"), connProtocol},
	// PUSH_PROMISE (§6.6)
	{"PUSH_PROMISE on stream 0", raw(FramePushPromise, FlagEndHeaders, 0, "\x00\x00\x00\x02"), connProtocol},
	{"PUSH_PROMISE without promised id", raw(FramePushPromise, FlagEndHeaders, 1, "\x00\x00\x02"), connFrameSize},
	{"padded PUSH_PROMISE without promised id", raw(FramePushPromise, FlagPadded, 1, "\x00\x00\x00\x02"), connFrameSize},
	{"PUSH_PROMISE pad length > block", raw(FramePushPromise, FlagPadded, 1, "\x02\x00\x00\x00\x02\x82"), connProtocol},
	{"PUSH_PROMISE promising stream 0", raw(FramePushPromise, FlagEndHeaders, 1, "\x80\x00\x00\x00"), connProtocol},
	// PING (§6.7)
	{"PING on a stream", raw(FramePing, 0, 1, "12345678"), connProtocol},
	{"PING length 7", raw(FramePing, 0, 0, "1234567"), connFrameSize},
	{"PING length 9", raw(FramePing, 0, 0, "123456789"), connFrameSize},
	{"PING ack length 0", raw(FramePing, FlagAck, 0, ""), connFrameSize},
	// GOAWAY (§6.8)
	{"GOAWAY on a stream", raw(FrameGoAway, 0, 1, "\x00\x00\x00\x00\x00\x00\x00\x00"), connProtocol},
	{"GOAWAY length 7", raw(FrameGoAway, 0, 0, "\x00\x00\x00\x00\x00\x00\x00"), connFrameSize},
	{"GOAWAY length 0", raw(FrameGoAway, 0, 0, ""), connFrameSize},
	// WINDOW_UPDATE (§6.9)
	{"WINDOW_UPDATE 0 on the connection", raw(FrameWindowUpdate, 0, 0, "\x00\x00\x00\x00"), connProtocol},
	{"WINDOW_UPDATE 0 on a stream", raw(FrameWindowUpdate, 0, 1, "\x00\x00\x00\x00"), streamProtocol},
	{"WINDOW_UPDATE 0 with reserved bit", raw(FrameWindowUpdate, 0, 1, "\x80\x00\x00\x00"), streamProtocol},
	{"WINDOW_UPDATE length 3", raw(FrameWindowUpdate, 0, 1, "\x00\x00\x01"), connFrameSize},
	{"WINDOW_UPDATE length 5 on the connection", raw(FrameWindowUpdate, 0, 0, "\x00\x00\x00\x01\x00"), connFrameSize},
	// CONTINUATION (§6.10)
	{"CONTINUATION on stream 0", raw(FrameContinuation, FlagEndHeaders, 0, "\x82"), connProtocol},
	// PRIORITY_UPDATE (RFC 9218 §7.1)
	{"PRIORITY_UPDATE on a stream", raw(FramePriorityUpdate, 0, 1, "\x00\x00\x00\x01u=1"), connProtocol},
	{"PRIORITY_UPDATE length 3", raw(FramePriorityUpdate, 0, 0, "\x00\x00\x01"), connFrameSize},
	{"PRIORITY_UPDATE for stream 0", raw(FramePriorityUpdate, 0, 0, "\x00\x00\x00\x00u=1"), connProtocol},
}

func TestInvalidFrames(t *testing.T) {
	if len(invalidFrames) < 40 {
		t.Fatalf("only %d invalid frames", len(invalidFrames))
	}
	for _, c := range invalidFrames {
		_, err := readOne(c.frame)
		if got := errKind(err); got != c.want {
			t.Errorf("%s: got %s (%v), want %s", c.name, got, err, c.want)
		}
		if se, ok := err.(StreamError); ok && se.StreamID != 0 {
			t.Errorf("%s: parser set StreamID %d", c.name, se.StreamID)
		}
	}
}

// TestFrameTooLarge checks that a frame over our SETTINGS_MAX_FRAME_SIZE
// is refused from its header alone, whatever its type, and that one at the
// limit is not.
func TestFrameTooLarge(t *testing.T) {
	for _, typ := range []FrameType{FrameData, FrameHeaders, FrameSettings, FramePing, 0x42} {
		hdr := AppendFrameHeader(nil, FrameHeader{Length: DefaultMaxFrameSize + 1, Type: typ, StreamID: 1})
		_, _, n, err := ReadFrame(hdr, DefaultMaxFrameSize)
		if n != 0 || errKind(err) != connFrameSize {
			t.Errorf("%v over the limit: n %d, %v", typ, n, err)
		}
		hdr = AppendFrameHeader(nil, FrameHeader{Length: DefaultMaxFrameSize, Type: typ, StreamID: 1})
		fh, _, n, err := ReadFrame(hdr, DefaultMaxFrameSize)
		if n != 0 || err != nil || fh.Length != DefaultMaxFrameSize {
			t.Errorf("%v at the limit, payload missing: n %d, %v, %+v", typ, n, err, fh)
		}
	}
}
