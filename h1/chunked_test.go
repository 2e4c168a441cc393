package h1

import (
	"strings"
	"testing"
)

var validChunked = []struct {
	name string
	body string // the chunked body, exactly
	data string // what it decodes to
}{
	{"one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello"},
	{"two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"},
	{"empty body", "0\r\n\r\n", ""},
	{"upper-case hex", "A\r\n0123456789\r\n0\r\n\r\n", "0123456789"},
	{"lower-case hex", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789"},
	{"leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello"},
	{"data holding CRLF", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n"},
	{"extension name", "5;foo\r\nhello\r\n0;bar\r\n\r\n", "hello"},
	{"extension token value", "5;foo=bar\r\nhello\r\n0\r\n\r\n", "hello"},
	{"extension quoted value", "5;a=\"b;c\\\"d\"\r\nhello\r\n0\r\n\r\n", "hello"},
	{"extension empty quoted value", "5;a=\"\"\r\nhello\r\n0\r\n\r\n", "hello"},
	{"several extensions", "5;a;b=c;d=\"e f\"\r\nhello\r\n0\r\n\r\n", "hello"},
	{"extension BWS", "5 ; a = b\r\nhello\r\n0\r\n\r\n", "hello"},
	{"extension BWS after quoted", "5;a=\"b\" ;c\r\nhello\r\n0\r\n\r\n", "hello"},
	{"trailer", "5\r\nhello\r\n0\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n", "hello"},
	{"trailers", "5\r\nhello\r\n0\r\nA: 1\r\nB-C:  two words \r\nEmpty:\r\n\r\n", "hello"},
	{"big chunk", "1000\r\n" + strings.Repeat("x", 0x1000) + "\r\n0\r\n\r\n", strings.Repeat("x", 0x1000)},
	{"many small chunks", strings.Repeat("1\r\nz\r\n", 50) + "0\r\n\r\n", strings.Repeat("z", 50)},
	{"binary data", "3\r\n\x00\xff\n\r\n0\r\n\r\n", "\x00\xff\n"},
}

var malformedChunked = []struct {
	name string
	body string
	dec  ChunkedDecoder
	want *Error
}{
	{"no size", "\r\nhello\r\n0\r\n\r\n", ChunkedDecoder{}, ErrBadChunkSize},
	{"not hex", "g\r\n", ChunkedDecoder{}, ErrBadChunkSize},
	{"negative", "-5\r\n", ChunkedDecoder{}, ErrBadChunkSize},
	{"0x prefix", "0x5\r\n", ChunkedDecoder{}, ErrBadChunkSize},
	{"extension without size", ";a\r\n", ChunkedDecoder{}, ErrBadChunkSize},
	{"space in size", "1 0\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"trailing whitespace", "5 \r\nhello\r\n0\r\n\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"bare LF after size", "5\nhello\r\n0\r\n\r\n", ChunkedDecoder{}, ErrMissingChunkLF},
	{"CR without LF after size", "5\rhello\r\n", ChunkedDecoder{}, ErrMissingChunkLF},
	{"bare LF after extension", "5;a=b\nhello\r\n", ChunkedDecoder{}, ErrMissingChunkLF},
	{"data too long", "5\r\nhelloX\r\n0\r\n\r\n", ChunkedDecoder{}, ErrMissingChunkCRLF},
	{"bare LF after data", "5\r\nhello\n0\r\n\r\n", ChunkedDecoder{}, ErrMissingChunkCRLF},
	{"CR without LF after data", "5\r\nhello\r0\r\n\r\n", ChunkedDecoder{}, ErrMissingChunkCRLF},
	{"size above 2^62", "4000000000000001\r\n", ChunkedDecoder{}, ErrChunkSizeOverflow},
	{"size overflowing uint64", "FFFFFFFFFFFFFFFFF\r\n", ChunkedDecoder{}, ErrChunkSizeOverflow},
	{"size line too long", "5;" + strings.Repeat("a", 5000) + "\r\n", ChunkedDecoder{}, ErrChunkLineTooLong},
	{"zeros too long", strings.Repeat("0", 100) + "5\r\n", ChunkedDecoder{MaxChunkSizeLine: 64}, ErrChunkLineTooLong},
	{"extension empty name", "5;=x\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"extension empty value", "5;a=\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"extension control in quoted", "5;a=\"\x01\"\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"extension unterminated quote", "5;a=\"b\r\nhello\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"extension space in token", "5;a=b c\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"extension separator in name", "5;a/b\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"extension text after quote", "5;a=\"b\"c\r\n", ChunkedDecoder{}, ErrBadChunkExtension},
	{"trailer obs-fold", "0\r\nA: b\r\n c\r\n\r\n", ChunkedDecoder{}, ErrObsFold},
	{"trailer bare LF", "0\r\nA: b\n\r\n", ChunkedDecoder{}, ErrBadTrailerLineEnding},
	{"trailer space before colon", "0\r\nA : b\r\n\r\n", ChunkedDecoder{}, ErrSpaceBeforeColon},
	{"trailer empty name", "0\r\n: b\r\n\r\n", ChunkedDecoder{}, ErrEmptyFieldName},
	{"trailer no colon", "0\r\nAb\r\n\r\n", ChunkedDecoder{}, ErrNoColon},
	{"trailer bad name", "0\r\nA(b): c\r\n\r\n", ChunkedDecoder{}, ErrBadFieldName},
	{"trailer NUL in value", "0\r\nA: \x00\r\n\r\n", ChunkedDecoder{}, ErrBadFieldValue},
	{"trailer bare CR", "0\r\nA: b\rc\r\n\r\n", ChunkedDecoder{}, ErrBareCR},
	{"final CR without LF", "0\r\n\rX", ChunkedDecoder{}, ErrBareCR},
	{"final bare LF", "0\r\n\n", ChunkedDecoder{}, ErrBadTrailerLineEnding},
	{"trailers too large", "0\r\nA: " + strings.Repeat("b", 100) + "\r\n\r\n", ChunkedDecoder{MaxTrailerBytes: 64}, ErrTrailerTooLarge},
	{"body too large", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", ChunkedDecoder{MaxBodyBytes: 10}, ErrContentTooLarge},
}

func TestChunkedValid(t *testing.T) {
	for _, tc := range validChunked {
		in := []byte(tc.body + "NEXT")
		var d ChunkedDecoder
		got, err := decodeChunked(&d, in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := chunkedResult{tc.data, len(tc.body), true, nil}
		if got != want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, want)
		}
		// Done is sticky and consumes nothing.
		if n, data, done, err := d.Decode([]byte("more")); n != 0 || data != nil || !done || err != nil {
			t.Errorf("%s: after done: %d %q %v %v", tc.name, n, data, done, err)
		}
	}
}

// TestChunkedSplits decodes every body split at every byte, and one byte
// at a time, checking the same data comes out.
func TestChunkedSplits(t *testing.T) {
	check := func(name string, body []byte, dec ChunkedDecoder) {
		d := dec
		want, err := decodeChunked(&d, body)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k <= len(body); k++ {
			d := dec
			got, err := decodeChunked(&d, body[:k], body[k:])
			if err != nil || got != want {
				t.Fatalf("%s split at %d: %+v (%v), want %+v", name, k, got, err, want)
			}
		}
		parts := make([][]byte, len(body))
		for i := range body {
			parts[i] = body[i : i+1]
		}
		d = dec
		if got, err := decodeChunked(&d, parts...); err != nil || got != want {
			t.Fatalf("%s byte by byte: %+v (%v), want %+v", name, got, err, want)
		}
	}
	for _, tc := range validChunked {
		check(tc.name, []byte(tc.body), ChunkedDecoder{})
	}
	for _, tc := range malformedChunked {
		check(tc.name, []byte(tc.body), tc.dec)
	}
}

func TestChunkedMalformed(t *testing.T) {
	for _, tc := range malformedChunked {
		d := tc.dec
		got, err := decodeChunked(&d, []byte(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.err != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got.err, tc.want)
		}
		// Errors are sticky until Reset.
		if _, _, _, err := d.Decode([]byte("0\r\n\r\n")); err != tc.want {
			t.Errorf("%s: error not sticky: %v", tc.name, err)
		}
		d.Reset()
		if got, _ := decodeChunked(&d, []byte("0\r\n\r\n")); !got.done {
			t.Errorf("%s: Reset did not clear the error: %+v", tc.name, got)
		}
	}
}

func TestChunkedLargestSize(t *testing.T) {
	var d ChunkedDecoder
	n, data, done, err := d.Decode([]byte("4000000000000000\r\nabc"))
	if err != nil || done || string(data) != "abc" || n != 21 {
		t.Fatalf("%d %q %v %v", n, data, done, err)
	}
	if d.size != 1<<62-3 {
		t.Errorf("remaining %d", d.size)
	}
}

// TestChunkedRoundTrip encodes with the append helpers and decodes.
func TestChunkedRoundTrip(t *testing.T) {
	var body []byte
	var want string
	for i := 1; i < 300; i += 37 {
		chunk := strings.Repeat(string(rune('a'+i%26)), i)
		body = AppendChunkHeader(body, len(chunk))
		body = append(body, chunk...)
		body = append(body, ChunkTrailer...)
		want += chunk
	}
	body = append(body, LastChunk...)
	var d ChunkedDecoder
	got, err := decodeChunked(&d, body)
	if err != nil || got.data != want || !got.done || got.consumed != len(body) {
		t.Fatalf("%+v %v", got, err)
	}
}
