package h2

import (
	"bytes"
	"fmt"
	"testing"
)

// sampleStream is every sample frame back to back, as a peer might send.
func sampleStream() []byte {
	var b []byte
	for _, c := range sampleFrames {
		b = append(b, c.frame...)
	}
	return append(b, raw(FrameData, FlagPadded|FlagEndStream, 9, "\x02ok\x00\x00")...)
}

// readAll reads frames from buf until it needs more, as a role would, and
// returns them (header and payload) and the octets left over.
func readAll(buf []byte) (frames []string, rest []byte, err error) {
	for {
		fh, p, n, err := ReadFrame(buf, DefaultMaxFrameSize)
		if err != nil || n == 0 {
			return frames, buf, err
		}
		if n != FrameHeaderLen+len(p) || int(fh.Length) != len(p) || cap(p) != len(p) {
			return frames, buf, fmt.Errorf("n %d, Length %d, payload %d (cap %d)", n, fh.Length, len(p), cap(p))
		}
		frames = append(frames, fmt.Sprintf("%+v %x", fh, p))
		buf = buf[n:]
	}
}

// TestReadFrameSplit feeds the stream cut in two at every octet, and one
// octet at a time: the frames read must not depend on how bytes arrive.
func TestReadFrameSplit(t *testing.T) {
	stream := sampleStream()
	want, rest, err := readAll(stream)
	if err != nil || len(rest) != 0 || len(want) != len(sampleFrames)+1 {
		t.Fatalf("whole stream: %d frames, %d left, %v", len(want), len(rest), err)
	}
	for k := 0; k <= len(stream); k++ {
		first, rest, err := readAll(stream[:k])
		if err != nil {
			t.Fatalf("split at %d: %v", k, err)
		}
		second, left, err := readAll(append(append([]byte(nil), rest...), stream[k:]...))
		if err != nil || len(left) != 0 {
			t.Fatalf("split at %d: %v, %d left", k, err, len(left))
		}
		if got := append(first, second...); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("split at %d: got %v", k, got)
		}
	}
	var buf []byte
	var got []string
	for _, c := range stream {
		buf = append(buf, c)
		frames, rest, err := readAll(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, frames...)
		buf = append([]byte(nil), rest...)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(buf) != 0 {
		t.Errorf("octet by octet: %v", got)
	}
}

// TestReadFrameShort checks what ReadFrame says before a frame is whole:
// nothing until the header is in, then the header alone.
func TestReadFrameShort(t *testing.T) {
	frame := AppendData(nil, 1, false, []byte("abc"))
	for k := range frame {
		fh, p, n, err := ReadFrame(frame[:k], DefaultMaxFrameSize)
		wantHeader := k >= FrameHeaderLen
		if n != 0 || err != nil || p != nil || (fh.Length == 3) != wantHeader {
			t.Errorf("%d octets: %+v %q %d %v", k, fh, p, n, err)
		}
	}
	fh, p, n, err := ReadFrame(frame, DefaultMaxFrameSize)
	if n != len(frame) || err != nil || !bytes.Equal(p, []byte("abc")) || fh != (FrameHeader{3, FrameData, 0, 1}) {
		t.Errorf("whole: %+v %q %d %v", fh, p, n, err)
	}
}

func TestParseFrameHeader(t *testing.T) {
	fh, ok := ParseFrameHeader([]byte{0xff, 0xff, 0xff, 0x10, 0x2d, 0xff, 0xff, 0xff, 0xff})
	if !ok || fh != (FrameHeader{MaxFrameSizeLimit, FramePriorityUpdate, 0x2d, streamIDMask}) {
		t.Errorf("got %+v", fh)
	}
	if _, ok := ParseFrameHeader(make([]byte, 8)); ok {
		t.Error("8 octets taken for a header")
	}
}
