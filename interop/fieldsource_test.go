package interop_test

import (
	"strings"

	xhpack "golang.org/x/net/http2/hpack"
)

// fieldSource turns fuzz input into header lists: names and values from a
// small alphabet of real fields, or arbitrary bytes taken from the input.
type fieldSource struct{ data []byte }

func (s *fieldSource) byte() byte {
	if len(s.data) == 0 {
		return 0
	}
	b := s.data[0]
	s.data = s.data[1:]
	return b
}

func (s *fieldSource) bytes(n int) string {
	n = min(n, len(s.data))
	b := s.data[:n]
	s.data = s.data[n:]
	return string(b)
}

var (
	names = []string{":method", ":path", ":status", ":authority", "content-type", "content-length",
		"cookie", "set-cookie", "authorization", "date", "server", "x-a", "x-b", "accept-encoding", ""}
	values = []string{"", "GET", "/", "200", "302", "text/html", "gzip, deflate", "a",
		"Mon, 21 Oct 2013 20:13:21 GMT", "www.example.com", strings.Repeat("long", 70)}
)

func (s *fieldSource) pick(alphabet []string) string {
	b := s.byte()
	if int(b) < len(alphabet)*16 {
		return alphabet[int(b)%len(alphabet)]
	}
	n := int(s.byte()) % 48
	if b == 0xff { // now and then, past the encoder's 256-octet indexing bound
		n = 250 + n
	}
	return s.bytes(n)
}

// headerList is one block's fields and the table size the decoder side
// advertises before it (0xffffffff: unchanged).
type headerList struct {
	tableSize uint32
	fields    []xhpack.HeaderField
}

var tableSizes = []uint32{0, 64, 256, 1000, 4096, 4096}

func (s *fieldSource) lists() []headerList {
	var out []headerList
	for n := 1 + int(s.byte())%8; n > 0 && len(s.data) > 0; n-- {
		l := headerList{tableSize: 0xffffffff}
		if b := s.byte(); b < 40 {
			l.tableSize = tableSizes[int(b)%len(tableSizes)]
		}
		for range int(s.byte()) % 12 {
			l.fields = append(l.fields, xhpack.HeaderField{
				Name: s.pick(names), Value: s.pick(values), Sensitive: s.byte() < 20,
			})
		}
		out = append(out, l)
	}
	return out
}
