package h1

import (
	"strings"
	"testing"
)

type malformedRequest struct {
	name string
	in   string
	lim  Limits
	want *Error
}

// h is a valid request line and Host, to prefix field-level cases.
const h = "GET / HTTP/1.1\r\nHost: a\r\n"

var malformedRequests = []malformedRequest{
	// Framing: RFC 9112 §6 and the request-smuggling defences.
	{"TE and CL", h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", Limits{}, ErrLengthAndEncoding},
	{"CL and TE", h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", Limits{}, ErrLengthAndEncoding},
	{"TE and CL 0", h + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n", Limits{}, ErrLengthAndEncoding},
	{"different CLs", h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", Limits{}, ErrConflictingLength},
	{"CL list", h + "Content-Length: 5, 5\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL plus sign", h + "Content-Length: +5\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL minus sign", h + "Content-Length: -1\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL hex", h + "Content-Length: 0x5\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL trailing garbage", h + "Content-Length: 5a\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL inner space", h + "Content-Length: 1 2\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL empty", h + "Content-Length:\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL overflows int63", h + "Content-Length: 9223372036854775808\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL far too long", h + "Content-Length: 99999999999999999999999999\r\n\r\n", Limits{}, ErrBadContentLength},
	{"CL above MaxContentLength", h + "Content-Length: 101\r\n\r\n", Limits{MaxContentLength: 100}, ErrContentTooLarge},
	{"TE gzip only", h + "Transfer-Encoding: gzip\r\n\r\n", Limits{}, ErrChunkedNotFinal},
	{"TE chunked then gzip", h + "Transfer-Encoding: chunked, gzip\r\n\r\n", Limits{}, ErrChunkedNotFinal},
	{"TE identity", h + "Transfer-Encoding: identity\r\n\r\n", Limits{}, ErrChunkedNotFinal},
	{"TE chunked twice", h + "Transfer-Encoding: chunked, chunked\r\n\r\n", Limits{}, ErrChunkedTwice},
	{"TE chunked twice across fields", h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", Limits{}, ErrChunkedTwice},
	{"TE gzip under chunked", h + "Transfer-Encoding: gzip, chunked\r\n\r\n", Limits{}, ErrUnsupportedEncoding},
	{"TE unknown under chunked", h + "Transfer-Encoding: x-custom\r\nTransfer-Encoding: chunked\r\n\r\n", Limits{}, ErrUnsupportedEncoding},
	{"TE parameter", h + "Transfer-Encoding: chunked;q=1\r\n\r\n", Limits{}, ErrBadTransferEncoding},
	{"TE empty", h + "Transfer-Encoding:\r\n\r\n", Limits{}, ErrBadTransferEncoding},
	{"TE quoted", h + "Transfer-Encoding: \"chunked\"\r\n\r\n", Limits{}, ErrBadTransferEncoding},
	{"TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", Limits{}, ErrEncodingInHTTP10},

	// Line syntax: RFC 9112 §2.2, §5.
	{"obs-fold SP", h + "X: a\r\n b\r\n\r\n", Limits{}, ErrObsFold},
	{"obs-fold HTAB", h + "X: a\r\n\tb\r\n\r\n", Limits{}, ErrObsFold},
	{"whitespace line before first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", Limits{}, ErrObsFold},
	{"bare CR in value", h + "X: a\rb\r\n\r\n", Limits{}, ErrBareCR},
	{"CR CR LF", h + "X: a\r\r\n\r\n", Limits{}, ErrBareCR},
	{"bare CR starting a line", h + "\rX: a\r\n\r\n", Limits{}, ErrBareCR},
	{"bare CR in name", h + "X\r: a\r\n\r\n", Limits{}, ErrBareCR},
	{"bare CR in request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBareCR},
	{"bare CR after version", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", Limits{}, ErrBareCR},
	{"NUL in value", h + "X: a\x00b\r\n\r\n", Limits{}, ErrBadFieldValue},
	{"NUL in name", h + "X\x00Y: a\r\n\r\n", Limits{}, ErrBadFieldName},
	{"DEL in value", h + "X: a\x7fb\r\n\r\n", Limits{}, ErrBadFieldValue},
	{"control char in value", h + "X: a\x01\r\n\r\n", Limits{}, ErrBadFieldValue},
	{"vertical tab in value", h + "X: a\x0bb\r\n\r\n", Limits{}, ErrBadFieldValue},
	{"escape in value", h + "X: \x1b[31m\r\n\r\n", Limits{}, ErrBadFieldValue},
	{"space before colon", h + "X : a\r\n\r\n", Limits{}, ErrSpaceBeforeColon},
	{"tab before colon", h + "Content-Length\t: 5\r\n\r\n", Limits{}, ErrSpaceBeforeColon},
	{"empty name", h + ": a\r\n\r\n", Limits{}, ErrEmptyFieldName},
	{"separator in name", h + "X(Y): a\r\n\r\n", Limits{}, ErrBadFieldName},
	{"at sign in name", h + "X@Y: a\r\n\r\n", Limits{}, ErrBadFieldName},
	{"slash in name", h + "X/Y: a\r\n\r\n", Limits{}, ErrBadFieldName},
	{"obs-text in name", h + "X\xc3\xa9: a\r\n\r\n", Limits{}, ErrBadFieldName},
	{"no colon", h + "NoColon\r\n\r\n", Limits{}, ErrNoColon},

	// Request line: RFC 9112 §3.
	{"method with separator", "G(ET / HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadMethod},
	{"method NUL", "\x00GET / HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadMethod},
	{"tab after method", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadMethod},
	{"TLS handshake", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", Limits{}, ErrBadMethod},
	{"TLS handshake without LF", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", Limits{}, ErrBadMethod},
	{"leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"two spaces after target", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"HTTP/0.9 request", "GET /\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"method only", "GET\r\n\r\n", Limits{}, ErrBadRequestLine},
	{"lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadVersion},
	{"two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", Limits{}, ErrBadVersion},
	{"no minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", Limits{}, ErrBadVersion},
	{"version garbage", "GET / HTTP/x.y\r\nHost: a\r\n\r\n", Limits{}, ErrBadVersion},
	{"HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", Limits{}, ErrVersionNotSupported},
	{"HTTP/0.9 version", "GET / HTTP/0.9\r\n\r\n", Limits{}, ErrVersionNotSupported},
	{"HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", Limits{}, ErrVersionNotSupported},
	{"h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Limits{}, ErrVersionNotSupported},
	{"DEL in target", "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadTarget},
	{"tab in target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadTarget},
	{"relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadTarget},
	{"scheme without slashes", "GET http:/x HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadTarget},
	{"scheme starting with digit", "GET 1http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadTarget},
	{"asterisk for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrTargetForm},
	{"origin-form for CONNECT", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrTargetForm},
	{"CONNECT without port", "CONNECT a HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrTargetForm},
	{"CONNECT with empty port", "CONNECT a: HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrTargetForm},
	{"CONNECT absolute-form", "CONNECT http://a:80/ HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrTargetForm},
	{"absolute-form empty host", "GET http:///p HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadHost},
	{"absolute-form userinfo", "GET http://user:pw@a/ HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadHost},
	{"absolute-form bad port", "GET http://a:8x/ HTTP/1.1\r\nHost: a\r\n\r\n", Limits{}, ErrBadHost},

	// Host: RFC 9112 §3.2.
	{"HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", Limits{}, ErrMissingHost},
	{"absolute-form without Host", "GET http://a/ HTTP/1.1\r\n\r\n", Limits{}, ErrMissingHost},
	{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", Limits{}, ErrMultipleHost},
	{"two Hosts in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", Limits{}, ErrMultipleHost},
	{"Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", Limits{}, ErrBadHost},
	{"Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", Limits{}, ErrBadHost},
	{"Host with path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", Limits{}, ErrBadHost},
	{"Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", Limits{}, ErrBadHost},
	{"Host unclosed bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", Limits{}, ErrBadHost},

	// Other fields.
	{"Expect other", h + "Expect: the-unexpected\r\n\r\n", Limits{}, ErrExpectationFailed},
	{"Expect list with other", h + "Expect: 100-continue, foo\r\n\r\n", Limits{}, ErrExpectationFailed},
	{"Expect with parameter", h + "Expect: 100-continue;x=1\r\n\r\n", Limits{}, ErrExpectationFailed},
	{"Connection with space inside", h + "Connection: keep alive\r\n\r\n", Limits{}, ErrBadConnection},

	// Limits.
	{"request line too long", "GET /" + strings.Repeat("a", 200) + " HTTP/1.1\r\nHost: a\r\n\r\n", Limits{MaxRequestLine: 100}, ErrRequestLineTooLong},
	{"request line one over", "GET /" + strings.Repeat("a", 101-len("GET / HTTP/1.1")) + " HTTP/1.1\r\nHost: a\r\n\r\n", Limits{MaxRequestLine: 100}, ErrRequestLineTooLong},
	{"request line one over, bare LF", "GET /" + strings.Repeat("a", 101-len("GET / HTTP/1.1")) + " HTTP/1.1\nHost: a\r\n\r\n", Limits{MaxRequestLine: 100}, ErrRequestLineTooLong},
	{"bad method byte inside an overlong line", "GET\"" + strings.Repeat("a", 40), Limits{MaxRequestLine: 24}, ErrBadMethod},
	{"bad method byte inside an overlong complete line", "G\"T /" + strings.Repeat("a", 40) + " HTTP/1.1\r\n\r\n", Limits{MaxRequestLine: 24}, ErrBadMethod},
	{"request line never ends", "GET /" + strings.Repeat("a", 9000), Limits{}, ErrRequestLineTooLong},
	{"head too long", h + "X: " + strings.Repeat("v", 17000) + "\r\n\r\n", Limits{}, ErrHeadTooLarge},
	{"head one over", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("v", 201-len("GET / HTTP/1.1\r\nHost: a\r\nX: \r\n\r\n")) + "\r\n\r\n", Limits{MaxHeaderBytes: 200}, ErrHeadTooLarge},
	{"head limit before request line limit", "GET /" + strings.Repeat("a", 300) + " HTTP/1.1\r\n\r\n", Limits{MaxHeaderBytes: 100, MaxRequestLine: 1000}, ErrHeadTooLarge},
	{"endless empty lines", strings.Repeat("\r\n", 9000), Limits{}, ErrHeadTooLarge},
	{"too many fields", manyHeaders(DefaultMaxHeaders + 1), Limits{}, ErrTooManyHeaders},
	{"too many fields, custom limit", manyHeaders(4), Limits{MaxHeaders: 3}, ErrTooManyHeaders},
}

// TestMalformedRequests checks the exact verdict of each malformed
// request, whole and split at every byte.
func TestMalformedRequests(t *testing.T) {
	if len(malformedRequests) < 60 {
		t.Fatalf("only %d malformed requests", len(malformedRequests))
	}
	for _, tc := range malformedRequests {
		buf := []byte(tc.in)
		got := parseRequestOnce(buf, tc.lim)
		if got.err != tc.want {
			t.Errorf("%s: got %v, want %v (%d)", tc.name, got.err, tc.want, tc.want.Status)
			continue
		}
		for k := 0; k <= len(buf) && k < 400; k++ {
			split, err := parseRequestSplit(buf, k, k%2 == 1, tc.lim)
			if err != nil || split != got {
				t.Errorf("%s split at %d: %v (%v)", tc.name, k, split, err)
				break
			}
		}
	}
}

// TestErrorStatuses pins the status of each verdict the brief names.
func TestErrorStatuses(t *testing.T) {
	seen := map[int]bool{}
	for _, tc := range malformedRequests {
		seen[tc.want.Status] = true
	}
	for _, s := range []int{400, 413, 414, 417, 431, 501, 505} {
		if !seen[s] {
			t.Errorf("no malformed request answered %d", s)
		}
	}
	if got := ErrMissingHost.Error(); got != "h1: 400 HTTP/1.1 request without Host" {
		t.Errorf("Error() = %q", got)
	}
}

// TestEarlyRejection checks that noise is rejected on its first bytes,
// before any line ends.
func TestEarlyRejection(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{
		{"\x16\x03", ErrBadMethod},
		{" ", ErrBadRequestLine},
		{"\r\n ", ErrBadRequestLine},
		{"GE(", ErrBadMethod},
		{"GET /x", ErrNeedMore},
		{"GET\r", ErrNeedMore},
		{"\r", ErrNeedMore},
	} {
		var p RequestParser
		var r Request
		if _, err := p.Parse([]byte(c.in), &r); err != c.want {
			t.Errorf("%q: %v, want %v", c.in, err, c.want)
		}
	}
}
