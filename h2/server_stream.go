package h2

// Stream is one request/response exchange on a server connection, from
// the request's HEADERS until both sides have ended it or it was reset.
// The role keeps its own state in User. A Stream is recycled once the
// role's OnStreamClose returned: keep no reference past it.
type Stream struct {
	ID   uint32
	User any

	remoteDone bool // END_STREAM received (half-closed remote)
	localDone  bool // END_STREAM sent, or queued behind out
	closed     bool
	headSent   bool
	wantWrite  bool // OnStreamWritable when Writable
	queued     bool // on the connection's send queue

	sendWindow int64 // what we may still send (may go negative, §6.9.2)
	recvWindow int64 // what the client may still send
	unacked    int64 // consumed but not yet returned by WINDOW_UPDATE

	contentLength int64 // declared, -1 if not
	received      int64 // DATA payload octets received

	out    []byte // DATA payload waiting for window: out[outOff:]
	outOff int
	outEnd bool   // END_STREAM goes with the last of out
	tail   []byte // trailers to send once out is sent
}

// Writable reports whether more body may be written without queueing
// much: less than queueLimit octets wait for flow-control window.
func (s *Stream) Writable() bool {
	return !s.closed && !s.localDone && !s.outEnd && s.Queued() < queueLimit
}

// Queued is the number of body octets waiting for flow-control window.
func (s *Stream) Queued() int { return len(s.out) - s.outOff }

// Closed reports whether the stream is over.
func (s *Stream) Closed() bool { return s.closed }

// RemoteDone reports whether the client has ended its side.
func (s *Stream) RemoteDone() bool { return s.remoteDone }

// queueLimit is how much body a stream queues past the windows before
// Writable turns false: enough to keep a window's worth in flight.
const queueLimit = 64 << 10

func (s *Stream) reset(id uint32, sendWindow, recvWindow int64) {
	out, tail := s.out[:0], s.tail[:0]
	*s = Stream{ID: id, sendWindow: sendWindow, recvWindow: recvWindow, contentLength: -1, out: out, tail: tail}
}
