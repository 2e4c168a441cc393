package h2

import (
	"errors"
	"testing"
)

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{FrameData.String(), "DATA"},
		{FrameContinuation.String(), "CONTINUATION"},
		{FramePriorityUpdate.String(), "PRIORITY_UPDATE"},
		{FrameType(0xa).String(), "UNKNOWN_FRAME_0xa"},
		{ErrCodeNo.String(), "NO_ERROR"},
		{ErrCodeHTTP11Required.String(), "HTTP_1_1_REQUIRED"},
		{ErrCode(0xe).String(), "UNKNOWN_ERROR_0xe"},
		{ErrCode(0xffffffff).String(), "UNKNOWN_ERROR_0xffffffff"},
		{SettingHeaderTableSize.String(), "SETTINGS_HEADER_TABLE_SIZE"},
		{SettingNoRFC7540Priorities.String(), "SETTINGS_NO_RFC7540_PRIORITIES"},
		{SettingID(7).String(), "SETTINGS_0x7"},
		{SettingID(0).String(), "SETTINGS_0x0"},
		{ConnError{ErrCodeProtocol, "why"}.Error(), "h2: connection error PROTOCOL_ERROR: why"},
		{StreamError{0, ErrCodeCancel, "why"}.Error(), "h2: stream error CANCEL: why"},
		{StreamError{0, ErrCodeCancel, "why"}.On(3).Error(), "h2: stream error CANCEL: why (stream 3)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestErrorsComparable checks that the parsers' errors can be told apart
// with == and errors.Is, and read with errors.As.
func TestErrorsComparable(t *testing.T) {
	_, err := ParseWindowUpdate(FrameHeader{Length: 4, Type: FrameWindowUpdate, StreamID: 1}, make([]byte, 4))
	if err != errStreamWindowIncrement0 || !errors.Is(err, errStreamWindowIncrement0) || errors.Is(err, errConnWindowIncrement0) {
		t.Errorf("got %v", err)
	}
	var se StreamError
	if !errors.As(err, &se) || se.Code != ErrCodeProtocol {
		t.Errorf("As: %+v", se)
	}
}

func TestFlagsHas(t *testing.T) {
	f := FlagEndStream | FlagPadded
	if !f.Has(FlagEndStream) || !f.Has(FlagEndStream|FlagPadded) || f.Has(FlagEndHeaders) || f.Has(FlagPadded|FlagPriority) {
		t.Error("Has")
	}
}
