package interop_test

import (
	"bytes"
	"testing"

	"github.com/golws/golws/hpack"
	xhpack "golang.org/x/net/http2/hpack"
)

// Side-by-side figures for the same work: decoding the first request of a
// browser connection (literals, Huffman), encoding a typical response.

var browserRequest = []xhpack.HeaderField{
	{Name: ":method", Value: "GET"},
	{Name: ":authority", Value: "www.example.com"},
	{Name: ":scheme", Value: "https"},
	{Name: ":path", Value: "/assets/app.3f9c2b.js?v=12"},
	{Name: "sec-ch-ua", Value: `"Chromium";v="131", "Not_A Brand";v="24"`},
	{Name: "user-agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{Name: "accept", Value: "*/*"},
	{Name: "sec-fetch-site", Value: "same-origin"},
	{Name: "referer", Value: "https://www.example.com/"},
	{Name: "accept-encoding", Value: "gzip, deflate, br, zstd"},
	{Name: "accept-language", Value: "en-US,en;q=0.9"},
	{Name: "cookie", Value: "session=0123456789abcdef0123456789abcdef; theme=dark"},
}

func browserBlock() []byte {
	var buf bytes.Buffer
	enc := xhpack.NewEncoder(&buf)
	for _, f := range browserRequest {
		enc.WriteField(f)
	}
	return buf.Bytes()
}

func BenchmarkDecodeBrowserFirstRequestOurs(b *testing.B) {
	block := browserBlock()
	d := hpack.NewDecoder(4096)
	var fields []hpack.Field
	var arena []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(block)))
	for b.Loop() {
		fields, arena, _ = d.DecodeInto(block, fields[:0], arena[:0])
	}
}

func BenchmarkDecodeBrowserFirstRequestXNet(b *testing.B) {
	block := browserBlock()
	n := 0
	d := xhpack.NewDecoder(4096, func(xhpack.HeaderField) { n++ })
	b.ReportAllocs()
	b.SetBytes(int64(len(block)))
	for b.Loop() {
		d.Write(block)
		d.Close()
	}
}

var response = []xhpack.HeaderField{
	{Name: ":status", Value: "200"},
	{Name: "content-type", Value: "text/html; charset=utf-8"},
	{Name: "content-length", Value: "4821"},
	{Name: "date", Value: "Wed, 25 Nov 2026 10:58:00 GMT"},
	{Name: "server", Value: "golws"},
}

func BenchmarkEncodeResponseOurs(b *testing.B) {
	e := hpack.NewEncoder()
	var dst []byte
	b.ReportAllocs()
	for b.Loop() {
		dst = e.AppendBlockStart(dst[:0])
		for _, f := range response {
			dst = e.AppendFieldString(dst, f.Name, f.Value, false)
		}
	}
}

func BenchmarkEncodeResponseXNet(b *testing.B) {
	var buf bytes.Buffer
	e := xhpack.NewEncoder(&buf)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		for _, f := range response {
			e.WriteField(f)
		}
	}
}
