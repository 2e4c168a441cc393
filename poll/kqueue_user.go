//go:build darwin || dragonfly || freebsd

package poll

import "golang.org/x/sys/unix"

// wakeIdent names our EVFILT_USER event. User events have their own
// namespace, so it cannot collide with a registered fd.
const wakeIdent = 0

// wakeSource is an EVFILT_USER event: the wake-up lives inside the kqueue,
// so there is no extra descriptor and nothing to drain.
type wakeSource struct{}

// init registers the user event. EV_CLEAR resets it once delivered, which
// is what makes drain a no-op.
func (wakeSource) init(kq int) error {
	var ch [1]unix.Kevent_t
	unix.SetKevent(&ch[0], wakeIdent, unix.EVFILT_USER, unix.EV_ADD|unix.EV_CLEAR)
	return apply(kq, ch[:])
}

func (wakeSource) signal(kq int) error {
	var ch [1]unix.Kevent_t
	unix.SetKevent(&ch[0], wakeIdent, unix.EVFILT_USER, 0)
	ch[0].Fflags = unix.NOTE_TRIGGER
	return apply(kq, ch[:])
}

func (wakeSource) isWake(ev *unix.Kevent_t) bool {
	return int(ev.Filter) == unix.EVFILT_USER && ev.Ident == wakeIdent
}

// drain has nothing to do: EV_CLEAR already reset the event.
func (wakeSource) drain() {}

// close has nothing to release: the event dies with the kqueue.
func (wakeSource) close() error { return nil }
