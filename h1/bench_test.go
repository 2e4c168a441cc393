package h1

import (
	"strings"
	"testing"
	"time"
)

func benchParse(b *testing.B, head string) {
	buf := []byte(head)
	var p RequestParser
	var r Request
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := p.Parse(buf, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseShortGET is the request of h2load-style load tests.
func BenchmarkParseShortGET(b *testing.B) { benchParse(b, shortGET) }

// BenchmarkParseBrowserGET is a browser's request with 10 fields.
func BenchmarkParseBrowserGET(b *testing.B) { benchParse(b, browserGET) }

func BenchmarkParseResponse(b *testing.B) {
	buf := []byte(rfc9110Response)
	var p ResponseParser
	var r Response
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := p.Parse(buf, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookupHeader(b *testing.B) {
	names := [][]byte{[]byte("Host"), []byte("user-agent"), []byte("Accept-Encoding"), []byte("X-Unknown-Header"), []byte("Sec-WebSocket-Key")}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			LookupHeader(n)
		}
	}
}

func BenchmarkChunkedDecode(b *testing.B) {
	var body []byte
	for i := 0; i < 16; i++ {
		body = AppendChunkHeader(body, 1024)
		body = append(body, strings.Repeat("d", 1024)...)
		body = append(body, ChunkTrailer...)
	}
	body = append(body, LastChunk...)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var d ChunkedDecoder
		for in := body; len(in) > 0; {
			n, _, _, err := d.Decode(in)
			if err != nil {
				b.Fatal(err)
			}
			in = in[n:]
		}
	}
}

func BenchmarkDateCache(b *testing.B) {
	var dc DateCache
	now := time.Now()
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst = dc.Append(dst[:0], now)
	}
}

// BenchmarkParseBrowserGETSplit is the browser's request arriving in two
// reads: the first call finds it incomplete, so the incremental parser
// does the work.
func BenchmarkParseBrowserGETSplit(b *testing.B) {
	buf := []byte(browserGET)
	var p RequestParser
	var r Request
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := p.Parse(buf[:len(buf)/2], &r); err != ErrNeedMore {
			b.Fatal(err)
		}
		if _, err := p.Parse(buf, &r); err != nil {
			b.Fatal(err)
		}
	}
}
