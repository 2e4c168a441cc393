package h2

import "strconv"

// FrameType is the type octet of a frame header (RFC 9113 §6).
type FrameType uint8

// The frame types of RFC 9113 §6 and PRIORITY_UPDATE of RFC 9218 §7.1.
const (
	FrameData           FrameType = 0x0
	FrameHeaders        FrameType = 0x1
	FramePriority       FrameType = 0x2
	FrameRSTStream      FrameType = 0x3
	FrameSettings       FrameType = 0x4
	FramePushPromise    FrameType = 0x5
	FramePing           FrameType = 0x6
	FrameGoAway         FrameType = 0x7
	FrameWindowUpdate   FrameType = 0x8
	FrameContinuation   FrameType = 0x9
	FramePriorityUpdate FrameType = 0x10
)

var frameTypeNames = [...]string{
	FrameData:           "DATA",
	FrameHeaders:        "HEADERS",
	FramePriority:       "PRIORITY",
	FrameRSTStream:      "RST_STREAM",
	FrameSettings:       "SETTINGS",
	FramePushPromise:    "PUSH_PROMISE",
	FramePing:           "PING",
	FrameGoAway:         "GOAWAY",
	FrameWindowUpdate:   "WINDOW_UPDATE",
	FrameContinuation:   "CONTINUATION",
	FramePriorityUpdate: "PRIORITY_UPDATE",
}

// IsKnown reports whether this package parses frames of type t. A frame
// of any other type must be ignored and discarded (RFC 9113 §5.5), unless
// it interrupts a field block (see [FieldBlockTracker]).
func (t FrameType) IsKnown() bool {
	return int(t) < len(frameTypeNames) && frameTypeNames[t] != ""
}

// String returns the type's name in RFC 9113, or "UNKNOWN_FRAME_0x.." for
// a type it does not define.
func (t FrameType) String() string {
	if t.IsKnown() {
		return frameTypeNames[t]
	}
	return "UNKNOWN_FRAME_0x" + strconv.FormatUint(uint64(t), 16)
}
