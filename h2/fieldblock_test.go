package h2

import "testing"

func TestFieldBlockTracker(t *testing.T) {
	h := func(typ FrameType, f Flags, stream uint32) FrameHeader {
		return FrameHeader{Type: typ, Flags: f, StreamID: stream}
	}
	for _, c := range []struct {
		name   string
		frames []FrameHeader
		want   string // the verdict on the last frame
	}{
		{"complete HEADERS", []FrameHeader{h(FrameHeaders, FlagEndHeaders, 1), h(FrameData, 0, 1)}, "ok"},
		{"HEADERS then CONTINUATION", []FrameHeader{h(FrameHeaders, 0, 1), h(FrameContinuation, 0, 1), h(FrameContinuation, FlagEndHeaders, 1), h(FramePing, 0, 0)}, "ok"},
		{"PUSH_PROMISE then CONTINUATION", []FrameHeader{h(FramePushPromise, 0, 1), h(FrameContinuation, FlagEndHeaders, 1)}, "ok"},
		{"CONTINUATION alone", []FrameHeader{h(FrameContinuation, FlagEndHeaders, 1)}, connProtocol},
		{"CONTINUATION after a complete block", []FrameHeader{h(FrameHeaders, FlagEndHeaders, 1), h(FrameContinuation, 0, 1)}, connProtocol},
		{"CONTINUATION on another stream", []FrameHeader{h(FrameHeaders, 0, 1), h(FrameContinuation, FlagEndHeaders, 3)}, connProtocol},
		{"DATA inside a block", []FrameHeader{h(FrameHeaders, 0, 1), h(FrameData, 0, 1)}, connProtocol},
		{"PING inside a block", []FrameHeader{h(FrameHeaders, 0, 1), h(FramePing, 0, 0)}, connProtocol},
		{"HEADERS inside a block", []FrameHeader{h(FrameHeaders, 0, 1), h(FrameHeaders, FlagEndHeaders, 3)}, connProtocol},
		{"unknown type inside a block", []FrameHeader{h(FrameHeaders, 0, 1), h(0xfa, 0, 1)}, connProtocol},
		{"unknown type outside a block", []FrameHeader{h(FrameHeaders, FlagEndHeaders, 1), h(0xfa, FlagEndHeaders, 1)}, "ok"},
		{"END_HEADERS only ends on CONTINUATION", []FrameHeader{h(FrameHeaders, 0, 1), h(FrameContinuation, FlagEndStream, 1), h(FrameData, FlagEndHeaders, 1)}, connProtocol},
	} {
		var tr FieldBlockTracker
		var err error
		for i, fh := range c.frames {
			err = tr.Check(fh)
			if err != nil && i < len(c.frames)-1 {
				t.Fatalf("%s: frame %d: %v", c.name, i, err)
			}
		}
		if errKind(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	var tr FieldBlockTracker
	tr.Check(FrameHeader{Type: FrameHeaders, StreamID: 5})
	if id, open := tr.InBlock(); id != 5 || !open {
		t.Errorf("InBlock = %d, %v", id, open)
	}
}
