package h1

import (
	"strings"
	"testing"
)

type respWant struct {
	minor   uint8
	status  int
	reason  string
	cl      int64
	chunked bool
	keep    bool
	headers int
	mode    BodyMode // for a GET
}

var validResponses = []struct {
	name string
	head string
	want respWant
}{
	{"length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", respWant{1, 200, "OK", 5, false, true, 1, BodyLength}},
	{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", respWant{1, 200, "OK", -1, true, true, 1, BodyChunked}},
	{"gzip then chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", respWant{1, 200, "OK", -1, true, true, 1, BodyChunked}},
	{"final coding not chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", respWant{1, 200, "OK", -1, false, true, 1, BodyUntilClose}},
	{"no framing", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", respWant{1, 200, "OK", -1, false, false, 1, BodyUntilClose}},
	{"http10", "HTTP/1.0 200 OK\r\n\r\n", respWant{0, 200, "OK", -1, false, false, 0, BodyUntilClose}},
	{"http10 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", respWant{0, 200, "OK", 0, false, true, 2, BodyLength}},
	{"204", "HTTP/1.1 204 No Content\r\n\r\n", respWant{1, 204, "No Content", -1, false, true, 0, BodyNone}},
	{"304 with length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", respWant{1, 304, "Not Modified", 100, false, true, 1, BodyNone}},
	{"100 continue", "HTTP/1.1 100 Continue\r\n\r\n", respWant{1, 100, "Continue", -1, false, true, 0, BodyNone}},
	{"101 upgrade", "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", respWant{1, 101, "Switching Protocols", -1, false, true, 3, BodyNone}},
	{"no reason", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", respWant{1, 200, "", 0, false, true, 1, BodyLength}},
	{"empty reason", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", respWant{1, 200, "", 0, false, true, 1, BodyLength}},
	{"reason with spaces, tabs and obs-text", "HTTP/1.1 404 Not \tFound \xc3\xa9\r\n\r\n", respWant{1, 404, "Not \tFound \xc3\xa9", -1, false, true, 0, BodyUntilClose}},
	{"unregistered status", "HTTP/1.1 599 Whatever\r\nContent-Length: 1\r\n\r\n", respWant{1, 599, "Whatever", 1, false, true, 1, BodyLength}},
	{"bare LF", "HTTP/1.1 200 OK\nContent-Length: 2\n\n", respWant{1, 200, "OK", 2, false, true, 1, BodyLength}},
	{"set-cookie repeated", "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n", respWant{1, 200, "OK", 0, false, true, 3, BodyLength}},
	{"HTTP/1.1 minor 9", "HTTP/1.9 200 OK\r\nContent-Length: 0\r\n\r\n", respWant{1, 200, "OK", 0, false, true, 1, BodyLength}},
	{"RFC 9110 §3.9", rfc9110Response, respWant{1, 200, "OK", 51, false, true, 8, BodyLength}},
	{"RFC 9110 §14.4 206", rfc9110Partial, respWant{1, 206, "Partial Content", 26012, false, true, 5, BodyLength}},
}

const rfc9110Response = "HTTP/1.1 200 OK\r\n" +
	"Date: Mon, 27 Jul 2009 12:28:53 GMT\r\n" +
	"Server: Apache\r\n" +
	"Last-Modified: Wed, 22 Jul 2009 19:15:56 GMT\r\n" +
	"ETag: \"34aa387-d-1568eb00\"\r\n" +
	"Accept-Ranges: bytes\r\n" +
	"Content-Length: 51\r\n" +
	"Vary: Accept-Encoding\r\n" +
	"Content-Type: text/plain\r\n" +
	"\r\n"

const rfc9110Partial = "HTTP/1.1 206 Partial Content\r\n" +
	"Date: Wed, 15 Nov 1995 06:25:24 GMT\r\n" +
	"Last-Modified: Wed, 15 Nov 1995 04:58:08 GMT\r\n" +
	"Content-Range: bytes 21010-47021/47022\r\n" +
	"Content-Length: 26012\r\n" +
	"Content-Type: image/gif\r\n" +
	"\r\n"

var malformedResponses = []struct {
	name string
	in   string
	want *Error
}{
	{"empty line first", "\r\nHTTP/1.1 200 OK\r\n\r\n", ErrBadStatusLine},
	{"short", "HTTP/1.1 20\r\n\r\n", ErrBadStatusLine},
	{"four digits", "HTTP/1.1 2000 OK\r\n\r\n", ErrBadStatusLine},
	{"status 099", "HTTP/1.1 099 OK\r\n\r\n", ErrBadStatusLine},
	{"no space after version", "HTTP/1.1\t200 OK\r\n\r\n", ErrBadStatusLine},
	{"lower-case version", "http/1.1 200 OK\r\n\r\n", ErrBadStatusLine},
	{"HTTP/2", "HTTP/2.0 200 OK\r\n\r\n", ErrVersionNotSupported},
	{"control char in reason", "HTTP/1.1 200 O\x01K\r\n\r\n", ErrBadStatusLine},
	{"bare CR in reason", "HTTP/1.1 200 O\rK\r\n\r\n", ErrBareCR},
	{"TE and CL", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", ErrLengthAndEncoding},
	{"different CLs", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", ErrConflictingLength},
	{"bad CL", "HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\n", ErrBadContentLength},
	{"chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", ErrChunkedTwice},
	{"TE in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", ErrEncodingInHTTP10},
	{"obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", ErrObsFold},
	{"space before colon", "HTTP/1.1 200 OK\r\nX : a\r\n\r\n", ErrSpaceBeforeColon},
	{"status line too long", "HTTP/1.1 200 " + strings.Repeat("k", DefaultMaxRequestLine) + "\r\n\r\n", ErrRequestLineTooLong},
}

func TestValidResponses(t *testing.T) {
	var p ResponseParser
	var r Response
	for _, tc := range validResponses {
		buf := []byte(tc.head + "body")
		n, err := p.Parse(buf, &r)
		if err != nil || n != len(tc.head) {
			t.Errorf("%s: Parse = %d, %v", tc.name, n, err)
			continue
		}
		got := respWant{r.Minor, r.Status, string(r.Reason), r.ContentLength, r.Chunked, r.KeepAlive, len(r.Headers), r.BodyMode(MethodGET)}
		if got != tc.want {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tc.name, got, tc.want)
		}
		if err := responseAliases(&r, buf); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestResponseSplits(t *testing.T) {
	for _, tc := range validResponses {
		buf := []byte(tc.head)
		want := parseResponseOnce(buf)
		for k := 0; k <= len(buf); k++ {
			for _, move := range []bool{false, true} {
				got, err := parseResponseSplit(buf, k, move)
				if err != nil || got != want {
					t.Fatalf("%s split at %d (move %v): %v\n%v\nwant\n%v", tc.name, k, move, err, got, want)
				}
			}
		}
		if got := parseResponseTrickle(buf); got != want {
			t.Fatalf("%s byte by byte:\n%v\nwant\n%v", tc.name, got, want)
		}
	}
}

func TestMalformedResponses(t *testing.T) {
	for _, tc := range malformedResponses {
		buf := []byte(tc.in)
		got := parseResponseOnce(buf)
		if got.err != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got.err, tc.want)
			continue
		}
		for k := 0; k <= len(buf) && k < 200; k++ {
			if split, err := parseResponseSplit(buf, k, false); err != nil || split != got {
				t.Errorf("%s split at %d: %v", tc.name, k, split)
				break
			}
		}
	}
}

func TestBodyMode(t *testing.T) {
	parse := func(s string) *Response {
		var p ResponseParser
		r := new(Response)
		if _, err := p.Parse([]byte(s), r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	withLength := parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n")
	chunked := parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
	created := parse("HTTP/1.1 201 Created\r\nContent-Length: 9\r\n\r\n")
	denied := parse("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 9\r\n\r\n")
	for _, c := range []struct {
		r      *Response
		method Method
		want   BodyMode
	}{
		{withLength, MethodGET, BodyLength},
		{withLength, MethodHEAD, BodyNone},
		{chunked, MethodPOST, BodyChunked},
		{chunked, MethodHEAD, BodyNone},
		{withLength, MethodCONNECT, BodyNone},
		{created, MethodCONNECT, BodyNone},
		{denied, MethodCONNECT, BodyLength},
	} {
		if got := c.r.BodyMode(c.method); got != c.want {
			t.Errorf("%d to %v: %v, want %v", c.r.Status, c.method, got, c.want)
		}
	}
	if BodyUntilClose.String() != "until-close" || BodyMode(9).String() != "invalid" {
		t.Error("BodyMode.String")
	}
	if string(withLength.Get(HeaderContentLength)) != "9" || string(withLength.GetName("content-length")) != "9" {
		t.Error("Get")
	}
}
