//go:build netbsd || openbsd

package poll

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// wakeSource is a self-pipe: x/sys/unix offers no EVFILT_USER on these
// systems, and a pipe works on every release.
type wakeSource struct {
	r, w int
	one  [1]byte  // what signal writes; never modified, so Wakes may share it
	buf  [16]byte // Wait's scratch for draining; fields so neither allocates
}

func (ws *wakeSource) init(kq int) error {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return os.NewSyscallError("pipe2", err)
	}
	var ch [1]unix.Kevent_t
	unix.SetKevent(&ch[0], fds[0], unix.EVFILT_READ, unix.EV_ADD)
	if err := apply(kq, ch[:]); err != nil {
		unix.Close(fds[0])
		unix.Close(fds[1])
		return err
	}
	ws.r, ws.w = fds[0], fds[1]
	return nil
}

// signal writes one byte. Wake's coalescing keeps at most one byte in the
// pipe, so the write cannot meet a full pipe; EAGAIN would still mean
// "already readable" and is harmless.
func (ws *wakeSource) signal(int) error {
	_, err := unix.Write(ws.w, ws.one[:])
	if err != nil && !errors.Is(err, unix.EAGAIN) {
		return os.NewSyscallError("write", err)
	}
	return nil
}

func (ws *wakeSource) isWake(ev *unix.Kevent_t) bool {
	return int(ev.Filter) == unix.EVFILT_READ && int(ev.Ident) == ws.r
}

// drain empties the pipe so the level-triggered read filter goes quiet.
func (ws *wakeSource) drain() {
	for {
		n, err := unix.Read(ws.r, ws.buf[:])
		if err != nil || n < len(ws.buf) {
			return
		}
	}
}

func (ws *wakeSource) close() error {
	return errors.Join(unix.Close(ws.r), unix.Close(ws.w))
}
