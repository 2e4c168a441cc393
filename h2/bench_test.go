package h2

import "testing"

// BenchmarkReadParse reads and parses a typical mix of frames: the sample
// stream, every known type and a few oddities.
func BenchmarkReadParse(b *testing.B) {
	stream := sampleStream()
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		for buf := stream; len(buf) > 0; {
			fh, p, n, _ := ReadFrame(buf, DefaultMaxFrameSize)
			parseQuietly(fh, p)
			buf = buf[n:]
		}
	}
}

// BenchmarkReadData is the hot path of an upload: 16 KiB DATA frames.
// The data is not copied, so the time does not grow with the frame.
func BenchmarkReadData(b *testing.B) {
	frame := AppendData(nil, 1, false, make([]byte, DefaultMaxFrameSize))
	b.ReportAllocs()
	for b.Loop() {
		fh, p, _, _ := ReadFrame(frame, DefaultMaxFrameSize)
		ParseData(fh, p)
	}
}

// BenchmarkReadSettings parses a browser's first SETTINGS frame.
func BenchmarkReadSettings(b *testing.B) {
	frame := AppendSettings(nil, Setting{SettingHeaderTableSize, 65536}, Setting{SettingEnablePush, 0},
		Setting{SettingInitialWindowSize, 6291456}, Setting{SettingMaxHeaderListSize, 262144})
	b.ReportAllocs()
	for b.Loop() {
		fh, p, _, _ := ReadFrame(frame, DefaultMaxFrameSize)
		it, _ := ParseSettings(fh, p)
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
	}
}

// BenchmarkWriteResponse writes what a small response takes: HEADERS,
// DATA with END_STREAM and a WINDOW_UPDATE for the request body.
func BenchmarkWriteResponse(b *testing.B) {
	dst := make([]byte, 0, 4096)
	block := make([]byte, 60)
	body := make([]byte, 1000)
	b.ReportAllocs()
	for b.Loop() {
		d := AppendHeaders(dst[:0], 1, false, true, block)
		d = AppendData(d, 1, true, body)
		AppendWindowUpdate(d, 0, 1000)
	}
}

// BenchmarkWriteHeaderBlock splits a large field block into 16 KiB frames.
func BenchmarkWriteHeaderBlock(b *testing.B) {
	dst := make([]byte, 0, 1<<17)
	block := make([]byte, 100000)
	b.SetBytes(int64(len(block)))
	b.ReportAllocs()
	for b.Loop() {
		AppendHeaderBlock(dst[:0], 1, false, block, DefaultMaxFrameSize)
	}
}
