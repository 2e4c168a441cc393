package h2

import (
	"bytes"
	"testing"
)

// FuzzReadFrame reads every frame of its input as a role would and checks
// that nothing panics, that ReadFrame's answers are consistent, that the
// parsers only return this package's errors, and that a frame they accept
// comes back the same from the writers. Seeds: testdata/fuzz/FuzzReadFrame
// and every sample and invalid frame of the tests.
func FuzzReadFrame(f *testing.F) {
	f.Add(sampleStream())
	for _, c := range sampleFrames {
		f.Add(c.frame)
	}
	for _, c := range invalidFrames {
		f.Add(c.frame)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tr FieldBlockTracker
		for buf := data; ; {
			fh, p, n, err := ReadFrame(buf, MaxFrameSizeLimit)
			checkReadFrame(t, buf, fh, p, n, err)
			if n == 0 {
				checkPrefixes(t, buf)
				return
			}
			checkPrefixes(t, buf[:n])
			if tr.Check(fh) != nil {
				tr = FieldBlockTracker{} // go on, to parse every frame
			}
			checkParse(t, fh, p)
			parseAsEveryType(fh, p)
			buf = buf[n:]
		}
	})
}

// checkReadFrame checks what ReadFrame said of buf.
func checkReadFrame(t *testing.T, buf []byte, fh FrameHeader, p []byte, n int, err error) {
	t.Helper()
	switch {
	case n < 0 || n > len(buf):
		t.Fatalf("n = %d of %d", n, len(buf))
	case err != nil:
		t.Fatalf("error %v with the largest max frame size", err)
	case n > 0 && (n != FrameHeaderLen+len(p) || int(fh.Length) != len(p) || !bytes.Equal(p, buf[FrameHeaderLen:n])):
		t.Fatalf("n = %d, Length %d, payload %d", n, fh.Length, len(p))
	case n == 0 && len(buf) >= FrameHeaderLen+int(fh.Length):
		t.Fatalf("whole frame (%+v) in %d octets not read", fh, len(buf))
	}
}

// checkPrefixes checks that a whole frame (or the unfinished tail of the
// input) is not read before its last octet arrives, and that a frame too
// large for a smaller limit is refused from its header alone.
func checkPrefixes(t *testing.T, frame []byte) {
	t.Helper()
	for _, k := range []int{0, FrameHeaderLen - 1, FrameHeaderLen, len(frame) - 1} {
		if k < 0 || k >= len(frame) {
			continue
		}
		if _, _, n, err := ReadFrame(frame[:k], MaxFrameSizeLimit); n != 0 || err != nil {
			t.Fatalf("prefix of %d octets: n %d, %v", k, n, err)
		}
	}
	if fh, ok := ParseFrameHeader(frame); ok && fh.Length > DefaultMaxFrameSize {
		if _, _, n, err := ReadFrame(frame[:FrameHeaderLen], DefaultMaxFrameSize); n != 0 || errKind(err) != connFrameSize {
			t.Fatalf("frame of %d octets under the default limit: n %d, %v", fh.Length, n, err)
		}
	}
}

// checkParse parses one frame and, if it is valid, writes it again and
// reads that back.
func checkParse(t *testing.T, fh FrameHeader, p []byte) {
	t.Helper()
	f, err := parseTyped(fh, p)
	switch err.(type) {
	case nil:
	case ConnError, StreamError:
		if se, ok := err.(StreamError); ok && (fh.StreamID == 0 || se.StreamID != 0) {
			t.Fatalf("%v on %+v", err, fh)
		}
		if fh.Type != FrameHeaders {
			return
		}
		// A HEADERS stream error still returns the block, which the
		// role decodes; write it out like a valid frame.
		if _, ok := err.(StreamError); !ok {
			return
		}
		f.Prio.StreamDep = 0
		f.Prio.Exclusive = false
	default:
		t.Fatalf("foreign error %T %v", err, err)
	}
	again, err := readOne(serialize(f))
	if err != nil || !again.equal(f) {
		t.Fatalf("%+v written and read back as %+v, %v", f, again, err)
	}
}

// parseAsEveryType hands the frame to every parser, as a caller that
// mixed up types would: none may panic, whatever the bytes.
func parseAsEveryType(fh FrameHeader, p []byte) {
	for typ := range FrameType(len(frameRules)) {
		if typ.IsKnown() {
			fh.Type = typ
			parseTyped(fh, p)
		}
	}
}
