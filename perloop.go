package golws

import (
	"github.com/klauspost/compress/flate"

	"github.com/golws/golws/ws"
	"golang.org/x/sys/unix"
	"time"

	"github.com/golws/golws/loop"
)

// perLoop is what a Context keeps for each event loop: free request states
// (so idle keep-alive connections hold none), and scratch for serializing.
// Only its loop touches it.
type perLoop struct {
	free     []*exchange
	scratch  []byte
	h2free   []*h2Exchange
	h2out    []byte               // lent to an h2 connection's output while it runs
	h2hdr    []byte               // an h2 response's header block while it is built
	parts    [][]byte             // the DATA payloads of one file read
	filebuf  []byte               // a file read for a TLS connection
	sockets  map[string][]*wsConn // open WebSockets by protocol name, for Broadcast
	wsZ      *ws.Deflater         // the loop's WebSocket compressor (no context takeover)
	wsZBuf   []byte               // a compressed WebSocket message before it is written
	wsFrame  []byte               // a WebSocket frame being assembled
	iov      []unix.Iovec         // and their iovecs
	logTick  loop.Timer
	logDirty bool

	// Bad requests are logged at most once a second per loop, with a count
	// of those not logged: a flood of garbage must not flood the log.
	badLogAt   int64
	badSkipped int
}

func (pl *perLoop) limitedLog(c *Context, l *loop.Loop, msg string, status int, reason string) {
	now := l.Now()
	if now-pl.badLogAt < int64(time.Second) {
		pl.badSkipped++
		return
	}
	c.cfg.Logger.Info(msg, "status", status, "reason", reason, "loop", l.Index(), "suppressed", pl.badSkipped)
	pl.badLogAt, pl.badSkipped = now, 0
}

func (c *Context) loopState(l *loop.Loop) *perLoop {
	return c.perLoop[l.Index()]
}

func (c *Context) initPerLoop() {
	c.perLoop = make([]*perLoop, len(c.engine.Loops()))
	for i, l := range c.engine.Loops() {
		pl := &perLoop{scratch: make([]byte, 0, 4096)}
		pl.logTick.F = func(*loop.Timer) { c.flushLogs(i, pl) }
		_ = l
		c.perLoop[i] = pl
	}
}

// addSocket and dropSocket keep the loop's WebSockets by protocol.
func (pl *perLoop) addSocket(t *wsConn) {
	if pl.sockets == nil {
		pl.sockets = make(map[string][]*wsConn)
	}
	reg := t.m.nameOf(t.proto)
	pl.sockets[reg] = append(pl.sockets[reg], t)
}

func (pl *perLoop) dropSocket(t *wsConn) {
	reg := t.m.nameOf(t.proto)
	list := pl.sockets[reg]
	for i, x := range list {
		if x == t {
			last := len(list) - 1
			list[i], list[last] = list[last], nil
			pl.sockets[reg] = list[:last]
			return
		}
	}
}

// wsDeflate returns the loop's WebSocket compressor.
func (pl *perLoop) wsDeflate() *ws.Deflater {
	if pl.wsZ == nil {
		pl.wsZ, _ = ws.NewDeflater(flate.BestSpeed, true) // a valid level cannot fail
	}
	return pl.wsZ
}

// fileBuf is a loop's buffer for reading a file through a codec.
func (pl *perLoop) fileBuf(n int) []byte {
	if cap(pl.filebuf) < n {
		pl.filebuf = make([]byte, n)
	}
	return pl.filebuf[:n]
}

// getExchange takes a request state from the loop's free list.
func (pl *perLoop) getExchange() *exchange {
	if n := len(pl.free); n > 0 {
		x := pl.free[n-1]
		pl.free[n-1] = nil
		pl.free = pl.free[:n-1]
		return x
	}
	return newExchange()
}

// maxFreeExchanges bounds what a loop keeps for reuse after a burst.
const maxFreeExchanges = 1024

func (pl *perLoop) putExchange(x *exchange) {
	x.clear()
	if len(pl.free) < maxFreeExchanges {
		pl.free = append(pl.free, x)
	}
}

// noteLog arms the once-a-second flush of the loop's access-log buffers.
func (pl *perLoop) noteLog(l *loop.Loop) {
	if !pl.logDirty {
		pl.logDirty = true
		l.Schedule(&pl.logTick, time.Second)
	}
}

func (c *Context) flushLogs(i int, pl *perLoop) {
	pl.logDirty = false
	c.mu.Lock()
	vhs := c.vhosts
	c.mu.Unlock()
	for _, v := range vhs {
		if v.log != nil {
			v.logBufs[i].Flush()
		}
	}
}
