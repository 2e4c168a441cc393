package h2

import "encoding/binary"

// settingLen is the size of one parameter on the wire: id (2), value (4).
const settingLen = 6

var (
	errSettingsAckPayload = connError(ErrCodeFrameSize, "SETTINGS ack with a payload")
	errSettingsLength     = connError(ErrCodeFrameSize, "SETTINGS length not a multiple of 6")
)

// ParseSettings checks a SETTINGS frame (RFC 9113 §6.5), every value
// included, so that applying them cannot fail halfway; iterate them with
// the returned [SettingsIter]. An ACK (fh.Flags.Has(FlagAck)) has none.
func ParseSettings(fh FrameHeader, p []byte) (SettingsIter, error) {
	_, p, err := split(FrameSettings, fh, p)
	switch {
	case err != nil:
		return SettingsIter{}, err
	case fh.Flags.Has(FlagAck) && len(p) != 0:
		return SettingsIter{}, errSettingsAckPayload
	case len(p)%settingLen != 0:
		return SettingsIter{}, errSettingsLength
	}
	it := SettingsIter{p}
	for s, ok := it.Next(); ok; s, ok = it.Next() {
		if err := s.Valid(); err != nil {
			return SettingsIter{}, err
		}
	}
	return SettingsIter{p}, nil
}

// SettingsIter yields the parameters of a checked SETTINGS frame in the
// order sent, unknown ones included (the receiver must ignore those,
// §6.5.2); a later value for the same parameter overrides an earlier one.
type SettingsIter struct {
	p []byte
}

// Next returns the next parameter, or false when there are no more.
func (it *SettingsIter) Next() (Setting, bool) {
	if len(it.p) < settingLen {
		return Setting{}, false
	}
	s := Setting{ID: SettingID(binary.BigEndian.Uint16(it.p)), Val: binary.BigEndian.Uint32(it.p[2:])}
	it.p = it.p[settingLen:]
	return s, true
}

// Len returns how many parameters Next has yet to return.
func (it *SettingsIter) Len() int { return len(it.p) / settingLen }

// AppendSettings appends a SETTINGS frame carrying settings in order. It
// does not check their values (see [Setting.Valid]).
func AppendSettings(dst []byte, settings ...Setting) []byte {
	dst = appendHeader(dst, FrameSettings, 0, 0, settingLen*len(settings))
	for _, s := range settings {
		dst = binary.BigEndian.AppendUint16(dst, uint16(s.ID))
		dst = binary.BigEndian.AppendUint32(dst, s.Val)
	}
	return dst
}

// AppendSettingsAck appends the empty SETTINGS frame with ACK that
// acknowledges the peer's SETTINGS once they are applied (§6.5.3).
func AppendSettingsAck(dst []byte) []byte {
	return appendHeader(dst, FrameSettings, FlagAck, 0, 0)
}
