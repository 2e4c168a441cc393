package h2

import (
	"bytes"
	"strings"
	"testing"
)

// sampleFrames has every writer at work, with the frame each must give.
var sampleFrames = []struct {
	name  string
	frame []byte
	want  parsed
}{
	{"DATA", AppendData(nil, 1, false, []byte("hello")), parsed{Type: FrameData, StreamID: 1, Content: []byte("hello")}},
	{"DATA end", AppendData(nil, 3, true, nil), parsed{Type: FrameData, Flags: FlagEndStream, StreamID: 3}},
	{"DATA header", append(AppendDataHeader(nil, 5, true, 3), "abc"...), parsed{Type: FrameData, Flags: FlagEndStream, StreamID: 5, Content: []byte("abc")}},
	{"HEADERS", AppendHeaders(nil, 1, true, true, []byte{0x82, 0x86}), parsed{Type: FrameHeaders, Flags: FlagEndStream | FlagEndHeaders, StreamID: 1, Content: []byte{0x82, 0x86}}},
	{"HEADERS open", AppendHeaders(nil, 7, false, false, []byte{0x82}), parsed{Type: FrameHeaders, StreamID: 7, Content: []byte{0x82}}},
	{"HEADERS priority", AppendHeadersPriority(nil, 9, false, true, Priority{StreamDep: 3, Exclusive: true, Weight: 255}, []byte{0x82}),
		parsed{Type: FrameHeaders, Flags: FlagEndHeaders | FlagPriority, StreamID: 9, Content: []byte{0x82}, Prio: Priority{3, true, 255, true}}},
	{"PRIORITY", AppendPriority(nil, 5, Priority{StreamDep: 1, Weight: 15}), parsed{Type: FramePriority, StreamID: 5, Prio: Priority{1, false, 15, true}}},
	{"PRIORITY exclusive on 0", AppendPriority(nil, 5, Priority{Exclusive: true}), parsed{Type: FramePriority, StreamID: 5, Prio: Priority{0, true, 0, true}}},
	{"RST_STREAM", AppendRSTStream(nil, 1, ErrCodeCancel), parsed{Type: FrameRSTStream, StreamID: 1, Code: ErrCodeCancel}},
	{"RST_STREAM unknown code", AppendRSTStream(nil, 1, 0xdeadbeef), parsed{Type: FrameRSTStream, StreamID: 1, Code: 0xdeadbeef}},
	{"SETTINGS", AppendSettings(nil, Setting{SettingMaxConcurrentStreams, 100}, Setting{SettingInitialWindowSize, MaxWindowSize}, Setting{0xff, 7}),
		parsed{Type: FrameSettings, Settings: []Setting{{SettingMaxConcurrentStreams, 100}, {SettingInitialWindowSize, MaxWindowSize}, {0xff, 7}}}},
	{"SETTINGS empty", AppendSettings(nil), parsed{Type: FrameSettings}},
	{"SETTINGS ack", AppendSettingsAck(nil), parsed{Type: FrameSettings, Flags: FlagAck}},
	{"PUSH_PROMISE", AppendPushPromise(nil, 1, 2, true, []byte{0x82}), parsed{Type: FramePushPromise, Flags: FlagEndHeaders, StreamID: 1, ID: 2, Content: []byte{0x82}}},
	{"PING", AppendPing(nil, false, [8]byte{1, 2, 3, 4, 5, 6, 7, 8}), parsed{Type: FramePing, Ping: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}}},
	{"PING ack", AppendPing(nil, true, [8]byte{8}), parsed{Type: FramePing, Flags: FlagAck, Ping: [8]byte{8}}},
	{"GOAWAY", AppendGoAway(nil, 7, ErrCodeEnhanceYourCalm, []byte("slow down")), parsed{Type: FrameGoAway, ID: 7, Code: ErrCodeEnhanceYourCalm, Content: []byte("slow down")}},
	{"GOAWAY bare", AppendGoAway(nil, MaxWindowSize, ErrCodeNo, nil), parsed{Type: FrameGoAway, ID: MaxWindowSize}},
	{"WINDOW_UPDATE connection", AppendWindowUpdate(nil, 0, MaxWindowSize), parsed{Type: FrameWindowUpdate, ID: MaxWindowSize}},
	{"WINDOW_UPDATE stream", AppendWindowUpdate(nil, 3, 1), parsed{Type: FrameWindowUpdate, StreamID: 3, ID: 1}},
	{"CONTINUATION", AppendContinuation(nil, 1, true, []byte{0x84}), parsed{Type: FrameContinuation, Flags: FlagEndHeaders, StreamID: 1, Content: []byte{0x84}}},
	{"CONTINUATION empty", AppendContinuation(nil, 1, false, nil), parsed{Type: FrameContinuation, StreamID: 1}},
	{"PRIORITY_UPDATE", AppendPriorityUpdate(nil, 5, []byte("u=1, i")), parsed{Type: FramePriorityUpdate, ID: 5, Content: []byte("u=1, i")}},
	{"unknown type", raw(0xfa, 0xff, 7, "extension"), parsed{Type: 0xfa, Flags: 0xff, StreamID: 7, Content: []byte("extension")}},
}

func TestRoundTrip(t *testing.T) {
	seen := map[FrameType]bool{}
	for _, c := range sampleFrames {
		got, err := readOne(c.frame)
		if err != nil || !got.equal(c.want) {
			t.Errorf("%s: got %+v, %v; want %+v", c.name, got, err, c.want)
			continue
		}
		if again := serialize(got); !bytes.Equal(again, c.frame) {
			t.Errorf("%s: serialized again as %x, was %x", c.name, again, c.frame)
		}
		seen[got.Type] = true
	}
	for typ := range FrameType(0xff) {
		if typ.IsKnown() && !seen[typ] {
			t.Errorf("no round trip of %v", typ)
		}
	}
}

// TestWritersClearReservedBit checks that a stream id or increment with
// bit 31 set goes out with it unset (RFC 9113 §4.1).
func TestWritersClearReservedBit(t *testing.T) {
	const id = 1<<31 | 5
	for _, b := range [][]byte{
		AppendData(nil, id, false, nil),
		AppendFrameHeader(nil, FrameHeader{Type: FrameData, StreamID: id}),
		AppendWindowUpdate(nil, id, id),
		AppendPushPromise(nil, id, id, true, nil),
		AppendGoAway(nil, id, 0, nil),
		AppendPriority(nil, id, Priority{StreamDep: id}),
		AppendPriorityUpdate(nil, id, nil),
	} {
		if b[5]&0x80 != 0 || len(b) > 9 && b[9]&0x80 != 0 {
			t.Errorf("reserved bit sent: %x", b)
		}
	}
}

// TestReservedBitIgnored checks that a peer's reserved bits do not change
// what is read (RFC 9113 §4.1, §6.8, §6.9).
func TestReservedBitIgnored(t *testing.T) {
	b := AppendWindowUpdate(nil, 3, 10)
	b[5] |= 0x80
	b[9] |= 0x80
	got, err := readOne(b)
	if err != nil || got.StreamID != 3 || got.ID != 10 {
		t.Errorf("got %+v, %v", got, err)
	}
	g := AppendGoAway(nil, 9, ErrCodeNo, nil)
	g[9] |= 0x80
	if got, err := readOne(g); err != nil || got.ID != 9 {
		t.Errorf("GOAWAY: got %+v, %v", got, err)
	}
}

func TestAppendHeaderBlock(t *testing.T) {
	block := []byte(strings.Repeat("0123456789", 5000)) // 50000 octets
	for _, c := range []struct {
		max    uint32
		frames int
	}{
		{0, 4}, {DefaultMaxFrameSize, 4}, {20000, 3}, {50000, 1}, {1 << 24, 1}, {10000, 5}, {1, 50000},
	} {
		b := AppendHeaderBlock([]byte("x"), 3, true, block, c.max)[1:]
		var got []byte
		var tr FieldBlockTracker
		frames := 0
		for len(b) > 0 {
			fh, p, n, err := ReadFrame(b, frameSizeLimitFor(c.max))
			if err != nil || n == 0 {
				t.Fatalf("max %d: frame %d: n %d, %v", c.max, frames, n, err)
			}
			if err := tr.Check(fh); err != nil {
				t.Fatalf("max %d: frame %d: %v", c.max, frames, err)
			}
			f, err := parseTyped(fh, p)
			if err != nil {
				t.Fatalf("max %d: frame %d: %v", c.max, frames, err)
			}
			wantType, wantFlags := FrameContinuation, Flags(0)
			if frames == 0 {
				wantType, wantFlags = FrameHeaders, FlagEndStream
			}
			if n == len(b) {
				wantFlags |= FlagEndHeaders
			}
			if f.Type != wantType || f.Flags != wantFlags || f.StreamID != 3 {
				t.Fatalf("max %d: frame %d: %+v", c.max, frames, fh)
			}
			got = append(got, f.Content...)
			b = b[n:]
			frames++
		}
		if frames != c.frames || !bytes.Equal(got, block) {
			t.Errorf("max %d: %d frames, block intact %v", c.max, frames, bytes.Equal(got, block))
		}
		if _, open := tr.InBlock(); open {
			t.Errorf("max %d: block left open", c.max)
		}
	}
	empty := AppendHeaderBlock(nil, 1, false, nil, 0)
	if want := AppendHeaders(nil, 1, false, true, nil); !bytes.Equal(empty, want) {
		t.Errorf("empty block: %x", empty)
	}
}

// frameSizeLimitFor is the SETTINGS_MAX_FRAME_SIZE a receiver of
// AppendHeaderBlock(..., max) frames would have advertised.
func frameSizeLimitFor(max uint32) uint32 {
	if max == 0 {
		return DefaultMaxFrameSize
	}
	return max
}

func TestWriterPanicsOnOversizedPayload(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	AppendDataHeader(nil, 1, false, MaxFrameSizeLimit+1)
}
