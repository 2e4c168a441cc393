package h2

import "testing"

// parseQuietly runs the parser of fh.Type and keeps nothing, as a role
// would on the hot path.
func parseQuietly(fh FrameHeader, p []byte) (err error) {
	switch fh.Type {
	case FrameData:
		_, err = ParseData(fh, p)
	case FrameHeaders:
		_, _, err = ParseHeaders(fh, p)
	case FramePriority:
		_, err = ParsePriority(fh, p)
	case FrameRSTStream:
		_, err = ParseRSTStream(fh, p)
	case FrameSettings:
		var it SettingsIter
		it, err = ParseSettings(fh, p)
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
	case FramePushPromise:
		_, _, err = ParsePushPromise(fh, p)
	case FramePing:
		_, err = ParsePing(fh, p)
	case FrameGoAway:
		_, _, _, err = ParseGoAway(fh, p)
	case FrameWindowUpdate:
		_, err = ParseWindowUpdate(fh, p)
	case FrameContinuation:
		_, err = ParseContinuation(fh, p)
	case FramePriorityUpdate:
		_, _, err = ParsePriorityUpdate(fh, p)
	}
	return err
}

// TestZeroAllocs checks that reading, parsing (valid frames and invalid
// ones alike) and writing allocate nothing.
func TestZeroAllocs(t *testing.T) {
	stream := sampleStream()
	var invalid [][]byte
	for _, c := range invalidFrames {
		invalid = append(invalid, c.frame)
	}
	dst := make([]byte, 0, 1<<16)
	block := make([]byte, 40000)
	data := []byte("hello, world")
	ping := [8]byte{1, 2, 3}
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"ReadFrame + parse", func() {
			var tr FieldBlockTracker
			for b := stream; len(b) > 0; {
				fh, p, n, _ := ReadFrame(b, DefaultMaxFrameSize)
				tr.Check(fh)
				if parseQuietly(fh, p) != nil {
					panic("sample frame refused")
				}
				b = b[n:]
			}
		}},
		{"ReadFrame + parse, invalid frames", func() {
			for _, b := range invalid {
				fh, p, _, _ := ReadFrame(b, MaxFrameSizeLimit)
				if parseQuietly(fh, p) == nil {
					panic("invalid frame accepted")
				}
			}
		}},
		{"frame too large", func() { ReadFrame(invalid[0][:9], 0) }},
		{"AppendFrameHeader", func() { AppendFrameHeader(dst[:0], FrameHeader{Length: 1, Type: FrameData}) }},
		{"AppendData", func() { AppendData(dst[:0], 1, true, data) }},
		{"AppendDataHeader", func() { AppendDataHeader(dst[:0], 1, true, 1000) }},
		{"AppendHeaders", func() { AppendHeaders(dst[:0], 1, true, true, data) }},
		{"AppendHeadersPriority", func() { AppendHeadersPriority(dst[:0], 1, true, true, Priority{StreamDep: 3}, data) }},
		{"AppendHeaderBlock", func() { AppendHeaderBlock(dst[:0], 1, true, block, 0) }},
		{"AppendPriority", func() { AppendPriority(dst[:0], 1, Priority{StreamDep: 3}) }},
		{"AppendRSTStream", func() { AppendRSTStream(dst[:0], 1, ErrCodeCancel) }},
		{"AppendSettings", func() {
			AppendSettings(dst[:0], Setting{SettingMaxConcurrentStreams, 100}, Setting{SettingInitialWindowSize, 1 << 20}, Setting{SettingEnableConnectProtocol, 1})
		}},
		{"AppendSettingsAck", func() { AppendSettingsAck(dst[:0]) }},
		{"AppendPushPromise", func() { AppendPushPromise(dst[:0], 1, 2, true, data) }},
		{"AppendPing", func() { AppendPing(dst[:0], true, ping) }},
		{"AppendGoAway", func() { AppendGoAway(dst[:0], 1, ErrCodeProtocol, data) }},
		{"AppendWindowUpdate", func() { AppendWindowUpdate(dst[:0], 1, 1000) }},
		{"AppendContinuation", func() { AppendContinuation(dst[:0], 1, true, data) }},
		{"AppendPriorityUpdate", func() { AppendPriorityUpdate(dst[:0], 1, data) }},
	} {
		if n := testing.AllocsPerRun(100, c.f); n != 0 {
			t.Errorf("%s: %v allocations", c.name, n)
		}
	}
}
