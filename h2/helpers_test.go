package h2

import (
	"bytes"
	"errors"
	"fmt"
)

// raw builds a frame byte by byte, whatever the rules say, so that tests
// can send what the writers never would.
func raw(t FrameType, f Flags, stream uint32, payload string) []byte {
	b := AppendFrameHeader(nil, FrameHeader{Length: uint32(len(payload)), Type: t, Flags: f, StreamID: stream})
	return append(b, payload...)
}

// parsed is everything a typed parser returns about a frame, in one shape
// for every type, so that tests can compare frames.
type parsed struct {
	Type     FrameType
	Flags    Flags  // only the flags the type defines, PADDED aside (padding is not content)
	StreamID uint32 // as in the header
	Content  []byte // data, field block fragment, debug data, Priority Field Value or unknown payload
	Prio     Priority
	Code     ErrCode
	ID       uint32 // promised stream, last stream id, window increment or prioritized stream
	Ping     [8]byte
	Settings []Setting
}

// definedFlags are the flags each type gives a meaning to (RFC 9113 §6).
var definedFlags = [...]Flags{
	FrameData:           FlagEndStream | FlagPadded,
	FrameHeaders:        FlagEndStream | FlagEndHeaders | FlagPadded | FlagPriority,
	FrameSettings:       FlagAck,
	FramePushPromise:    FlagEndHeaders | FlagPadded,
	FramePing:           FlagAck,
	FrameContinuation:   FlagEndHeaders,
	FramePriorityUpdate: 0,
}

// parseTyped runs the parser of fh.Type; unknown types come back whole.
func parseTyped(fh FrameHeader, p []byte) (parsed, error) {
	out := parsed{Type: fh.Type, StreamID: fh.StreamID}
	if int(fh.Type) < len(definedFlags) {
		out.Flags = fh.Flags & definedFlags[fh.Type] &^ FlagPadded
	}
	var err error
	switch fh.Type {
	case FrameData:
		out.Content, err = ParseData(fh, p)
	case FrameHeaders:
		out.Content, out.Prio, err = ParseHeaders(fh, p)
	case FramePriority:
		out.Prio, err = ParsePriority(fh, p)
	case FrameRSTStream:
		out.Code, err = ParseRSTStream(fh, p)
	case FrameSettings:
		var it SettingsIter
		it, err = ParseSettings(fh, p)
		for s, ok := it.Next(); ok; s, ok = it.Next() {
			out.Settings = append(out.Settings, s)
		}
	case FramePushPromise:
		out.ID, out.Content, err = ParsePushPromise(fh, p)
	case FramePing:
		out.Ping, err = ParsePing(fh, p)
	case FrameGoAway:
		out.ID, out.Code, out.Content, err = ParseGoAway(fh, p)
	case FrameWindowUpdate:
		out.ID, err = ParseWindowUpdate(fh, p)
	case FrameContinuation:
		out.Content, err = ParseContinuation(fh, p)
	case FramePriorityUpdate:
		out.ID, out.Content, err = ParsePriorityUpdate(fh, p)
	default:
		out.Flags = fh.Flags
		out.Content = p
	}
	return out, err
}

// serialize writes f back with the package's writers: the frame it gives
// must parse to f again.
func serialize(f parsed) []byte {
	var b []byte
	switch f.Type {
	case FrameData:
		return AppendData(b, f.StreamID, f.Flags.Has(FlagEndStream), f.Content)
	case FrameHeaders:
		end, endHeaders := f.Flags.Has(FlagEndStream), f.Flags.Has(FlagEndHeaders)
		if f.Prio.Set {
			return AppendHeadersPriority(b, f.StreamID, end, endHeaders, f.Prio, f.Content)
		}
		return AppendHeaders(b, f.StreamID, end, endHeaders, f.Content)
	case FramePriority:
		return AppendPriority(b, f.StreamID, f.Prio)
	case FrameRSTStream:
		return AppendRSTStream(b, f.StreamID, f.Code)
	case FrameSettings:
		if f.Flags.Has(FlagAck) {
			return AppendSettingsAck(b)
		}
		return AppendSettings(b, f.Settings...)
	case FramePushPromise:
		return AppendPushPromise(b, f.StreamID, f.ID, f.Flags.Has(FlagEndHeaders), f.Content)
	case FramePing:
		return AppendPing(b, f.Flags.Has(FlagAck), f.Ping)
	case FrameGoAway:
		return AppendGoAway(b, f.ID, f.Code, f.Content)
	case FrameWindowUpdate:
		return AppendWindowUpdate(b, f.StreamID, f.ID)
	case FrameContinuation:
		return AppendContinuation(b, f.StreamID, f.Flags.Has(FlagEndHeaders), f.Content)
	case FramePriorityUpdate:
		return AppendPriorityUpdate(b, f.ID, f.Content)
	}
	b = AppendFrameHeader(b, FrameHeader{Length: uint32(len(f.Content)), Type: f.Type, Flags: f.Flags, StreamID: f.StreamID})
	return append(b, f.Content...)
}

// equal compares two parsed frames, an empty content equal to none.
func (f parsed) equal(g parsed) bool {
	return f.Type == g.Type && f.Flags == g.Flags && f.StreamID == g.StreamID &&
		bytes.Equal(f.Content, g.Content) && f.Prio == g.Prio && f.Code == g.Code &&
		f.ID == g.ID && f.Ping == g.Ping && fmt.Sprint(f.Settings) == fmt.Sprint(g.Settings)
}

// readOne reads the single frame that b must hold and parses it.
func readOne(b []byte) (parsed, error) {
	fh, p, n, err := ReadFrame(b, MaxFrameSizeLimit)
	if err != nil {
		return parsed{}, err
	}
	if n != len(b) {
		return parsed{}, fmt.Errorf("ReadFrame took %d of %d octets", n, len(b))
	}
	return parseTyped(fh, p)
}

// errKind names the kind of a frame error, for messages and tables.
func errKind(err error) string {
	var ce ConnError
	var se StreamError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ce):
		return "conn " + ce.Code.String()
	case errors.As(err, &se):
		return "stream " + se.Code.String()
	}
	return "other " + err.Error()
}
