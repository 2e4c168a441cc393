package golws

import (
	"github.com/golws/golws/h1"
	"github.com/golws/golws/static"
	"github.com/valyala/bytebufferpool"
)

// exchange is one request and its response in progress. Connections
// borrow one from their loop while a request is under way and give it back
// when it ends, so an idle keep-alive connection holds none.
type exchange struct {
	parser  h1.RequestParser
	head    h1.Request
	req     Request
	resp    Response
	chunked h1.ChunkedDecoder

	headRaw   []byte // the head in the current read buffer (until detach)
	bodyDone  bool   // the last body byte has been delivered
	phase     uint8
	bodyMode  uint8
	bodyLeft  int64                      // Content-Length bytes still to come
	headBuf   *bytebufferpool.ByteBuffer // the head, copied when the request outlives a read
	pathBuf   []byte
	bodyBuf   *bytebufferpool.ByteBuffer // a gathered body
	handler   Handler
	bodyH     BodyHandler
	chunkedTE bool // the response uses chunked framing
	keepAlive bool
	sent      int64 // body bytes sent, for the access log

	file      *static.File // a file being sent as the body
	fileCache *static.FileCache
	fileOff   int64
	fileLeft  int64
}

// Exchange phases.
const (
	phaseHead    uint8 = iota // reading a request head
	phaseBody                 // reading the request body
	phaseRespond              // the response is held open or streaming
	phaseDrain                // response done; discarding the rest of the body
)

// Body handling.
const (
	bodyNone    uint8 = iota
	bodyGather        // read it whole, then Serve
	bodyStream        // Serve, then OnBody as it arrives
	bodyDiscard       // the response ended first: read and drop
)

func newExchange() *exchange {
	x := &exchange{pathBuf: make([]byte, 0, 128)}
	x.clear()
	return x
}

// clear readies x for the next request, keeping capacity.
func (x *exchange) clear() {
	x.parser.Reset()
	x.head.Reset()
	x.chunked.Reset()
	x.resp.release()
	x.resp.flags = rEnded // a stale Post must find it gone; nothing else carries over
	x.resp.gen++
	if x.headBuf != nil {
		bytebufferpool.Put(x.headBuf)
		x.headBuf = nil
	}
	if x.bodyBuf != nil {
		bytebufferpool.Put(x.bodyBuf)
		x.bodyBuf = nil
	}
	x.req = Request{}
	x.phase, x.bodyMode, x.bodyLeft = phaseHead, bodyNone, 0
	x.handler, x.bodyH = nil, nil
	x.chunkedTE, x.keepAlive = false, false
	x.sent = 0
	if x.file != nil {
		x.fileCache.Release(x.file)
		x.file, x.fileCache = nil, nil
	}
	x.fileOff, x.fileLeft = 0, 0
	x.headRaw, x.bodyDone = nil, false
	x.pathBuf = x.pathBuf[:0]
}
