package hpack

import "testing"

func benchmarkDecode(b *testing.B, list []pair) {
	first, second := connectionBlocks(list)
	d := NewDecoder(4096)
	var fields []Field
	var arena []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(first) + len(second)))
	for b.Loop() {
		fields, arena, _ = d.DecodeInto(first, fields[:0], arena[:0])
		fields, arena, _ = d.DecodeInto(second, fields[:0], arena[:0])
	}
}

// A request pair: the first request of a connection (literals, Huffman)
// and the next one (indices).
func BenchmarkDecodeBrowserRequests(b *testing.B) { benchmarkDecode(b, browserRequest) }
func BenchmarkDecodeH2loadRequests(b *testing.B)  { benchmarkDecode(b, h2loadRequest) }

func BenchmarkEncodeResponse(b *testing.B) {
	e := NewEncoder()
	dst := appendTypicalResponse(e, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(dst)))
	for b.Loop() {
		dst = appendTypicalResponse(e, dst[:0])
	}
}

// The user-agent of browserRequest: a long, typical Huffman string.
var huffmanBenchInput = []byte(browserRequest[6][1])

func BenchmarkHuffmanEncode(b *testing.B) {
	dst := AppendHuffman(nil, huffmanBenchInput)
	b.ReportAllocs()
	b.SetBytes(int64(len(huffmanBenchInput)))
	for b.Loop() {
		dst = AppendHuffman(dst[:0], huffmanBenchInput)
	}
}

func BenchmarkHuffmanDecode(b *testing.B) {
	coded := AppendHuffman(nil, huffmanBenchInput)
	dst, _ := DecodeHuffman(nil, coded)
	b.ReportAllocs()
	b.SetBytes(int64(len(huffmanBenchInput)))
	for b.Loop() {
		dst, _ = DecodeHuffman(dst[:0], coded)
	}
}
