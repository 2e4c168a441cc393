package poll

import (
	"errors"
	"math"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Poller is a level-triggered readiness poller with a wake-up channel.
type Poller struct {
	epfd int
	wfd  int               // eventfd that Wake writes to
	evs  []unix.EpollEvent // kernel-facing buffer, converted into the caller's
	one  uint64            // the value Wake writes; lives here so no stack address reaches the kernel
	sink uint64            // where Wait reads the eventfd counter to
	wake wakeState
}

// New creates an epoll instance and its wake-up eventfd.
func New() (*Poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	wfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	p := &Poller{epfd: epfd, wfd: wfd, one: 1, evs: make([]unix.EpollEvent, defaultBatch)}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wfd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wfd, &ev); err != nil {
		unix.Close(wfd)
		unix.Close(epfd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	return p, nil
}

// epollMask translates an Interest. EPOLLRDHUP comes with Read so that a
// half-close is seen as EOF without an extra read attempt.
func epollMask(in Interest) uint32 {
	var m uint32
	if in&Read != 0 {
		m |= unix.EPOLLIN | unix.EPOLLRDHUP
	}
	if in&Write != 0 {
		m |= unix.EPOLLOUT
	}
	return m
}

func (p *Poller) ctl(op, fd int, in Interest) error {
	ev := unix.EpollEvent{Events: epollMask(in), Fd: int32(fd)}
	if err := unix.EpollCtl(p.epfd, op, fd, &ev); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

// Add registers fd. in may be 0, but note that epoll still reports
// EPOLLHUP/EPOLLERR for such an fd.
func (p *Poller) Add(fd int, in Interest) error {
	return p.ctl(unix.EPOLL_CTL_ADD, fd, in)
}

// Modify changes fd's interest from old (what is registered now) to new.
// old == new costs nothing.
func (p *Poller) Modify(fd int, old, new Interest) error {
	if old == new {
		return nil
	}
	return p.ctl(unix.EPOLL_CTL_MOD, fd, new)
}

// Delete unregisters fd. Call it before closing fd: epoll tracks the open
// file description, not the fd number, so a dup'ed fd could keep it alive.
// old is unused here; kqueue needs it to know which filters to remove.
func (p *Poller) Delete(fd int, old Interest) error {
	if err := unix.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, fd, nil); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

// Wait fills events with ready fds and returns how many it stored.
//
// timeout < 0 blocks until something is ready or Wake is called, 0 polls,
// and > 0 blocks at most that long (rounded up to whole milliseconds, so a
// sub-millisecond timer sleeps instead of spinning). An interrupted wait
// returns (0, nil). A wake-up is consumed here and is never reported; it
// simply makes Wait return, possibly with n == 0. Wait does not allocate
// once its internal buffer is as large as events.
func (p *Poller) Wait(events []Event, timeout time.Duration) (int, error) {
	if len(events) == 0 {
		return 0, errNoRoom
	}
	if len(events) > len(p.evs) {
		p.evs = make([]unix.EpollEvent, len(events))
	}
	buf := p.evs[:len(events)]

	var n int
	if timeout == 0 {
		// A poll cannot block, so skip the scheduler hand-off that
		// Syscall performs; busy loops call this path constantly.
		r, _, e := unix.RawSyscall6(sysEpollWait, uintptr(p.epfd),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0, 0)
		if e != 0 {
			if e == unix.EINTR {
				return 0, nil
			}
			return 0, os.NewSyscallError("epoll_wait", e)
		}
		n = int(r)
	} else {
		// A blocking wait must go through Syscall so the runtime can hand
		// this thread's P to other goroutines.
		var err error
		n, err = unix.EpollWait(p.epfd, buf, epollTimeout(timeout))
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				return 0, nil
			}
			return 0, os.NewSyscallError("epoll_wait", err)
		}
	}

	k := 0
	for i := range buf[:n] {
		ev := &buf[i]
		if ev.Fd == int32(p.wfd) {
			p.drainWake()
			continue
		}
		events[k] = Event{Fd: ev.Fd, Flags: epollFlags(ev.Events)}
		k++
	}
	return k, nil
}

// epollTimeout converts to epoll's milliseconds, rounding up and saturating.
func epollTimeout(d time.Duration) int {
	if d < 0 {
		return -1
	}
	if d >= math.MaxInt32*time.Millisecond {
		return math.MaxInt32
	}
	return int((d + time.Millisecond - 1) / time.Millisecond)
}

// epollFlags maps epoll's bits onto ours. A hang-up also sets EvRead because
// the only way to learn the details (EOF vs. buffered data) is to read.
func epollFlags(e uint32) uint32 {
	var f uint32
	if e&unix.EPOLLIN != 0 {
		f |= EvRead
	}
	if e&unix.EPOLLOUT != 0 {
		f |= EvWrite
	}
	if e&(unix.EPOLLHUP|unix.EPOLLRDHUP) != 0 {
		f |= EvHup | EvRead
	}
	if e&unix.EPOLLERR != 0 {
		f |= EvErr
	}
	return f
}

// drainWake resets the eventfd counter (one read empties it whatever the
// count) and then re-arms Wake.
func (p *Poller) drainWake() {
	// EAGAIN only means someone else drained it; nothing else can fail on a
	// valid eventfd with an 8-byte buffer, and there is no one to report to.
	unix.RawSyscall(unix.SYS_READ, uintptr(p.wfd), uintptr(unsafe.Pointer(&p.sink)), 8)
	p.wake.wakeConsumed()
}

// signal makes the eventfd readable. The write never blocks (EFD_NONBLOCK)
// and is a few hundred nanoseconds, so it is done raw.
func (p *Poller) signal() error {
	_, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(p.wfd), uintptr(unsafe.Pointer(&p.one)), 8)
	if e != 0 && e != unix.EAGAIN { // EAGAIN: counter saturated, already readable
		return os.NewSyscallError("write", e)
	}
	return nil
}

func (p *Poller) closeFDs() error {
	err1 := unix.Close(p.wfd)
	err2 := unix.Close(p.epfd)
	if err := errors.Join(err1, err2); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
