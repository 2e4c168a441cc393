package h1

import (
	"strings"
	"testing"
	"time"
)

// The hot paths allocate nothing once a Request has grown its Headers.
func TestZeroAllocs(t *testing.T) {
	browser := []byte(browserGET)
	malformed := []byte("GET / HTTP/1.1\r\nHost: a\r\nX : b\r\n\r\n")
	var p RequestParser
	var r Request
	if _, err := p.Parse(browser, &r); err != nil { // grows r.Headers once
		t.Fatal(err)
	}
	var resp Response
	var rp ResponseParser
	respBuf := []byte(rfc9110Response)
	rp.Parse(respBuf, &resp)

	var body []byte
	for i := 0; i < 8; i++ {
		body = AppendChunkHeader(body, 100)
		body = append(body, strings.Repeat("d", 100)...)
		body = append(body, ChunkTrailer...)
	}
	body = append(body, "0\r\nX-Checksum: abc\r\n\r\n"...)

	var dc DateCache
	now := time.Unix(1700000000, 0)
	dc.Append(nil, now)
	dst := make([]byte, 0, 4096)
	date := []byte("Sunday, 06-Nov-94 08:49:37 GMT")

	for _, c := range []struct {
		name string
		f    func()
	}{
		{"parse browser GET", func() {
			if _, err := p.Parse(browser, &r); err != nil {
				t.Fatal(err)
			}
		}},
		{"parse browser GET in two reads", func() {
			p.Parse(browser[:200], &r)
			if _, err := p.Parse(browser, &r); err != nil {
				t.Fatal(err)
			}
		}},
		{"reject a malformed head", func() {
			if _, err := p.Parse(malformed, &r); err != ErrSpaceBeforeColon {
				t.Fatal(err)
			}
		}},
		{"parse a response", func() {
			if _, err := rp.Parse(respBuf, &resp); err != nil {
				t.Fatal(err)
			}
		}},
		{"Get and GetName", func() {
			_ = r.Get(HeaderUserAgent)
			_ = r.GetName("sec-fetch-mode")
		}},
		{"LookupHeader", func() { LookupHeader([]byte("content-length")) }},
		{"DateCache.Append", func() { dst = dc.Append(dst[:0], now) }},
		{"serializers", func() {
			dst = AppendStatusLine(dst[:0], 1, 200)
			dst = AppendStatusLine(dst, 1, 299)
			dst = AppendHeader(dst, "Content-Type", browser[20:30])
			dst = AppendHeaderString(dst, "Server", "golws")
			dst = AppendContentLength(dst, 123456)
			dst = AppendChunkHeader(dst, 4096)
			dst = AppendHTTPDate(dst, now)
		}},
		{"ParseHTTPDate", func() { ParseHTTPDate(date) }},
		{"ChunkedDecoder", func() {
			var d ChunkedDecoder
			for in := body; len(in) > 0; {
				n, _, done, err := d.Decode(in)
				if err != nil || done && n == 0 {
					t.Fatal(err)
				}
				in = in[n:]
			}
		}},
	} {
		if a := testing.AllocsPerRun(100, c.f); a != 0 {
			t.Errorf("%s: %v allocations", c.name, a)
		}
	}
}
