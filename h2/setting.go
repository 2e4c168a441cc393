package h2

import "strconv"

// SettingID identifies a SETTINGS parameter (RFC 9113 §6.5.2).
type SettingID uint16

// The parameters of RFC 9113 §6.5.2 and the two later ones golws knows.
const (
	SettingHeaderTableSize       SettingID = 0x1
	SettingEnablePush            SettingID = 0x2
	SettingMaxConcurrentStreams  SettingID = 0x3
	SettingInitialWindowSize     SettingID = 0x4
	SettingMaxFrameSize          SettingID = 0x5
	SettingMaxHeaderListSize     SettingID = 0x6
	SettingEnableConnectProtocol SettingID = 0x8 // RFC 8441 §3: extended CONNECT, for WebSocket
	SettingNoRFC7540Priorities   SettingID = 0x9 // RFC 9218 §2.1
)

// Setting is one parameter of a SETTINGS frame.
type Setting struct {
	ID  SettingID
	Val uint32
}

// settingRange is the values a parameter may take, and the connection
// error for any other (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1).
type settingRange struct {
	min, max uint32
	err      error // nil: every value is allowed
}

var settingRanges = [...]settingRange{
	SettingEnablePush:            {0, 1, connError(ErrCodeProtocol, "SETTINGS_ENABLE_PUSH not 0 or 1")},
	SettingInitialWindowSize:     {0, MaxWindowSize, connError(ErrCodeFlowControl, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1")},
	SettingMaxFrameSize:          {DefaultMaxFrameSize, MaxFrameSizeLimit, connError(ErrCodeProtocol, "SETTINGS_MAX_FRAME_SIZE outside 2^14..2^24-1")},
	SettingEnableConnectProtocol: {0, 1, connError(ErrCodeProtocol, "SETTINGS_ENABLE_CONNECT_PROTOCOL not 0 or 1")},
	SettingNoRFC7540Priorities:   {0, 1, connError(ErrCodeProtocol, "SETTINGS_NO_RFC7540_PRIORITIES not 0 or 1")},
}

// Valid returns the [ConnError] a peer must answer s with if its value is
// out of range for its parameter, or nil. Parameters this package does not
// know take any value: the receiver ignores them.
func (s Setting) Valid() error {
	if int(s.ID) >= len(settingRanges) {
		return nil
	}
	r := &settingRanges[s.ID]
	if r.err != nil && (s.Val < r.min || s.Val > r.max) {
		return r.err
	}
	return nil
}

var settingNames = [...]string{
	SettingHeaderTableSize:       "SETTINGS_HEADER_TABLE_SIZE",
	SettingEnablePush:            "SETTINGS_ENABLE_PUSH",
	SettingMaxConcurrentStreams:  "SETTINGS_MAX_CONCURRENT_STREAMS",
	SettingInitialWindowSize:     "SETTINGS_INITIAL_WINDOW_SIZE",
	SettingMaxFrameSize:          "SETTINGS_MAX_FRAME_SIZE",
	SettingMaxHeaderListSize:     "SETTINGS_MAX_HEADER_LIST_SIZE",
	SettingEnableConnectProtocol: "SETTINGS_ENABLE_CONNECT_PROTOCOL",
	SettingNoRFC7540Priorities:   "SETTINGS_NO_RFC7540_PRIORITIES",
}

// String returns the parameter's registered name, or "SETTINGS_0x.." for
// one this package does not know.
func (id SettingID) String() string {
	if int(id) < len(settingNames) && settingNames[id] != "" {
		return settingNames[id]
	}
	return "SETTINGS_0x" + strconv.FormatUint(uint64(id), 16)
}
