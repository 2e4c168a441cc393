package golws

// Handler answers HTTP requests, over HTTP/1.1 and (later) HTTP/2 alike.
//
// Serve runs on the connection's event loop, like every callback in golws:
// it must not block. It may answer at once (set status and headers, Write
// the body, return: the response ends when Serve returns), or keep the
// response open with [Response.Stream] (a producer called whenever the
// client can take more) or [Response.Hold] (answer later, from a task
// posted with [Response.Post]).
//
// The request body: unless the handler is a [BodyHandler], the server reads
// the whole body (up to Config.MaxBodySize, else 413) before Serve runs and
// [Request.Body] returns it.
type Handler interface {
	Serve(w *Response, r *Request)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(w *Response, r *Request)

// Serve calls f.
func (f HandlerFunc) Serve(w *Response, r *Request) { f(w, r) }

// BodyHandler is a Handler that takes the request body as it arrives, with
// backpressure: the server reads on only after OnBody returns, and
// [Request.PauseBody] stops reading until [Request.ResumeBody]. Serve runs
// first, at the end of the request head; a response held open in Serve is
// typically ended in OnBody when last is true.
type BodyHandler interface {
	Handler
	// OnBody receives the next piece of the body; chunk aliases a read
	// buffer and is valid only during the call. last is true once, with
	// the final (possibly empty) piece.
	OnBody(w *Response, r *Request, chunk []byte, last bool)
}
