package h2

import "strconv"

// ConnError is a connection error (RFC 9113 §5.4.1): the role sends GOAWAY
// with Code and closes the connection. Reason says what was wrong, for
// logs and, if the role wishes, for GOAWAY's debug data.
type ConnError struct {
	Code   ErrCode
	Reason string
}

func (e ConnError) Error() string {
	return "h2: connection error " + e.Code.String() + ": " + e.Reason
}

// StreamError is a stream error (RFC 9113 §5.4.2): the role sends
// RST_STREAM with Code on StreamID and the connection goes on. The parsers
// leave StreamID 0, which stands for the stream of the frame they were
// given (see [StreamError.On]).
type StreamError struct {
	StreamID uint32
	Code     ErrCode
	Reason   string
}

func (e StreamError) Error() string {
	s := "h2: stream error " + e.Code.String() + ": " + e.Reason
	if e.StreamID != 0 {
		s += " (stream " + strconv.FormatUint(uint64(e.StreamID), 10) + ")"
	}
	return s
}

// On returns e naming the stream id, for a role that logs or keeps it.
func (e StreamError) On(id uint32) StreamError {
	e.StreamID = id
	return e
}

// connError and streamError build the package's predefined errors. They
// return error (an interface already holding the value) so that handing
// one back from a parser copies two words and allocates nothing.
func connError(code ErrCode, reason string) error { return ConnError{code, reason} }

func streamError(code ErrCode, reason string) error { return StreamError{0, code, reason} }
