package h1

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/textproto"
	"slices"
	"testing"
)

// readWithNetHTTP parses a request head with http.ReadRequest, the
// trusted peer. (net/http's server adds checks after it, such as Host
// presence; the differences list says which.)
func readWithNetHTTP(in []byte) (*http.Request, error) {
	return http.ReadRequest(bufio.NewReader(bytes.NewReader(in)))
}

// agreeWithNetHTTP compares what both parsers made of the same head.
func agreeWithNetHTTP(r *Request, req *http.Request) error {
	cl := r.ContentLength
	switch {
	case r.Chunked:
		cl = -1
	case cl < 0:
		cl = 0
	}
	type view struct {
		method, target, host string
		minor                int
		cl                   int64
		chunked, keepAlive   bool
	}
	ours := view{string(r.MethodName), string(r.Target), string(r.Authority), int(r.Minor), cl, r.Chunked, r.KeepAlive}
	theirs := view{req.Method, req.RequestURI, req.Host, min(req.ProtoMinor, 1), req.ContentLength,
		slices.Equal(req.TransferEncoding, []string{"chunked"}), !req.Close}
	if req.ProtoMajor != 1 || ours != theirs {
		return fmt.Errorf("\nours    %+v\nnet/http %+v", ours, theirs)
	}
	// Field values, in order, per canonical name; net/http moves Host,
	// the framing fields and (with chunked) Trailer out of the map.
	values := map[string][]string{}
	for _, h := range r.Headers {
		switch h.ID {
		case HeaderHost, HeaderTransferEncoding, HeaderContentLength, HeaderTrailer:
			continue
		}
		k := textproto.CanonicalMIMEHeaderKey(string(h.Name))
		values[k] = append(values[k], string(h.Value))
	}
	for k, v := range values {
		if !slices.Equal(v, req.Header[k]) {
			return fmt.Errorf("field %s: ours %q, net/http %q", k, v, req.Header[k])
		}
	}
	for k := range req.Header {
		if _, ok := values[k]; !ok && k != "Content-Length" && k != "Transfer-Encoding" && k != "Trailer" {
			return fmt.Errorf("net/http has field %s that we lack", k)
		}
	}
	return nil
}

// Intentional differences from net/http. Each *Error listed here is one
// that golws returns for heads that http.ReadRequest accepts: golws is
// stricter there on purpose (see the package doc). Some of these net/http's
// server then rejects itself, after ReadRequest.
var stricterThanNetHTTP = map[*Error]string{
	ErrMissingHost:         "net/http's server checks Host presence after ReadRequest, not in it",
	ErrLengthAndEncoding:   "net/http drops Content-Length and uses chunked; RFC 9112 §6.3 calls it an error worth rejecting",
	ErrTargetForm:          "net/http accepts any target with any method (e.g. GET *, CONNECT /path)",
	ErrBadHost:             "net/http's ReadRequest does not check Host syntax or userinfo in absolute-form",
	ErrExpectationFailed:   "net/http's server answers 417 after ReadRequest, not in it",
	ErrBadConnection:       "net/http ignores malformed Connection tokens",
	ErrEncodingInHTTP10:    "net/http accepts chunked in HTTP/1.0; RFC 9112 §6.1 says its framing is faulty",
	ErrObsFold:             "net/http unfolds obs-fold; RFC 9112 §5.2 lets a server reject it",
	ErrBadTarget:           "net/http accepts absolute URIs without an authority (http:/x); RFC 9112 §3.2.2 needs one for HTTP",
	ErrRequestLineTooLong:  "net/http has no request-line limit of its own",
	ErrHeadTooLarge:        "ReadRequest has no size limit (the server's MaxHeaderBytes wraps the reader)",
	ErrTooManyHeaders:      "net/http has no field count limit",
	ErrContentTooLarge:     "net/http applies body limits later, with MaxBytesReader",
	ErrSpaceBeforeColon:    "net/http accepts SP between a field name and its colon; RFC 9112 §5.1 says to reject it",
	ErrVersionNotSupported: "ReadRequest accepts any HTTP/d.d (its server answers 505 after it); golws answers 505 at once",
}

// laxerThanNetHTTP lists heads golws accepts and http.ReadRequest does not.
var laxerThanNetHTTP = map[string]string{
	"leading empty line":                    "RFC 9112 §2.2: a server SHOULD skip an empty line before the request line; net/http does not",
	"leading empty lines, bare LF":          "the same",
	"identical duplicate content-length":    "golws compares the values as numbers (3 == 003); net/http as strings",
	"absolute-form percent-encoded host":    "RFC 3986 reg-name allows pct-encoded; net/http's URL parser rejects it in hosts",
	"chunked any case, empty list elements": "RFC 9110 §5.6.1: a recipient skips empty list elements; net/http wants exactly one element",
}

// differentialInputs are all the request heads the tests know.
func differentialInputs() (names []string, ins [][]byte, lims []Limits) {
	for _, tc := range validRequests {
		names, ins, lims = append(names, tc.name), append(ins, []byte(tc.head+tc.body)), append(lims, tc.lim)
	}
	for _, tc := range malformedRequests {
		names, ins, lims = append(names, tc.name), append(ins, []byte(tc.in)), append(lims, tc.lim)
	}
	for _, tc := range rfcRequests {
		names, ins, lims = append(names, tc.section), append(ins, []byte(tc.in)), append(lims, Limits{})
	}
	return names, ins, lims
}

func TestDifferentialNetHTTP(t *testing.T) {
	names, ins, lims := differentialInputs()
	var both, stricter, laxer int
	for i, in := range ins {
		var p RequestParser
		var r Request
		p.Limits = lims[i]
		_, ourErr := p.Parse(in, &r)
		req, theirErr := readWithNetHTTP(in)
		switch {
		case ourErr == nil && theirErr == nil:
			both++
			if err := agreeWithNetHTTP(&r, req); err != nil {
				t.Errorf("%s: %v", names[i], err)
			}
		case ourErr != nil && theirErr == nil:
			stricter++
			e, _ := ourErr.(*Error)
			t.Logf("%s: only net/http accepts (golws: %v)", names[i], ourErr)
			if _, ok := stricterThanNetHTTP[e]; !ok {
				t.Errorf("%s: golws rejects (%v), net/http accepts: not a documented difference", names[i], ourErr)
			}
		case ourErr == nil && theirErr != nil:
			laxer++
			t.Logf("%s: only golws accepts (net/http: %v)", names[i], theirErr)
			if _, ok := laxerThanNetHTTP[names[i]]; !ok {
				t.Errorf("%s: golws accepts, net/http rejects (%v): not a documented difference", names[i], theirErr)
			}
		}
	}
	t.Logf("%d heads: both accept %d, only net/http accepts %d, only golws accepts %d", len(ins), both, stricter, laxer)
}
