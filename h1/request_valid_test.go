package h1

import (
	"strings"
	"testing"
)

// reqWant is what a valid request parses to; "<nil>" marks a nil slice.
type reqWant struct {
	method                 Method
	path, query, authority string
	minor                  uint8
	cl                     int64
	chunked, keepAlive     bool
	expect100              bool
	upgrade                string
	headers                int
}

type validRequest struct {
	name string
	head string // a complete head
	body string // bytes after it, which Parse must leave alone
	lim  Limits
	want reqWant
}

// browserGET is a typical browser request: 10 fields.
const browserGET = "GET /static/app.js?v=3 HTTP/1.1\r\n" +
	"Host: www.example.com\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0\r\n" +
	"Accept: */*\r\n" +
	"Accept-Language: en-US,en;q=0.5\r\n" +
	"Accept-Encoding: gzip, deflate, br, zstd\r\n" +
	"Referer: https://www.example.com/\r\n" +
	"Connection: keep-alive\r\n" +
	"Cookie: session=0123456789abcdef; theme=dark\r\n" +
	"Sec-Fetch-Mode: no-cors\r\n" +
	"If-None-Match: \"5f3c-1a2b\"\r\n" +
	"\r\n"

// shortGET is what h2load-style load generators send: 3 fields.
const shortGET = "GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: h2load/1.50\r\nAccept: */*\r\n\r\n"

func manyHeaders(n int) string {
	var sb strings.Builder
	sb.WriteString("GET / HTTP/1.1\r\nHost: h\r\n")
	for i := 1; i < n; i++ {
		sb.WriteString("X-Filler: value\r\n")
	}
	sb.WriteString("\r\n")
	return sb.String()
}

var validRequests = []validRequest{
	{"minimal", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"http10 without host", "GET /x HTTP/1.0\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/x", "<nil>", "<nil>", 0, -1, false, false, false, "<nil>", 0}},
	{"http10 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "<nil>", 0, -1, false, true, false, "<nil>", 1}},
	{"http11 close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, false, false, "<nil>", 2}},
	{"close wins over keep-alive", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, false, false, "<nil>", 2}},
	{"post with length", "POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n", "hello", Limits{},
		reqWant{MethodPOST, "/form", "<nil>", "a", 1, 5, false, true, false, "<nil>", 3}},
	{"post chunked", "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", Limits{},
		reqWant{MethodPOST, "/up", "<nil>", "a", 1, -1, true, true, false, "<nil>", 2}},
	{"chunked any case, empty list elements", "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , CHUNKED ,\r\n\r\n", "", Limits{},
		reqWant{MethodPUT, "/", "<nil>", "a", 1, -1, true, true, false, "<nil>", 2}},
	{"query", "GET /search?q=go&lang=en HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/search", "q=go&lang=en", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"empty query", "GET /p? HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/p", "", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"second question mark stays in query", "GET /p?a?b HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/p", "a?b", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"absolute-form", "GET http://example.com/a/b?c=d HTTP/1.1\r\nHost: other\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/a/b", "c=d", "example.com", 1, -1, false, true, false, "<nil>", 1}},
	{"absolute-form without path", "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "example.com", 1, -1, false, true, false, "<nil>", 1}},
	{"absolute-form port and query, no path", "GET https://h:8443?x=1 HTTP/1.1\r\nHost: h:8443\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "x=1", "h:8443", 1, -1, false, true, false, "<nil>", 1}},
	{"absolute-form ipv6", "GET http://[::1]:8080/p HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/p", "<nil>", "[::1]:8080", 1, -1, false, true, false, "<nil>", 1}},
	{"absolute-form percent-encoded host", "GET http://a%41/ HTTP/1.1\r\nHost: aA\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a%41", 1, -1, false, true, false, "<nil>", 1}},
	{"connect", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", "", Limits{},
		reqWant{MethodCONNECT, "<nil>", "<nil>", "example.com:443", 1, -1, false, true, false, "<nil>", 1}},
	{"options asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodOPTIONS, "*", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"options absolute", "OPTIONS http://a:8001 HTTP/1.1\r\nHost: a:8001\r\n\r\n", "", Limits{},
		reqWant{MethodOPTIONS, "/", "<nil>", "a:8001", 1, -1, false, true, false, "<nil>", 1}},
	{"leading empty line", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"leading empty lines, bare LF", "\n\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"bare LF everywhere", "GET / HTTP/1.1\nHost: a\nX: y\n\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"mixed line endings", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"whitespace around values", "GET / HTTP/1.1\r\nHost: \t a \t\r\nX-A:b\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"empty values", "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Blank:   \r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 3}},
	{"tab inside value", "GET / HTTP/1.1\r\nHost: a\r\nX: b\tc\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"expect 100-continue", "PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-Continue\r\n\r\n", "", Limits{},
		reqWant{MethodPUT, "/f", "<nil>", "a", 1, 10, false, true, true, "<nil>", 3}},
	{"expectations of HTTP/1.0 ignored", "PUT /f HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue, magic\r\n\r\n", "x", Limits{},
		reqWant{MethodPUT, "/f", "<nil>", "<nil>", 0, 1, false, false, false, "<nil>", 2}},
	{"websocket upgrade", "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/chat", "<nil>", "a", 1, -1, false, true, false, "websocket", 5}},
	{"upgrade without connection token", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"upgrade in HTTP/1.0 ignored", "GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "<nil>", 0, -1, false, false, false, "<nil>", 2}},
	{"identical duplicate content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 003\r\n\r\n", "abc", Limits{},
		reqWant{MethodPOST, "/", "<nil>", "a", 1, 3, false, true, false, "<nil>", 3}},
	{"zero content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", "", Limits{},
		reqWant{MethodPOST, "/", "<nil>", "a", 1, 0, false, true, false, "<nil>", 2}},
	{"largest content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n", "", Limits{},
		reqWant{MethodPOST, "/", "<nil>", "a", 1, 9223372036854775807, false, true, false, "<nil>", 2}},
	{"content-length at MaxContentLength", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n", "", Limits{MaxContentLength: 100},
		reqWant{MethodPOST, "/", "<nil>", "a", 1, 100, false, true, false, "<nil>", 2}},
	{"HTTP/1.2 reads as 1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"lower-case method is another method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodOther, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"extension method", "PROPFIND /dav/ HTTP/1.1\r\nHost: a\r\nDepth: 1\r\n\r\n", "", Limits{},
		reqWant{MethodOther, "/dav/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"head", "HEAD /i HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodHEAD, "/i", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"delete", "DELETE /i HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodDELETE, "/i", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"trace", "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodTRACE, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"patch", "PATCH /i HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n", "{}", Limits{},
		reqWant{MethodPATCH, "/i", "<nil>", "a", 1, 2, false, true, false, "<nil>", 2}},
	{"obs-text in value", "GET / HTTP/1.1\r\nHost: a\r\nX-Name: Jos\xc3\xa9\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
	{"obs-text in path", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/caf\xc3\xa9", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"names in any case", "POST / HTTP/1.1\r\nhOsT: a\r\nCONTENT-LENGTH: 1\r\n\r\n", "x", Limits{},
		reqWant{MethodPOST, "/", "<nil>", "a", 1, 1, false, true, false, "<nil>", 2}},
	{"host ipv6 literal", "GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "[2001:db8::1]:8080", 1, -1, false, true, false, "<nil>", 1}},
	{"empty host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "", 1, -1, false, true, false, "<nil>", 1}},
	{"pipelined request follows", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n", "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n", Limits{},
		reqWant{MethodGET, "/1", "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"browser GET", browserGET, "", Limits{},
		reqWant{MethodGET, "/static/app.js", "v=3", "www.example.com", 1, -1, false, true, false, "<nil>", 10}},
	{"h2load GET", shortGET, "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "localhost:8080", 1, -1, false, true, false, "<nil>", 3}},
	{"exactly MaxHeaders fields", manyHeaders(DefaultMaxHeaders), "", Limits{},
		reqWant{MethodGET, "/", "<nil>", "h", 1, -1, false, true, false, "<nil>", DefaultMaxHeaders}},
	{"request line exactly MaxRequestLine", "GET /" + strings.Repeat("a", 100-len("GET / HTTP/1.1")) + " HTTP/1.1\r\nHost: a\r\n\r\n", "", Limits{MaxRequestLine: 100},
		reqWant{MethodGET, "/" + strings.Repeat("a", 100-len("GET / HTTP/1.1")), "<nil>", "a", 1, -1, false, true, false, "<nil>", 1}},
	{"head exactly MaxHeaderBytes", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("v", 200-len("GET / HTTP/1.1\r\nHost: a\r\nX: \r\n\r\n")) + "\r\n\r\n", "", Limits{MaxHeaderBytes: 200},
		reqWant{MethodGET, "/", "<nil>", "a", 1, -1, false, true, false, "<nil>", 2}},
}

func checkRequest(t *testing.T, r *Request, w reqWant) {
	t.Helper()
	got := reqWant{r.Method, show(r.Path), show(r.Query), show(r.Authority), r.Minor, r.ContentLength,
		r.Chunked, r.KeepAlive, r.Expect100, show(r.Upgrade), len(r.Headers)}
	if got != w {
		t.Errorf("got  %+v\nwant %+v", got, w)
	}
	if r.Major != 1 {
		t.Errorf("Major = %d", r.Major)
	}
}

func TestValidRequests(t *testing.T) {
	if len(validRequests) < 30 {
		t.Fatalf("only %d valid requests", len(validRequests))
	}
	var p RequestParser
	var r Request
	for _, tc := range validRequests {
		t.Run(tc.name, func(t *testing.T) {
			buf := []byte(tc.head + tc.body)
			p.Limits = tc.lim
			n, err := p.Parse(buf, &r)
			if err != nil || n != len(tc.head) {
				t.Fatalf("Parse = %d, %v; want %d", n, err, len(tc.head))
			}
			checkRequest(t, &r, tc.want)
			if err := requestAliases(&r, buf); err != nil {
				t.Error(err)
			}
			if line := string(r.MethodName) + " " + string(r.Target) + " "; !strings.Contains(tc.head, line) {
				t.Errorf("method and target %q not in the request line", line)
			}
		})
	}
}

// TestRequestSplits parses every valid request split at every byte, with
// and without the buffer moving in between, and one byte at a time; each
// must come out as the one-shot parse did.
func TestRequestSplits(t *testing.T) {
	for _, tc := range validRequests {
		buf := []byte(tc.head + tc.body)
		want := parseRequestOnce(buf, tc.lim)
		for k := 0; k <= len(buf); k++ {
			for _, move := range []bool{false, true} {
				got, err := parseRequestSplit(buf, k, move, tc.lim)
				if err != nil {
					t.Fatalf("%s split at %d (move %v): %v", tc.name, k, move, err)
				}
				if got != want {
					t.Fatalf("%s split at %d (move %v):\n%v\nwant\n%v", tc.name, k, move, got, want)
				}
			}
		}
		if got := parseRequestTrickle(buf, tc.lim); got != want {
			t.Fatalf("%s byte by byte:\n%v\nwant\n%v", tc.name, got, want)
		}
	}
}

func TestRequestGet(t *testing.T) {
	var p RequestParser
	var r Request
	buf := []byte("GET / HTTP/1.1\r\nHost: a\r\nX-Custom: one\r\nx-custom: two\r\nAccept: */*\r\nAccept: text/html\r\nX-Empty:\r\n\r\n")
	if _, err := p.Parse(buf, &r); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got  []byte
		want string
	}{
		{r.Get(HeaderHost), "a"},
		{r.Get(HeaderAccept), "*/*"},
		{r.Get(HeaderCookie), "<nil>"},
		{r.Get(HeaderUnknown), "<nil>"},
		{r.Get(numHeaderIDs + 3), "<nil>"},
		{r.GetName("x-CUSTOM"), "one"},
		{r.GetName("ACCEPT"), "*/*"},
		{r.GetName("X-Empty"), ""},
		{r.GetName("X-Missing"), "<nil>"},
	} {
		if show(c.got) != c.want {
			t.Errorf("got %q, want %q", show(c.got), c.want)
		}
	}
	if r.Headers[1].ID != HeaderUnknown || r.Headers[3].ID != HeaderAccept {
		t.Errorf("IDs: %v %v", r.Headers[1].ID, r.Headers[3].ID)
	}
	if r.HasBody() {
		t.Error("HasBody without a body")
	}
	r.Reset()
	if len(r.Headers) != 0 || r.Get(HeaderHost) != nil || r.ContentLength != -1 || cap(r.Headers) == 0 {
		t.Errorf("Reset left %+v", r)
	}
}

// TestParserRestartsAfterHead checks that a parser is ready for the next
// head after a complete one and after an error, and that Reset abandons a
// partial head.
func TestParserRestartsAfterHead(t *testing.T) {
	var p RequestParser
	var r Request
	pipeline := []byte("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
	n, err := p.Parse(pipeline, &r)
	if err != nil || string(r.Path) != "/1" {
		t.Fatal(n, err)
	}
	if _, err := p.Parse(pipeline[n:], &r); err != nil || string(r.Path) != "/2" {
		t.Fatal(err, string(r.Path))
	}
	if _, err := p.Parse([]byte("GET / HTTP/1.1\r\nHo st: a\r\n\r\n"), &r); err != ErrSpaceBeforeColon {
		t.Fatal(err)
	}
	if _, err := p.Parse([]byte("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n"), &r); err != nil || string(r.Path) != "/3" {
		t.Fatal(err)
	}
	if _, err := p.Parse([]byte("GET /4 HTTP/1.1\r\nHo"), &r); err != ErrNeedMore {
		t.Fatal(err)
	}
	p.Reset()
	if _, err := p.Parse([]byte("GET /5 HTTP/1.1\r\nHost: a\r\n\r\n"), &r); err != nil || string(r.Path) != "/5" || len(r.Headers) != 1 {
		t.Fatal(err, len(r.Headers))
	}
	// A shrinking buffer breaks the contract; the parser starts over.
	if _, err := p.Parse([]byte("GET /6 HTTP/1.1\r\nHost: a\r\nX: 1234567"), &r); err != ErrNeedMore {
		t.Fatal(err)
	}
	if _, err := p.Parse([]byte("GET /7 HTTP/1.1\r\nHost: a\r\n\r\n"), &r); err != nil || string(r.Path) != "/7" || len(r.Headers) != 1 {
		t.Fatal(err, len(r.Headers))
	}
}

func TestHeaderIDs(t *testing.T) {
	for id := HeaderHost; id < numHeaderIDs; id++ {
		name := id.String()
		for _, variant := range []string{name, strings.ToLower(name), strings.ToUpper(name)} {
			if got := LookupHeader([]byte(variant)); got != id {
				t.Errorf("LookupHeader(%q) = %v, want %v", variant, got, id)
			}
		}
		// One byte off, or one longer, is unknown.
		if got := LookupHeader([]byte(name[:len(name)-1] + "!")); got != HeaderUnknown {
			t.Errorf("%q: got %v", name, got)
		}
		if got := LookupHeader([]byte(name + "s")); got != HeaderUnknown && got != HeaderTrailer {
			t.Errorf("%q+s: got %v", name, got)
		}
	}
	for _, s := range []string{"", "X", "X-Custom-Header", strings.Repeat("A", 300), "Hosu", "Content_Length"} {
		if got := LookupHeader([]byte(s)); got != HeaderUnknown {
			t.Errorf("LookupHeader(%q) = %v", s, got)
		}
	}
	if HeaderUnknown.String() != "" || numHeaderIDs.String() != "" || HeaderETag.String() != "ETag" {
		t.Error("String")
	}
}

// TestHeaderHashPerfect guards the constants of nameHash: every known
// name has a slot of its own.
func TestHeaderHashPerfect(t *testing.T) {
	seen := map[uint]HeaderID{}
	for id := HeaderHost; id < numHeaderIDs; id++ {
		n := id.String()
		slot := nameHash(len(n), n[0], n[len(n)-1])
		if other, ok := seen[slot]; ok {
			t.Errorf("%v and %v share slot %d", id, other, slot)
		}
		seen[slot] = id
	}
}

func TestMethodString(t *testing.T) {
	for m := MethodGET; m < MethodOther; m++ {
		if parseMethod([]byte(m.String())) != m {
			t.Errorf("%v does not round-trip", m)
		}
	}
	if MethodOther.String() != "other" || Method(200).String() != "other" {
		t.Error("MethodOther")
	}
}
