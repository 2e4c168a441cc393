package h2

import "testing"

func TestSettingValid(t *testing.T) {
	for _, c := range []struct {
		s    Setting
		want string
	}{
		{Setting{SettingHeaderTableSize, 1<<32 - 1}, "ok"},
		{Setting{SettingEnablePush, 0}, "ok"},
		{Setting{SettingEnablePush, 1}, "ok"},
		{Setting{SettingEnablePush, 2}, connProtocol},
		{Setting{SettingMaxConcurrentStreams, 0}, "ok"},
		{Setting{SettingInitialWindowSize, MaxWindowSize}, "ok"},
		{Setting{SettingInitialWindowSize, MaxWindowSize + 1}, connFlowControl},
		{Setting{SettingMaxFrameSize, DefaultMaxFrameSize}, "ok"},
		{Setting{SettingMaxFrameSize, MaxFrameSizeLimit}, "ok"},
		{Setting{SettingMaxFrameSize, DefaultMaxFrameSize - 1}, connProtocol},
		{Setting{SettingMaxFrameSize, MaxFrameSizeLimit + 1}, connProtocol},
		{Setting{SettingMaxHeaderListSize, 0}, "ok"},
		{Setting{7, 1<<32 - 1}, "ok"},
		{Setting{SettingEnableConnectProtocol, 1}, "ok"},
		{Setting{SettingEnableConnectProtocol, 1 << 31}, connProtocol},
		{Setting{SettingNoRFC7540Priorities, 1}, "ok"},
		{Setting{SettingNoRFC7540Priorities, 3}, connProtocol},
		{Setting{0, 5}, "ok"},
		{Setting{0xffff, 5}, "ok"},
	} {
		if got := errKind(c.s.Valid()); got != c.want {
			t.Errorf("%v=%d: %s, want %s", c.s.ID, c.s.Val, got, c.want)
		}
	}
}

func TestSettingsIter(t *testing.T) {
	b := AppendSettings(nil, Setting{SettingEnablePush, 0}, Setting{SettingEnablePush, 1}, Setting{0x99, 9})
	fh, p, _, _ := ReadFrame(b, DefaultMaxFrameSize)
	it, err := ParseSettings(fh, p)
	if err != nil || it.Len() != 3 {
		t.Fatalf("%v, %d settings", err, it.Len())
	}
	for i, want := range []Setting{{SettingEnablePush, 0}, {SettingEnablePush, 1}, {0x99, 9}} {
		if s, ok := it.Next(); !ok || s != want {
			t.Errorf("setting %d: %v %v", i, s, ok)
		}
	}
	if _, ok := it.Next(); ok || it.Len() != 0 {
		t.Error("more than 3")
	}
	var zero SettingsIter
	if _, ok := zero.Next(); ok {
		t.Error("zero iterator yields")
	}
}
