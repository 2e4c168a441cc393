package h2

import "testing"

func TestIsKnown(t *testing.T) {
	known := 0
	for typ := range FrameType(0xff) {
		if typ.IsKnown() {
			known++
		}
	}
	if known != 11 || !FramePriorityUpdate.IsKnown() || FrameType(0xa).IsKnown() || FrameType(0xff).IsKnown() {
		t.Errorf("%d known types", known)
	}
}

// TestUnknownTypesIgnorable checks that a frame of an unknown type, with
// any flags, stream and length, reads like any other so that the caller
// can skip it (RFC 9113 §5.5), and that the frame after it is intact.
func TestUnknownTypesIgnorable(t *testing.T) {
	for _, typ := range []FrameType{0xa, 0xb, 0xf, 0x11, 0x80, 0xff} {
		b := raw(typ, 0xff, 1<<31-1, "whatever it carries")
		b = append(b, AppendPing(nil, false, [8]byte{1})...)
		fh, p, n, err := ReadFrame(b, DefaultMaxFrameSize)
		if err != nil || fh.Type.IsKnown() || string(p) != "whatever it carries" {
			t.Fatalf("%v: %+v %q %v", typ, fh, p, err)
		}
		fh, _, _, err = ReadFrame(b[n:], DefaultMaxFrameSize)
		if err != nil || fh.Type != FramePing {
			t.Errorf("%v: next frame %+v, %v", typ, fh, err)
		}
	}
}

// TestUnknownFlagsIgnored checks that setting every flag a type does not
// define changes nothing that it reads (RFC 9113 §4.1).
func TestUnknownFlagsIgnored(t *testing.T) {
	for _, c := range sampleFrames {
		if !c.want.Type.IsKnown() {
			continue
		}
		b := append([]byte(nil), c.frame...)
		b[4] |= byte(^definedFlags[c.want.Type])
		got, err := readOne(b)
		if err != nil || !got.equal(c.want) {
			t.Errorf("%s with flags %#x: %+v, %v", c.name, b[4], got, err)
		}
	}
}
