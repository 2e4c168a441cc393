package h1

import (
	"strings"
	"testing"
)

// rfcRequests are the request examples of RFC 9112 and the HTTP/1.1
// request examples of RFC 9110, in wire form. Where the RFC shows only a
// request line, the Host field it requires (RFC 9112 §3.2) is added.
var rfcRequests = []struct {
	section string
	in      string
	want    string // describeRequest's first line, or the error
}{
	{"9112 §3.2.1 origin-form",
		"GET /where?q=now HTTP/1.1\r\nHost: www.example.org\r\n\r\n",
		`GET "GET" target="/where?q=now" path="/where" query="q=now" authority="www.example.org" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9112 §3.2.2 absolute-form",
		"GET http://www.example.org/pub/WWW/TheProject.html HTTP/1.1\r\nHost: www.example.org\r\n\r\n",
		`GET "GET" target="http://www.example.org/pub/WWW/TheProject.html" path="/pub/WWW/TheProject.html" query="<nil>" authority="www.example.org" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9112 §3.2.3 authority-form",
		"CONNECT www.example.com:80 HTTP/1.1\r\nHost: www.example.com:80\r\n\r\n",
		`CONNECT "CONNECT" target="www.example.com:80" path="<nil>" query="<nil>" authority="www.example.com:80" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9112 §3.2.4 asterisk-form",
		"OPTIONS * HTTP/1.1\r\nHost: www.example.org:8001\r\n\r\n",
		`OPTIONS "OPTIONS" target="*" path="*" query="<nil>" authority="www.example.org:8001" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9112 §3.2.4 absolute-form to a proxy",
		"OPTIONS http://www.example.org:8001 HTTP/1.1\r\nHost: www.example.org:8001\r\n\r\n",
		`OPTIONS "OPTIONS" target="http://www.example.org:8001" path="/" query="<nil>" authority="www.example.org:8001" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9112 §6.1 Transfer-Encoding: gzip, chunked (golws decodes no gzip)",
		"POST /upload HTTP/1.1\r\nHost: www.example.org\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
		ErrUnsupportedEncoding.Error()},
	{"9112 §6.2 Content-Length: 3495",
		"POST /upload HTTP/1.1\r\nHost: www.example.org\r\nContent-Length: 3495\r\n\r\n",
		`POST "POST" target="/upload" path="/upload" query="<nil>" authority="www.example.org" HTTP/1.1 cl=3495 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9112 §9.6 Connection: close",
		"GET / HTTP/1.1\r\nHost: www.example.org\r\nConnection: close\r\n\r\n",
		`GET "GET" target="/" path="/" query="<nil>" authority="www.example.org" HTTP/1.1 cl=-1 chunked=false keepalive=false expect100=false upgrade="<nil>"`},
	{"9110 §3.9 example exchange",
		"GET /hello.txt HTTP/1.1\r\nUser-Agent: curl/7.64.1\r\nHost: www.example.com\r\nAccept-Language: en, mi\r\n\r\n",
		`GET "GET" target="/hello.txt" path="/hello.txt" query="<nil>" authority="www.example.com" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9110 §7.2 Host",
		"GET /pub/WWW/ HTTP/1.1\r\nHost: www.example.org\r\n\r\n",
		`GET "GET" target="/pub/WWW/" path="/pub/WWW/" query="<nil>" authority="www.example.org" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9110 §7.8 Upgrade",
		"GET /hello HTTP/1.1\r\nHost: www.example.com\r\nConnection: upgrade\r\nUpgrade: websocket, IRC/6.9, RTA/x11\r\n\r\n",
		`GET "GET" target="/hello" path="/hello" query="<nil>" authority="www.example.com" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="websocket, IRC/6.9, RTA/x11"`},
	{"9110 §9.3.6 CONNECT",
		"CONNECT server.example.com:80 HTTP/1.1\r\nHost: server.example.com\r\n\r\n",
		`CONNECT "CONNECT" target="server.example.com:80" path="<nil>" query="<nil>" authority="server.example.com:80" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9110 §10.1.1 Expect",
		"PUT /somewhere/fun HTTP/1.1\r\nHost: origin.example.com\r\nContent-Type: video/h264\r\nContent-Length: 1234567890987\r\nExpect: 100-continue\r\n\r\n",
		`PUT "PUT" target="/somewhere/fun" path="/somewhere/fun" query="<nil>" authority="origin.example.com" HTTP/1.1 cl=1234567890987 chunked=false keepalive=true expect100=true upgrade="<nil>"`},
	{"9110 §13.1.1 If-Match",
		"PUT /doc HTTP/1.1\r\nHost: example.com\r\nIf-Match: \"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"\r\nContent-Length: 0\r\n\r\n",
		`PUT "PUT" target="/doc" path="/doc" query="<nil>" authority="example.com" HTTP/1.1 cl=0 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
	{"9110 §14.2 Range",
		"GET /z4d4kWk.jpg HTTP/1.1\r\nHost: example.com\r\nRange: bytes=0-1023\r\n\r\n",
		`GET "GET" target="/z4d4kWk.jpg" path="/z4d4kWk.jpg" query="<nil>" authority="example.com" HTTP/1.1 cl=-1 chunked=false keepalive=true expect100=false upgrade="<nil>"`},
}

func TestRFCRequestExamples(t *testing.T) {
	for _, tc := range rfcRequests {
		o := parseRequestOnce([]byte(tc.in), Limits{})
		got := o.desc
		if o.err != nil {
			got = o.err.Error()
		} else if o.n != len(tc.in) {
			t.Errorf("%s: n = %d", tc.section, o.n)
		}
		if i := strings.IndexByte(got, '\n'); i >= 0 {
			got = got[:i]
		}
		if got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.section, got, tc.want)
		}
	}
}

func TestRFCRangeFieldLookup(t *testing.T) {
	var p RequestParser
	var r Request
	in := []byte(rfcRequests[len(rfcRequests)-1].in)
	if _, err := p.Parse(in, &r); err != nil {
		t.Fatal(err)
	}
	if string(r.Get(HeaderRange)) != "bytes=0-1023" {
		t.Errorf("Range = %q", r.Get(HeaderRange))
	}
}
