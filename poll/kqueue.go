//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poll

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Poller is a level-triggered readiness poller with a wake-up channel.
type Poller struct {
	kq   int
	evs  []unix.Kevent_t // kernel-facing buffer, converted into the caller's
	ts   unix.Timespec   // Wait's timeout; a field so its address never escapes per call
	ws   wakeSource      // per-OS wake mechanism (EVFILT_USER or a pipe)
	wake wakeState
}

// New creates a kqueue and registers its wake-up source.
func New() (*Poller, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, os.NewSyscallError("kqueue", err)
	}
	// Kqueue does not take flags; set close-on-exec separately so the
	// descriptor does not leak into children.
	unix.CloseOnExec(kq)
	p := &Poller{kq: kq, evs: make([]unix.Kevent_t, defaultBatch)}
	if err := p.ws.init(kq); err != nil {
		unix.Close(kq)
		return nil, err
	}
	return p, nil
}

// Add registers fd. With in == 0 there is nothing to tell the kernel yet:
// kqueue has no notion of an fd without a filter.
func (p *Poller) Add(fd int, in Interest) error {
	return p.Modify(fd, 0, in)
}

// Modify changes fd's interest from old (what is registered now) to new,
// sending only the filters that differ, in a single kevent call. old == new
// costs nothing.
func (p *Poller) Modify(fd int, old, new Interest) error {
	if old == new {
		return nil
	}
	// At most one change per filter: a fixed array keeps this allocation-free.
	var ch [2]unix.Kevent_t
	n := 0
	for _, f := range [...]struct {
		in     Interest
		filter int
	}{{Read, unix.EVFILT_READ}, {Write, unix.EVFILT_WRITE}} {
		switch had, want := old&f.in != 0, new&f.in != 0; {
		case want && !had:
			unix.SetKevent(&ch[n], fd, f.filter, unix.EV_ADD)
			n++
		case had && !want:
			unix.SetKevent(&ch[n], fd, f.filter, unix.EV_DELETE)
			n++
		}
	}
	return apply(p.kq, ch[:n])
}

// Delete unregisters fd's filters. Call it before closing fd: close drops
// them too, but a Delete after close fails, or hits whatever file the kernel
// has since given that number.
func (p *Poller) Delete(fd int, old Interest) error {
	return p.Modify(fd, old, 0)
}

// apply submits changes without collecting events, so a failing change is
// reported as the call's error.
func apply(kq int, changes []unix.Kevent_t) error {
	if len(changes) == 0 {
		return nil
	}
	_, err := unix.Kevent(kq, changes, nil, nil)
	// kevent(2): on EINTR the whole changelist has already been applied.
	if err != nil && !errors.Is(err, unix.EINTR) {
		return os.NewSyscallError("kevent", err)
	}
	return nil
}

// Wait fills events with ready fds and returns how many it stored.
//
// timeout < 0 blocks until something is ready or Wake is called, 0 polls,
// and > 0 blocks at most that long (kqueue takes nanoseconds, so no
// rounding is needed). An interrupted wait returns (0, nil). A wake-up is
// consumed here and is never reported; it simply makes Wait return,
// possibly with n == 0. Wait does not allocate once its internal buffer is
// as large as events.
func (p *Poller) Wait(events []Event, timeout time.Duration) (int, error) {
	if len(events) == 0 {
		return 0, errNoRoom
	}
	if len(events) > len(p.evs) {
		p.evs = make([]unix.Kevent_t, len(events))
	}
	buf := p.evs[:len(events)]

	var ts *unix.Timespec // nil blocks forever
	if timeout >= 0 {
		p.ts = unix.NsecToTimespec(int64(timeout))
		ts = &p.ts
	}
	n, err := unix.Kevent(p.kq, nil, buf, ts)
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return 0, nil
		}
		return 0, os.NewSyscallError("kevent", err)
	}

	k := 0
	for i := range buf[:n] {
		ev := &buf[i]
		if p.ws.isWake(ev) {
			p.ws.drain()
			p.wake.wakeConsumed()
			continue
		}
		fd, flags := int32(ev.Ident), keventFlags(ev)
		// Read and write readiness are separate kernel events; fold them
		// back together when they arrive side by side, as epoll would.
		if k > 0 && events[k-1].Fd == fd {
			events[k-1].Flags |= flags
			continue
		}
		events[k] = Event{Fd: fd, Flags: flags}
		k++
	}
	return k, nil
}

// keventFlags maps one kevent onto our bits. EOF also sets EvRead because
// reading is how the caller learns whether data precedes the EOF. For
// sockets the kernel puts a pending socket error in Fflags next to EV_EOF,
// which is what epoll would call EPOLLERR.
func keventFlags(ev *unix.Kevent_t) uint32 {
	var f uint32
	switch int(ev.Filter) {
	case unix.EVFILT_READ:
		f = EvRead
	case unix.EVFILT_WRITE:
		f = EvWrite
	}
	if ev.Flags&unix.EV_EOF != 0 {
		f |= EvHup | EvRead
		if ev.Fflags != 0 {
			f |= EvErr
		}
	}
	if ev.Flags&unix.EV_ERROR != 0 {
		f |= EvErr
	}
	return f
}

// signal is what Wake calls once it has decided a write is needed.
func (p *Poller) signal() error { return p.ws.signal(p.kq) }

func (p *Poller) closeFDs() error {
	err := errors.Join(p.ws.close(), unix.Close(p.kq))
	if err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
