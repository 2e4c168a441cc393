package interop_test

// A differential test of golws's HTTP/2 frame layer (package h2) against
// golang.org/x/net/http2's Framer: the same bytes go to both, frame after
// frame, and both must accept each frame with the same meaning or both
// refuse it.
//
// The two draw the line between "frame layer" and "connection" in
// slightly different places, and read RFC 9113 differently in a few
// spots. Each intentional difference is listed in knownDifference below
// and shown by a case of TestH2FrameDifferential; anything else that
// differs fails the test. On x/net's side the Framer runs as its server
// uses it (AllowIllegalReads false, no ReadMetaHeaders), and a SETTINGS
// frame's values also go through Setting.Valid, which its server and
// transport apply right after reading the frame. Checks that x/net makes
// later still are not emulated: its server's refusal of SETTINGS frames
// with duplicate ids or more than 100 values (a defence of its own, not
// an RFC 9113 rule), and the stream-state checks golws leaves to its role.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/golws/golws/h2"
	"golang.org/x/net/http2"
)

// view is what a frame means, in one shape for both implementations.
type view struct {
	Type     uint8
	Flags    uint8 // as on the wire: both keep every bit
	StreamID uint32
	Content  string // data, field block fragment, debug data, priority field or unknown payload
	Prio     string // dependency, exclusive, weight, for frames that carry a priority signal
	Code     uint32
	ID       uint32 // promised stream, last stream id, increment or prioritized stream
	Ping     [8]byte
	Settings string
}

// verdict is one implementation's answer for one frame.
type verdict struct {
	view
	incomplete bool  // the input ended before the frame did
	err        error // the frame was refused
}

func (v verdict) String() string {
	switch {
	case v.incomplete:
		return "incomplete"
	case v.err != nil:
		return fmt.Sprintf("refused (%T %v)", v.err, v.err)
	}
	return fmt.Sprintf("accepted %+v", v.view)
}

// golws reads frames from a buffer as a golws role would: the field
// block rule on each header, then the parser of the frame's type.
type golws struct {
	buf []byte
	tr  h2.FieldBlockTracker
}

func (g *golws) next() verdict {
	fh, p, n, err := h2.ReadFrame(g.buf, h2.MaxFrameSizeLimit)
	if err != nil {
		return verdict{err: err}
	}
	if len(g.buf) >= h2.FrameHeaderLen {
		// A role checks the order as soon as a header is in, as x/net does.
		if err := g.tr.Check(fh); err != nil {
			return verdict{err: err}
		}
	}
	if n == 0 {
		return verdict{incomplete: true}
	}
	g.buf = g.buf[n:]
	v := view{Type: uint8(fh.Type), Flags: uint8(fh.Flags), StreamID: fh.StreamID}
	var content []byte
	switch fh.Type {
	case h2.FrameData:
		content, err = h2.ParseData(fh, p)
	case h2.FrameHeaders:
		var prio h2.Priority
		content, prio, err = h2.ParseHeaders(fh, p)
		if prio.Set {
			v.Prio = fmt.Sprint(prio.StreamDep, prio.Exclusive, prio.Weight)
		}
	case h2.FramePriority:
		var prio h2.Priority
		if prio, err = h2.ParsePriority(fh, p); err == nil {
			v.Prio = fmt.Sprint(prio.StreamDep, prio.Exclusive, prio.Weight)
		}
	case h2.FrameRSTStream:
		var code h2.ErrCode
		code, err = h2.ParseRSTStream(fh, p)
		v.Code = uint32(code)
	case h2.FrameSettings:
		var it h2.SettingsIter
		it, err = h2.ParseSettings(fh, p)
		for s, ok := it.Next(); ok; s, ok = it.Next() {
			v.Settings += fmt.Sprintf("%d=%d ", s.ID, s.Val)
		}
	case h2.FramePushPromise:
		v.ID, content, err = h2.ParsePushPromise(fh, p)
	case h2.FramePing:
		v.Ping, err = h2.ParsePing(fh, p)
	case h2.FrameGoAway:
		var code h2.ErrCode
		v.ID, code, content, err = h2.ParseGoAway(fh, p)
		v.Code = uint32(code)
	case h2.FrameWindowUpdate:
		v.ID, err = h2.ParseWindowUpdate(fh, p)
	case h2.FrameContinuation:
		content, err = h2.ParseContinuation(fh, p)
	case h2.FramePriorityUpdate:
		v.ID, content, err = h2.ParsePriorityUpdate(fh, p)
	default:
		content = p
	}
	v.Content = string(content)
	return verdict{view: v, err: err}
}

// xnet reads frames with x/net's Framer.
type xnet struct {
	fr *http2.Framer
}

// newXnet reads data with a Framer whose largest frame is the input's
// length (or the default, if more): a larger one cannot be whole, and
// x/net allocates a frame's whole length before reading it, which with
// lengths up to 2^24-1 would slow fuzzing to a crawl.
func newXnet(data []byte) *xnet {
	fr := http2.NewFramer(io.Discard, bytes.NewReader(data))
	fr.SetMaxReadFrameSize(uint32(max(len(data), h2.DefaultMaxFrameSize)))
	return &xnet{fr}
}

// next reads the next frame; whole says whether the input holds all of
// it, since x/net reports a truncated input and a frame too short for its
// pad length or priority signal with the same io.ErrUnexpectedEOF.
func (x *xnet) next(whole bool) verdict {
	f, err := x.fr.ReadFrame()
	if !whole && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return verdict{incomplete: true}
	}
	if err != nil {
		return verdict{err: err}
	}
	fh := f.Header()
	v := view{Type: uint8(fh.Type), Flags: uint8(fh.Flags), StreamID: fh.StreamID}
	switch f := f.(type) {
	case *http2.DataFrame:
		v.Content = string(f.Data())
	case *http2.HeadersFrame:
		v.Content = string(f.HeaderBlockFragment())
		if f.HasPriority() {
			v.Prio = fmt.Sprint(f.Priority.StreamDep, f.Priority.Exclusive, f.Priority.Weight)
		}
	case *http2.PriorityFrame:
		v.Prio = fmt.Sprint(f.StreamDep, f.Exclusive, f.Weight)
	case *http2.RSTStreamFrame:
		v.Code = uint32(f.ErrCode)
	case *http2.SettingsFrame:
		err = f.ForeachSetting(func(s http2.Setting) error {
			v.Settings += fmt.Sprintf("%d=%d ", s.ID, s.Val)
			return s.Valid()
		})
	case *http2.PushPromiseFrame:
		v.ID, v.Content = f.PromiseID, string(f.HeaderBlockFragment())
	case *http2.PingFrame:
		v.Ping = f.Data
	case *http2.GoAwayFrame:
		v.ID, v.Code, v.Content = f.LastStreamID, uint32(f.ErrCode), string(f.DebugData())
	case *http2.WindowUpdateFrame:
		v.ID = f.Increment
	case *http2.ContinuationFrame:
		v.Content = string(f.HeaderBlockFragment())
	case *http2.PriorityUpdateFrame:
		v.ID, v.Content = f.PrioritizedStreamID, f.Priority
	case *http2.UnknownFrame:
		v.Content = string(f.Payload())
	default:
		return verdict{err: fmt.Errorf("unexpected frame %T", f)}
	}
	return verdict{view: v, err: err}
}

// wholeFrame reports whether buf starts with a whole frame.
func wholeFrame(buf []byte) bool {
	fh, ok := h2.ParseFrameHeader(buf)
	return ok && len(buf) >= h2.FrameHeaderLen+int(fh.Length)
}

// The intentional differences, each one frame that one side accepts and
// the other refuses. Frames that both refuse, with another code or kind
// (connection or stream error), or with x/net's non-protocol errors,
// count as agreement: both stop processing them. Those are:
//   - PRIORITY of a length other than 5: a stream error for golws (RFC
//     9113 §6.3 says so), a connection error for x/net.
//   - HEADERS padding longer than the field block: a connection error for
//     golws (the HPACK context cannot be kept in step without the block's
//     bounds), a stream error for x/net.
//   - a padded frame too short for its pad length, HEADERS too short for
//     its priority signal, PUSH_PROMISE without a promised id: a
//     FRAME_SIZE_ERROR for golws (RFC 9113 §4.2), io.ErrUnexpectedEOF for
//     x/net.
//   - a frame longer than the receiver's SETTINGS_MAX_FRAME_SIZE: a
//     FRAME_SIZE_ERROR for golws, http2.ErrFrameTooLarge for x/net (see
//     TestH2FrameTooLarge).
const (
	// x/net's Framer does not check that a stream does not depend on
	// itself (RFC 9113 §5.3.1): golws makes it a stream error, and still
	// returns HEADERS' field block so that HPACK stays in step.
	diffSelfDependency = "self-dependency: golws stream error, x/net accepts"
	// x/net's Setting.Valid predates RFC 9218: it lets
	// SETTINGS_NO_RFC7540_PRIORITIES take values other than 0 and 1.
	diffNoRFC7540Priorities = "NO_RFC7540_PRIORITIES > 1: golws refuses, x/net accepts"
	// Promising stream 0 is never valid (RFC 9113 §6.6): golws refuses it
	// in the frame layer, x/net leaves it to the connection.
	diffPromisedStream0 = "PUSH_PROMISE of stream 0: golws refuses, x/net accepts"
	// x/net's Framer only tracks field blocks opened by HEADERS: after a
	// PUSH_PROMISE without END_HEADERS it refuses the CONTINUATION that
	// RFC 9113 §6.10 requires and accepts any other frame.
	diffPushPromiseBlock = "field block of a PUSH_PROMISE: x/net does not track it"
)

// knownDifference names the intentional difference that explains ours and
// theirs disagreeing on the frame at the start of buf, or returns "".
// pushBlock says whether a PUSH_PROMISE has opened a field block that is
// still open.
func knownDifference(buf []byte, pushBlock bool, ours, theirs verdict) string {
	fh, _ := h2.ParseFrameHeader(buf)
	var se h2.StreamError
	switch {
	case pushBlock:
		return diffPushPromiseBlock
	case theirs.err != nil || theirs.incomplete || ours.incomplete:
		return ""
	case errors.As(ours.err, &se) && se.Code == h2.ErrCodeProtocol && (fh.Type == h2.FrameHeaders || fh.Type == h2.FramePriority) &&
		strings.HasPrefix(theirs.Prio, fmt.Sprint(fh.StreamID, " ")):
		return diffSelfDependency
	case fh.Type == h2.FrameSettings && hasSettingAbove(theirs.Settings, "9=", 1):
		return diffNoRFC7540Priorities
	case fh.Type == h2.FramePushPromise && theirs.ID == 0:
		return diffPromisedStream0
	}
	return ""
}

// hasSettingAbove reports whether a view's settings give prefix a value
// above max.
func hasSettingAbove(settings, prefix string, max uint64) bool {
	for _, s := range strings.Fields(settings) {
		var v uint64
		if strings.HasPrefix(s, prefix) {
			if _, err := fmt.Sscan(s[len(prefix):], &v); err == nil && v > max {
				return true
			}
		}
	}
	return false
}

// compare feeds data to both implementations and returns how many frames
// they agreed on and the intentional difference that stopped the
// comparison ("" if none did), or an error for a difference that is not
// one of them.
func compare(data []byte) (frames int, why string, err error) {
	g := &golws{buf: data}
	x := newXnet(data)
	pushBlock := false
	for i := 0; ; i++ {
		frames = i
		buf := g.buf
		ours := g.next()
		theirs := x.next(wholeFrame(buf))
		if errors.Is(theirs.err, http2.ErrFrameTooLarge) {
			// The frame runs past the input's end (see newXnet) and
			// x/net stops before its field block check, so there is
			// nothing to compare but that golws did not accept it.
			if !ours.incomplete && ours.err == nil {
				return frames, "", fmt.Errorf("frame %d longer than the input accepted: %v", i, ours)
			}
			return frames, "", nil
		}
		agree := ours.incomplete == theirs.incomplete && (ours.err == nil) == (theirs.err == nil)
		switch {
		case agree && (ours.incomplete || ours.err != nil):
			return frames, "", nil
		case agree && ours.view != theirs.view:
			return frames, "", fmt.Errorf("frame %d means %v to golws, %v to x/net", i, ours, theirs)
		case agree:
		default:
			why := knownDifference(buf, pushBlock, ours, theirs)
			if why == "" {
				return frames, "", fmt.Errorf("frame %d (%x): golws %v, x/net %v", i, buf[:min(len(buf), 32)], ours, theirs)
			}
			if why != diffSelfDependency {
				return frames, why, nil
			}
			if ours.Prio == "" {
				ours.Prio = theirs.Prio // PRIORITY returns no signal with its error
			}
			if ours.view != theirs.view {
				return frames, "", fmt.Errorf("frame %d means %v to golws, %v to x/net", i, ours, theirs)
			}
		}
		if _, open := g.tr.InBlock(); !open {
			pushBlock = false
		} else if ours.Type == uint8(h2.FramePushPromise) {
			pushBlock = true
		}
	}
}

// rawFrame builds a frame whatever the rules say.
func rawFrame(t h2.FrameType, f h2.Flags, stream uint32, payload string) []byte {
	b := h2.AppendFrameHeader(nil, h2.FrameHeader{Length: uint32(len(payload)), Type: t, Flags: f, StreamID: stream})
	return append(b, payload...)
}

func concat(frames ...[]byte) []byte { return bytes.Join(frames, nil) }

// differentialCases are inputs with the outcome they must have: how many
// frames both accept, and "" when they agree all along, else the
// difference that stops them.
var differentialCases = []struct {
	name   string
	in     []byte
	frames int
	want   string
}{
	{"every writer", concat(
		h2.AppendSettings(nil, h2.Setting{ID: h2.SettingMaxConcurrentStreams, Val: 100}, h2.Setting{ID: h2.SettingEnableConnectProtocol, Val: 1}),
		h2.AppendSettingsAck(nil),
		h2.AppendHeaderBlock(nil, 1, false, make([]byte, 40000), 0),
		h2.AppendHeadersPriority(nil, 3, true, true, h2.Priority{StreamDep: 1, Exclusive: true, Weight: 200}, []byte{0x82}),
		h2.AppendData(nil, 1, true, []byte("body")),
		h2.AppendPriority(nil, 5, h2.Priority{StreamDep: 3, Weight: 9}),
		h2.AppendRSTStream(nil, 3, h2.ErrCodeCancel),
		h2.AppendPushPromise(nil, 1, 2, true, []byte{0x82}),
		h2.AppendPing(nil, true, [8]byte{1, 2, 3}),
		h2.AppendWindowUpdate(nil, 0, 1<<30),
		h2.AppendPriorityUpdate(nil, 5, []byte("u=2")),
		rawFrame(0xfa, 0xff, 9, "extension"),
		h2.AppendGoAway(nil, 7, h2.ErrCodeNo, []byte("bye")),
	), 15, ""},
	{"padding", concat(
		rawFrame(h2.FrameData, h2.FlagPadded, 1, "\x03abc\x00\x00\x00"),
		rawFrame(h2.FrameData, h2.FlagPadded, 1, "\x03abc"),
		rawFrame(h2.FrameHeaders, h2.FlagPadded|h2.FlagPriority|h2.FlagEndHeaders, 1, "\x01\x00\x00\x00\x00\x10\x82\x00"),
		rawFrame(h2.FramePushPromise, h2.FlagPadded|h2.FlagEndHeaders, 1, "\x01\x00\x00\x00\x04\x82\x00"),
	), 4, ""},
	{"reserved bits", []byte("\x00\x00\x04\x08\xff\x80\x00\x00\x01\x80\x00\x00\x09"), 1, ""},
	{"truncated", h2.AppendData(nil, 1, false, []byte("abc"))[:10], 0, ""},
	{"DATA pad too long", rawFrame(h2.FrameData, h2.FlagPadded, 1, "\x04abc"), 0, ""},
	{"DATA without pad length", rawFrame(h2.FrameData, h2.FlagPadded, 1, ""), 0, ""},
	{"HEADERS pad too long", rawFrame(h2.FrameHeaders, h2.FlagPadded, 1, "\x03ab"), 0, ""},
	{"HEADERS short priority", rawFrame(h2.FrameHeaders, h2.FlagPriority, 1, "\x00\x00\x00\x03"), 0, ""},
	{"PRIORITY length 4", rawFrame(h2.FramePriority, 0, 1, "\x00\x00\x00\x03"), 0, ""},
	{"SETTINGS ack with payload", rawFrame(h2.FrameSettings, h2.FlagAck, 0, "\x00\x01\x00\x00\x00\x00"), 0, ""},
	{"SETTINGS length 5", rawFrame(h2.FrameSettings, 0, 0, "\x00\x01\x00\x00\x00"), 0, ""},
	{"ENABLE_PUSH 2", rawFrame(h2.FrameSettings, 0, 0, "\x00\x02\x00\x00\x00\x02"), 0, ""},
	{"INITIAL_WINDOW_SIZE 2^31", rawFrame(h2.FrameSettings, 0, 0, "\x00\x04\x80\x00\x00\x00"), 0, ""},
	{"MAX_FRAME_SIZE 16383", rawFrame(h2.FrameSettings, 0, 0, "\x00\x05\x00\x00\x3f\xff"), 0, ""},
	{"ENABLE_CONNECT_PROTOCOL 2", rawFrame(h2.FrameSettings, 0, 0, "\x00\x08\x00\x00\x00\x02"), 0, ""},
	{"PING length 7", rawFrame(h2.FramePing, 0, 0, "1234567"), 0, ""},
	{"GOAWAY on a stream", rawFrame(h2.FrameGoAway, 0, 1, "\x00\x00\x00\x00\x00\x00\x00\x00"), 0, ""},
	{"WINDOW_UPDATE 0", rawFrame(h2.FrameWindowUpdate, 0, 1, "\x00\x00\x00\x00"), 0, ""},
	{"CONTINUATION alone", rawFrame(h2.FrameContinuation, h2.FlagEndHeaders, 1, "\x82"), 0, ""},
	{"HEADERS interrupted", concat(h2.AppendHeaders(nil, 1, false, false, []byte{0x82}), h2.AppendPing(nil, false, [8]byte{})), 1, ""},
	{"HEADERS interrupted by an unknown type", concat(h2.AppendHeaders(nil, 1, false, false, []byte{0x82}), rawFrame(0xfa, 0, 1, "")), 1, ""},
	{"PRIORITY_UPDATE for stream 0", rawFrame(h2.FramePriorityUpdate, 0, 0, "\x00\x00\x00\x00u=1"), 0, ""},
	{"HEADERS on itself", concat(rawFrame(h2.FrameHeaders, h2.FlagPriority, 3, "\x00\x00\x00\x03\x0f\x82"), h2.AppendContinuation(nil, 3, true, []byte{0x84}), h2.AppendPing(nil, false, [8]byte{})), 3, ""},
	{"PRIORITY on itself", concat(rawFrame(h2.FramePriority, 0, 5, "\x80\x00\x00\x05\x0f"), h2.AppendPing(nil, false, [8]byte{})), 2, ""},
	{"NO_RFC7540_PRIORITIES 2", rawFrame(h2.FrameSettings, 0, 0, "\x00\x09\x00\x00\x00\x02"), 0, diffNoRFC7540Priorities},
	{"PUSH_PROMISE of stream 0", rawFrame(h2.FramePushPromise, h2.FlagEndHeaders, 1, "\x00\x00\x00\x00"), 0, diffPromisedStream0},
	{"PUSH_PROMISE then CONTINUATION", concat(h2.AppendPushPromise(nil, 1, 2, false, []byte{0x82}), h2.AppendContinuation(nil, 1, true, []byte{0x84})), 1, diffPushPromiseBlock},
	{"PUSH_PROMISE interrupted", concat(h2.AppendPushPromise(nil, 1, 2, false, []byte{0x82}), h2.AppendPing(nil, false, [8]byte{})), 1, diffPushPromiseBlock},
}

func TestH2FrameDifferential(t *testing.T) {
	for _, c := range differentialCases {
		frames, why, err := compare(c.in)
		if err != nil || why != c.want || frames != c.frames {
			t.Errorf("%s: %d frames, stopped by %q, %v; want %d, %q", c.name, frames, why, err, c.frames, c.want)
		}
	}
}

// TestH2FrameTooLarge checks that both refuse a frame over their limit
// from its header alone.
func TestH2FrameTooLarge(t *testing.T) {
	hdr := h2.AppendFrameHeader(nil, h2.FrameHeader{Length: h2.DefaultMaxFrameSize + 1, Type: h2.FrameData, StreamID: 1})
	_, _, n, ours := h2.ReadFrame(hdr, h2.DefaultMaxFrameSize)
	fr := http2.NewFramer(io.Discard, bytes.NewReader(hdr))
	fr.SetMaxReadFrameSize(h2.DefaultMaxFrameSize)
	_, theirs := fr.ReadFrame()
	var ce h2.ConnError
	if n != 0 || !errors.As(ours, &ce) || ce.Code != h2.ErrCodeFrameSize || !errors.Is(theirs, http2.ErrFrameTooLarge) {
		t.Errorf("golws %v, x/net %v", ours, theirs)
	}
}

func FuzzH2FrameDifferential(f *testing.F) {
	for _, c := range differentialCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, _, err := compare(data); err != nil {
			t.Fatal(err)
		}
	})
}
