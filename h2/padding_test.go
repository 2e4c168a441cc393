package h2

import (
	"bytes"
	"testing"
)

// TestPadding covers the edges of RFC 9113 §6.1, §6.2 and §6.6: padding
// may take everything after the fixed fields, not one octet more.
func TestPadding(t *testing.T) {
	for _, c := range []struct {
		name    string
		frame   []byte
		content string
		want    string
	}{
		{"DATA pad 0", raw(FrameData, FlagPadded, 1, "\x00abc"), "abc", "ok"},
		{"DATA pad 2", raw(FrameData, FlagPadded, 1, "\x02abc\x00\x00"), "abc", "ok"},
		{"DATA pad = remaining", raw(FrameData, FlagPadded, 1, "\x03abc"), "", "ok"},
		{"DATA pad length only", raw(FrameData, FlagPadded, 1, "\x00"), "", "ok"},
		{"DATA pad = remaining + 1", raw(FrameData, FlagPadded, 1, "\x04abc"), "", connProtocol},
		{"DATA padding need not be zero", raw(FrameData, FlagPadded, 1, "\x01a\xff"), "a", "ok"},
		{"HEADERS pad = remaining", raw(FrameHeaders, FlagPadded, 1, "\x02ab"), "", "ok"},
		{"HEADERS pad = remaining + 1", raw(FrameHeaders, FlagPadded, 1, "\x03ab"), "", connProtocol},
		{"HEADERS pad and priority = remaining", raw(FrameHeaders, FlagPadded|FlagPriority, 1, "\x02\x00\x00\x00\x03\x0fab"), "", "ok"},
		{"HEADERS pad and priority, block left", raw(FrameHeaders, FlagPadded|FlagPriority, 1, "\x01\x00\x00\x00\x03\x0f\x82z"), "\x82", "ok"},
		{"HEADERS pad and priority = remaining + 1", raw(FrameHeaders, FlagPadded|FlagPriority, 1, "\x03\x00\x00\x00\x03\x0fab"), "", connProtocol},
		{"PUSH_PROMISE pad = remaining", raw(FramePushPromise, FlagPadded, 1, "\x01\x00\x00\x00\x02z"), "", "ok"},
		{"PUSH_PROMISE pad = remaining + 1", raw(FramePushPromise, FlagPadded, 1, "\x02\x00\x00\x00\x02z"), "", connProtocol},
		{"PADDED ignored on CONTINUATION", raw(FrameContinuation, FlagPadded, 1, "\x05a"), "\x05a", "ok"},
		{"PADDED ignored on GOAWAY", raw(FrameGoAway, FlagPadded, 0, "\x00\x00\x00\x01\x00\x00\x00\x00\x09"), "\x09", "ok"},
	} {
		got, err := readOne(c.frame)
		if errKind(err) != c.want {
			t.Errorf("%s: got %s (%v), want %s", c.name, errKind(err), err, c.want)
			continue
		}
		if err == nil && !bytes.Equal(got.Content, []byte(c.content)) {
			t.Errorf("%s: content %q, want %q", c.name, got.Content, c.content)
		}
	}
}
