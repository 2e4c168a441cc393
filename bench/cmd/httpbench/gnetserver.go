//go:build linux

package main

import (
	"bytes"
	"errors"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
	gnetlog "github.com/panjf2000/gnet/v2/pkg/logging"
)

// gnetHTTP is the minimal HTTP responder gnet's own benchmarks use: it
// does not parse requests, it finds where each head ends ("\r\n\r\n") and
// answers every one with the same plaintext response. Pipelined requests
// in one read get their responses in one write. Requests with a body are
// not supported; none are sent.
type gnetHTTP struct {
	gnet.BuiltinEventEngine
	booted chan struct{}
	resp   atomic.Pointer[[]byte] // the full response, re-dated every second
	out    []byte                 // responses of one read; one event loop, so one buffer
}

// gnetMaxHead is how much unterminated head is buffered before the
// connection is dropped.
const gnetMaxHead = 64 << 10

var headEnd = []byte("\r\n\r\n")

func (h *gnetHTTP) OnBoot(gnet.Engine) gnet.Action {
	close(h.booted)
	return gnet.None
}

func (h *gnetHTTP) OnTraffic(c gnet.Conn) gnet.Action {
	buf, err := c.Peek(-1)
	if err != nil {
		return gnet.Close
	}
	n, used := countHeads(buf)
	if n == 0 {
		if len(buf) > gnetMaxHead {
			return gnet.Close
		}
		return gnet.None // wait for the rest of the head
	}
	resp := *h.resp.Load()
	out := h.out[:0]
	for range n {
		out = append(out, resp...)
	}
	h.out = out
	if _, err := c.Discard(used); err != nil {
		return gnet.Close
	}
	if _, err := c.Write(out); err != nil {
		return gnet.Close
	}
	return gnet.None
}

// countHeads counts the complete request heads at the start of buf and
// the bytes they span.
func countHeads(buf []byte) (n, used int) {
	for {
		i := bytes.Index(buf[used:], headEnd)
		if i < 0 {
			return n, used
		}
		used += i + len(headEnd)
		n++
	}
}

// gnetResponse is the fixed response dated now.
func gnetResponse(now time.Time) []byte {
	b := []byte("HTTP/1.1 200 OK\r\nServer: gnet\r\nContent-Type: text/plain\r\nDate: ")
	b = now.UTC().AppendFormat(b, "Mon, 02 Jan 2006 15:04:05 GMT")
	b = append(b, "\r\nContent-Length: 13\r\n\r\n"...)
	return append(b, plaintextBody...)
}

// serveGnet runs gnet with one event loop. gnet.Run blocks for the life
// of the engine, so it runs in its own goroutine and OnBoot says when the
// listener is up. A goroutine refreshes the Date once a second.
func serveGnet(addr string) (string, error) {
	h := &gnetHTTP{booted: make(chan struct{})}
	r := gnetResponse(time.Now())
	h.resp.Store(&r)
	go func() {
		for now := range time.Tick(time.Second) {
			r := gnetResponse(now)
			h.resp.Store(&r)
		}
	}()
	errc := make(chan error, 1)
	go func() {
		errc <- gnet.Run(h, "tcp://"+addr,
			gnet.WithMulticore(false),
			gnet.WithNumEventLoop(1),
			gnet.WithTCPNoDelay(gnet.TCPNoDelay),
			gnet.WithLogLevel(gnetlog.ErrorLevel))
	}()
	select {
	case <-h.booted:
		return addr, nil
	case err := <-errc:
		if err == nil {
			err = errors.New("gnet.Run returned before boot")
		}
		return "", err
	case <-time.After(10 * time.Second):
		return "", errors.New("gnet did not boot within 10s")
	}
}
