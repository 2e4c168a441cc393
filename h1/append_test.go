package h1

import (
	"net/http"
	"testing"
)

func TestAppendStatusLine(t *testing.T) {
	for _, c := range []struct {
		minor  uint8
		status int
		want   string
	}{
		{1, 200, "HTTP/1.1 200 OK\r\n"},
		{0, 404, "HTTP/1.0 404 Not Found\r\n"},
		{1, 431, "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
		{7, 101, "HTTP/1.1 101 Switching Protocols\r\n"},
		{1, 299, "HTTP/1.1 299 \r\n"},
		{1, 799, "HTTP/1.1 799 \r\n"},
	} {
		if got := string(AppendStatusLine([]byte("x"), c.minor, c.status)); got != "x"+c.want {
			t.Errorf("AppendStatusLine(%d, %d) = %q", c.minor, c.status, got)
		}
	}
}

// renamedByRFC9110 are the codes whose phrase RFC 9110 changed while
// net/http kept the older one, and 418, which RFC 9110 leaves unassigned.
var renamedByRFC9110 = map[int]bool{413: true, 414: true, 416: true, 418: true, 422: true}

// TestStatusTextMatchesNetHTTP compares the phrases with net/http's for
// every code either side knows.
func TestStatusTextMatchesNetHTTP(t *testing.T) {
	for code := 0; code < 1000; code++ {
		ours, theirs := StatusText(code), http.StatusText(code)
		if renamedByRFC9110[code] {
			continue
		}
		if ours != theirs {
			t.Errorf("%d: %q, net/http %q", code, ours, theirs)
		}
	}
	if StatusText(-1) != "" || StatusText(1<<20) != "" {
		t.Error("out of range")
	}
}

func TestAppendHeader(t *testing.T) {
	if got := string(AppendHeader(nil, "Content-Type", []byte("text/plain"))); got != "Content-Type: text/plain\r\n" {
		t.Errorf("%q", got)
	}
	if got := string(AppendHeaderString(nil, "X", "a\r\nSet-Cookie: evil\x00")); got != "X: a  Set-Cookie: evil \r\n" {
		t.Errorf("not sanitized: %q", got)
	}
	if got := string(AppendHeader(nil, "X", []byte("a\nb"))); got != "X: a b\r\n" {
		t.Errorf("not sanitized: %q", got)
	}
	if got := string(AppendContentLength([]byte("> "), 1234567)); got != "> Content-Length: 1234567\r\n" {
		t.Errorf("%q", got)
	}
	for _, c := range []struct {
		n    int
		want string
	}{{1, "1\r\n"}, {255, "ff\r\n"}, {4096, "1000\r\n"}} {
		if got := string(AppendChunkHeader(nil, c.n)); got != c.want {
			t.Errorf("AppendChunkHeader(%d) = %q", c.n, got)
		}
	}
}

// TestSerializedHeadParses writes a response head with the helpers and
// reads it back with the response parser.
func TestSerializedHeadParses(t *testing.T) {
	var dc DateCache
	b := AppendStatusLine(nil, 1, 206)
	b = dc.Append(b, rfcDate)
	b = AppendHeaderString(b, "Content-Range", "bytes 0-9/100")
	b = AppendContentLength(b, 10)
	b = append(b, "\r\n"...)
	var p ResponseParser
	var r Response
	n, err := p.Parse(b, &r)
	if err != nil || n != len(b) || r.Status != 206 || r.ContentLength != 10 {
		t.Fatalf("%d %v %+v", n, err, r)
	}
	if d, ok := ParseHTTPDate(r.Get(HeaderDate)); !ok || !d.Equal(rfcDate) {
		t.Errorf("Date %q", r.Get(HeaderDate))
	}
}
