package h2

import "github.com/golws/golws/hpack"

// ServerHandler is the role above a ServerConn: it turns streams into
// requests and responses. Its methods run inside the ServerConn call that
// caused them (Feed, a write, RunWritable) and may call back into it.
type ServerHandler interface {
	// OnStreamHeaders delivers a new stream's request head; end reports
	// END_STREAM (no body). head and its slices are valid only during
	// the call.
	OnStreamHeaders(s *Stream, head *RequestHead, end bool)
	// OnStreamData delivers request body octets (valid during the call);
	// end is true once, with the last (possibly empty) piece, trailers
	// included. Return the window with ServerConn.Consumed once the
	// octets are dealt with.
	OnStreamData(s *Stream, data []byte, end bool)
	// OnStreamWritable: a stream that asked with WantWritable can take
	// more body.
	OnStreamWritable(s *Stream)
	// OnStreamClose: the stream is over, ended both ways (code
	// ErrCodeNo) or reset by either side. It is the last call for s.
	OnStreamClose(s *Stream, code ErrCode)
}

// RequestHead is a request's header block, checked against RFC 9113 §8.3
// and split into pseudo-header fields and the rest.
type RequestHead struct {
	Method, Scheme, Authority, Path []byte
	Protocol                        []byte // :protocol of an extended CONNECT (RFC 8441), else nil
	Fields                          []hpack.Field
	ContentLength                   int64 // from content-length, -1 if absent
}
