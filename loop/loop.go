package loop

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/poll"
	"github.com/golws/golws/wheel"
	"golang.org/x/sys/unix"
)

// maxIov bounds the slices one writev sends (Linux allows 1024; past a few
// dozen chunks the kernel's socket buffer is full anyway).
const maxIov = 64

// Loop is one event loop: a goroutine with its poller, its connections, its
// timers and its shared read buffer.
type Loop struct {
	e      *Engine
	idx    int
	poller *poll.Poller
	events []poll.Event
	wheel  *wheel.Wheel
	now    int64 // monotonic ns at the start of the current turn
	turn   uint32

	conns  []*Conn // indexed by fd: no map on the hot path
	nconns int     // open connections (not listeners)

	readBuf []byte
	slices  [][]byte
	iov     []unix.Iovec

	// dirty holds connections with output or state to flush at the end of
	// the turn (writes made from another connection's callback, tasks,
	// timers); retry those whose OnWritable must wait for the next turn.
	dirty []*Conn
	retry []*Conn

	listeners []*lnState
	shutting  bool
	tornDown  bool

	// cur is the connection whose callback is running; its writes gather
	// in stage and leave in one write when the callback returns, with no
	// trip through the connection's buflist (see Conn.Write).
	cur   *Conn
	stage []byte
	enc   []byte // a codec's output, before it is written or queued
	plain []byte // a codec's decoded input, for OnData

	mu       sync.Mutex // guards tasks and stopped
	tasks    []task
	spare    []task
	stopped  bool
	pending  atomic.Bool // tasks queued: the turn skips the lock when false
	stopping atomic.Bool
	done     chan struct{}
}

type task struct {
	fn  func()
	cfn func(*Conn, error)
	c   *Conn
}

func newLoop(e *Engine, idx int) (*Loop, error) {
	p, err := poll.New()
	if err != nil {
		return nil, err
	}
	l := &Loop{
		e:       e,
		idx:     idx,
		poller:  p,
		events:  make([]poll.Event, 256),
		readBuf: make([]byte, e.cfg.ReadBufferSize),
		stage:   make([]byte, 0, stageSize),
		slices:  make([][]byte, 0, maxIov),
		iov:     make([]unix.Iovec, maxIov),
		done:    make(chan struct{}),
	}
	l.now = e.nanotime()
	l.wheel = wheel.New(time.Millisecond, l.now)
	return l, nil
}

// Index is the loop's position in [Engine.Loops].
func (l *Loop) Index() int { return l.idx }

// Engine is the engine the loop belongs to.
func (l *Loop) Engine() *Engine { return l.e }

// Now is the loop's clock (monotonic nanoseconds), read once per turn.
func (l *Loop) Now() int64 { return l.now }

// Wall is the wall-clock time at the start of the current turn: for Date
// headers, logs and caches that need no better than a turn's precision,
// without a clock read per request.
func (l *Loop) Wall() time.Time { return l.e.base.Add(time.Duration(l.now)) }

// Conns is the number of open connections on this loop. Loop goroutine only.
func (l *Loop) Conns() int { return l.nconns }

// Timer is a scheduled callback owned by the caller (lws's sul): embed it,
// set F (and Arg) once, then arm it with [Loop.Schedule]. Arming, re-arming
// and cancelling are O(1) and allocate nothing.
type Timer = wheel.Timer

// Schedule arms t to fire d from now on this loop (re-arming it if armed).
// Loop goroutine only.
func (l *Loop) Schedule(t *Timer, d time.Duration) { l.wheel.ScheduleAt(t, l.e.nanotime()+int64(d)) }

// Cancel disarms t. Loop goroutine only.
func (l *Loop) Cancel(t *Timer) { l.wheel.Cancel(t) }

// Post runs fn on the loop goroutine. It is safe from any goroutine; it
// fails with ErrEngineClosed once the loop has stopped (fn will not run).
func (l *Loop) Post(fn func()) error { return l.post(task{fn: fn}) }

func (l *Loop) post(t task) error {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return ErrEngineClosed
	}
	l.tasks = append(l.tasks, t)
	first := len(l.tasks) == 1
	l.pending.Store(true)
	l.mu.Unlock()
	// Only the first task of a batch wakes the loop: whoever queued the
	// earlier ones has already woken it and it has not taken the batch yet.
	if first {
		return l.poller.Wake()
	}
	return nil
}

func (l *Loop) runTasks() {
	if !l.pending.Load() {
		return
	}
	l.mu.Lock()
	ts := l.tasks
	l.tasks, l.spare = l.spare[:0], ts
	l.pending.Store(false)
	l.mu.Unlock()
	for i := range ts {
		t := &ts[i]
		switch {
		case t.cfn != nil:
			if t.c.flags&fClosed != 0 {
				t.cfn(t.c, ErrClosed)
			} else {
				l.cur = t.c
				t.cfn(t.c, nil)
				l.endCallback(t.c)
			}
		case t.fn != nil:
			t.fn()
		}
		*t = task{} // drop references so closed connections can be collected
	}
}

func (l *Loop) run() {
	defer close(l.done)
	busy := false
	for {
		timeout := time.Duration(-1)
		if busy || len(l.retry) > 0 || len(l.dirty) > 0 {
			timeout = 0
		} else if l.wheel.Len() > 0 {
			if d := l.wheel.Next(l.e.nanotime()); d >= 0 {
				timeout = d
			}
		}
		n, err := l.poller.Wait(l.events, timeout)
		if err != nil {
			l.e.cfg.Logger.Error("loop: poll wait failed", "loop", l.idx, "err", err)
			time.Sleep(10 * time.Millisecond) // never spin on a broken poller
		}
		if busy && n == 0 && err == nil && !l.pending.Load() && !l.stopping.Load() {
			// Nothing more right after a busy turn: let other goroutines
			// run, then block. Polling first costs one cheap raw syscall;
			// going straight to a blocking wait after every turn hands the
			// P to the runtime each time and keeps sysmon awake.
			busy = false
			runtime.Gosched()
			continue
		}
		busy = n > 0
		l.now = l.e.nanotime()
		l.turn++
		l.runRetry()
		for i := 0; i < n; i++ {
			ev := l.events[i]
			l.dispatch(int(ev.Fd), ev.Flags)
		}
		l.runTasks()
		if l.wheel.Len() > 0 {
			l.wheel.Advance(l.e.nanotime())
		}
		l.flushDirty()
		if l.stopping.Load() {
			l.teardown()
			return
		}
	}
}

// dispatch hands one readiness event to its connection or listener.
func (l *Loop) dispatch(fd int, flags uint32) {
	if fd >= len(l.conns) {
		return
	}
	c := l.conns[fd]
	if c == nil {
		return
	}
	if c.kind == kindListener {
		l.acceptReady(c)
		return
	}
	if c.flags&fConnecting != 0 {
		l.connectDone(c)
		return
	}
	if flags&(poll.EvWrite|poll.EvErr|poll.EvHup) != 0 && (!c.out.Empty() || c.flags&fWaitOut != 0) {
		c.flags &^= fWaitOut
		l.flush(c)
		if c.flags&fClosed != 0 {
			return
		}
	}
	if flags&(poll.EvRead|poll.EvErr|poll.EvHup) != 0 && c.interest&poll.Read != 0 {
		l.readReady(c)
	} else if flags&(poll.EvErr|poll.EvHup) != 0 {
		// Reading is paused but the socket is dead (a reset, or both
		// directions shut): no reply can reach the peer any more, and a
		// level-triggered hang-up would be reported on every wait.
		l.finalize(c, sockError(int(c.fd)))
		return
	}
	if c.flags&(fClosed|fDirty) == fDirty {
		l.flush(c)
	}
}

func (l *Loop) readReady(c *Conn) {
	n, e := sysRead(int(c.fd), l.readBuf)
	switch {
	case e == unix.EAGAIN || e == unix.EINTR:
		return
	case e != 0:
		l.finalize(c, e)
		return
	case n == 0:
		l.peerEOF(c)
		return
	}
	if c.flags&fLinger != 0 {
		return // closing: the peer's late bytes are read and dropped
	}
	if c.codec != nil {
		l.decode(c, l.readBuf[:n])
		return
	}
	l.cur = c
	c.handler.OnData(c, l.readBuf[:n])
	l.endCallback(c)
}

func (l *Loop) runRetry() {
	r := l.retry
	l.retry = l.retry[:0]
	for i, c := range r {
		r[i] = nil
		if c.flags&fClosed == 0 {
			l.markDirty(c)
		}
	}
}

func (l *Loop) markDirty(c *Conn) {
	if c.flags&(fDirty|fClosed) == 0 {
		c.flags |= fDirty
		l.dirty = append(l.dirty, c)
	}
}

func (l *Loop) flushDirty() {
	for i := 0; i < len(l.dirty); i++ { // flushes may dirty more connections
		c := l.dirty[i]
		l.dirty[i] = nil
		if c.flags&(fDirty|fClosed) == fDirty {
			l.flush(c)
		}
		if c.flags&(fCodecHeld|fReadPaused|fClosed) == fCodecHeld {
			l.decode(c, nil) // reading resumed: what the codec held
		}
	}
	l.dirty = l.dirty[:0]
}

// track puts c in the fd table.
func (l *Loop) track(c *Conn) {
	fd := int(c.fd)
	if fd >= len(l.conns) {
		n := max(2*len(l.conns), fd+1, 64)
		grown := make([]*Conn, n)
		copy(grown, l.conns)
		l.conns = grown
	}
	l.conns[fd] = c
}

func (l *Loop) untrack(c *Conn) {
	if fd := int(c.fd); fd < len(l.conns) && l.conns[fd] == c {
		l.conns[fd] = nil
	}
}

// teardown runs once on the loop goroutine after stop: everything left is
// aborted, pending tasks learn the loop is gone, the poller closes.
func (l *Loop) teardown() {
	for _, c := range l.conns {
		if c != nil && c.kind == kindConn {
			l.abort(c, ErrShutdown)
		}
	}
	for len(l.listeners) > 0 {
		l.closeListener(l.listeners[0])
	}
	l.tornDown = true // tasks below that register connections must not
	l.mu.Lock()
	ts := l.tasks
	l.tasks = nil
	l.mu.Unlock()
	for _, t := range ts {
		switch {
		case t.cfn != nil:
			t.cfn(t.c, ErrClosed)
		case t.fn != nil:
			t.fn()
		}
	}
	l.poller.Close()
}
