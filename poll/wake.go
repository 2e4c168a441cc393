//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poll

import (
	"os"
	"sync"
	"sync/atomic"
)

// States of wakeState.state.
const (
	wakeIdle    uint32 = iota // no signal outstanding: the next Wake must write
	wakePending               // a signal is written (or about to be); Wake is free
	wakeClosed                // Close ran; the wake fd may already be reused
)

// wakeState coalesces Wake calls so that a burst of them costs one syscall,
// and keeps Wake from touching the wake fd once Close has released it.
type wakeState struct {
	state atomic.Uint32
	// mu is only taken on the slow path (idle -> pending) and by Close. It
	// guarantees Close cannot close, and the kernel cannot reuse, the wake fd
	// between a Wake winning the transition and that Wake's write.
	mu sync.Mutex
}

// Wake makes a concurrent or later Wait return. It is safe to call from any
// goroutine. Calls made while a wake is already pending are free: only the
// first Wake after Wait consumed the previous one issues a write syscall.
// After Close it returns os.ErrClosed.
func (p *Poller) Wake() error {
	// Fast path: a signal is already in flight, so Wait is bound to return and
	// the caller will look at whatever was queued before this call.
	switch p.wake.state.Load() {
	case wakePending:
		return nil
	case wakeClosed:
		return os.ErrClosed
	}
	p.wake.mu.Lock()
	defer p.wake.mu.Unlock()
	if !p.wake.state.CompareAndSwap(wakeIdle, wakePending) {
		if p.wake.state.Load() == wakeClosed {
			return os.ErrClosed
		}
		return nil // another goroutine won the race and signals for us
	}
	if err := p.signal(); err != nil {
		// Nothing reached the kernel, so let the next Wake try again rather
		// than leaving the poller convinced a wake is on its way.
		p.wake.state.CompareAndSwap(wakePending, wakeIdle)
		return err
	}
	return nil
}

// wakeConsumed is called by Wait after it drained the wake source and before
// it returns, so that a Wake racing with the caller's task-queue check writes
// a fresh signal instead of being swallowed. The CAS (rather than a store)
// keeps a closed poller closed.
func (w *wakeState) wakeConsumed() {
	w.state.CompareAndSwap(wakePending, wakeIdle)
}

// Close releases the kernel resources. It must not run concurrently with
// Add, Modify, Delete or Wait (stop the loop first, e.g. with Wake); Wake may
// still be called and then reports os.ErrClosed. A second Close also returns
// os.ErrClosed.
func (p *Poller) Close() error {
	p.wake.mu.Lock()
	old := p.wake.state.Swap(wakeClosed)
	p.wake.mu.Unlock()
	if old == wakeClosed {
		return os.ErrClosed
	}
	return p.closeFDs()
}
