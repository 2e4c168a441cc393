package loop

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Engine is a set of event loops sharing listeners, limits and shutdown.
type Engine struct {
	cfg   Config
	loops []*Loop
	base  time.Time
	rr    atomic.Uint32 // round-robin cursor for handing out connections

	conns        atomic.Int64 // open connections, all loops
	acceptPaused atomic.Bool  // some listener paused at MaxConns

	mu        sync.Mutex
	listeners map[*Listener]struct{}
	shutting  atomic.Bool
	drained   chan struct{}
	drainOnce sync.Once
	stopOnce  sync.Once
}

// New starts an engine: its loops run until Shutdown or Close.
func New(cfg Config) (*Engine, error) {
	e := &Engine{
		cfg:       cfg.withDefaults(),
		base:      time.Now(),
		listeners: make(map[*Listener]struct{}),
		drained:   make(chan struct{}),
	}
	for i := 0; i < e.cfg.Loops; i++ {
		l, err := newLoop(e, i)
		if err != nil {
			for _, l := range e.loops {
				l.poller.Close()
			}
			return nil, err
		}
		e.loops = append(e.loops, l)
	}
	for _, l := range e.loops {
		go l.run()
	}
	return e, nil
}

// Config is the engine's configuration with defaults filled in.
func (e *Engine) Config() Config { return e.cfg }

// Loops are the engine's event loops.
func (e *Engine) Loops() []*Loop { return e.loops }

// Conns is the number of open connections across all loops.
func (e *Engine) Conns() int { return int(e.conns.Load()) }

func (e *Engine) nanotime() int64 { return int64(time.Since(e.base)) }

// pick hands out loops round-robin.
func (e *Engine) pick() *Loop {
	return e.loops[int(e.rr.Add(1)-1)%len(e.loops)]
}

// PostAll runs fn once on every loop (cross-loop fan-out, e.g. a broadcast
// to every connection of a protocol). It returns the first error, if a loop
// has stopped.
func (e *Engine) PostAll(fn func(l *Loop)) error {
	var first error
	for _, l := range e.loops {
		if err := l.Post(func() { fn(l) }); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// reserve counts a new connection against MaxConns; false means the cap is
// reached.
func (e *Engine) reserve() bool {
	max := int64(e.cfg.MaxConns)
	for {
		n := e.conns.Load()
		if max > 0 && n >= max {
			return false
		}
		if e.conns.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// connClosed releases a connection's slot: paused listeners resume, and a
// shutdown waiting for the last connection learns of it.
func (e *Engine) connClosed() {
	n := e.conns.Add(-1)
	if e.acceptPaused.Load() && (e.cfg.MaxConns <= 0 || n < int64(e.cfg.MaxConns)) {
		if e.acceptPaused.CompareAndSwap(true, false) {
			e.PostAll(func(l *Loop) { l.resumeAccept(pausedMax) })
		}
	}
	if n == 0 && e.shutting.Load() {
		e.drainOnce.Do(func() { close(e.drained) })
	}
}

// Shutdown stops gracefully: listeners close, every connection is asked to
// finish (ShutdownHandler) or closed gracefully, and Shutdown returns once
// all are gone and the loops have stopped. When ctx ends first, the
// connections left are aborted and ctx's error is returned.
func (e *Engine) Shutdown(ctx context.Context) error {
	if !e.shutting.CompareAndSwap(false, true) {
		return e.wait(ctx)
	}
	e.closeListeners()
	e.PostAll(func(l *Loop) { l.beginShutdown() })
	if e.conns.Load() == 0 {
		e.drainOnce.Do(func() { close(e.drained) })
	}
	var err error
	select {
	case <-e.drained:
	case <-ctx.Done():
		err = ctx.Err()
	}
	e.stop()
	return err
}

func (e *Engine) wait(ctx context.Context) error {
	for _, l := range e.loops {
		select {
		case <-l.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Close stops at once: listeners close and every connection is aborted.
func (e *Engine) Close() error {
	e.shutting.Store(true)
	e.closeListeners()
	e.stop()
	return nil
}

// stop ends every loop (aborting what is left) and waits for them.
func (e *Engine) stop() {
	e.stopOnce.Do(func() {
		for _, l := range e.loops {
			l.mu.Lock()
			l.stopped = true
			l.mu.Unlock()
			l.stopping.Store(true)
			l.poller.Wake()
		}
	})
	for _, l := range e.loops {
		<-l.done
	}
}

func (e *Engine) closeListeners() {
	e.mu.Lock()
	lns := make([]*Listener, 0, len(e.listeners))
	for ln := range e.listeners {
		lns = append(lns, ln)
	}
	e.mu.Unlock()
	for _, ln := range lns {
		ln.Close()
	}
}

// beginShutdown asks each of the loop's connections to finish.
func (l *Loop) beginShutdown() {
	l.shutting = true
	for _, c := range l.conns {
		if c != nil && c.kind == kindConn {
			l.shutdownConn(c)
		}
	}
}

func (l *Loop) shutdownConn(c *Conn) {
	if c.flags&fClosed != 0 {
		return
	}
	if sh, ok := c.handler.(ShutdownHandler); ok {
		sh.OnShutdown(c)
		l.markDirty(c)
		return
	}
	c.Close()
}
