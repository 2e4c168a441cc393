//go:build linux

package loop

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The reads and writes below go through RawSyscall: the sockets are
// non-blocking, so the call never blocks and the scheduler hand-off that
// unix.Read/Write pay on every call buys nothing.

// reusePort says one SO_REUSEPORT listener per loop is available: the
// kernel spreads connections over the loops with no acceptor hop.
const reusePort = true

func sysRead(fd int, p []byte) (int, unix.Errno) {
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	return int(n), e
}

func sysWrite(fd int, p []byte) (int, unix.Errno) {
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	return int(n), e
}

// sysWritev writes bufs with one writev; iov is the loop's scratch array.
func sysWritev(fd int, bufs [][]byte, iov []unix.Iovec) (int, unix.Errno) {
	if len(bufs) == 1 {
		return sysWrite(fd, bufs[0])
	}
	for i, b := range bufs {
		iov[i].Base = unsafe.SliceData(b)
		iov[i].SetLen(len(b))
	}
	n, _, e := unix.RawSyscall(unix.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(len(bufs)))
	for i := range bufs {
		iov[i].Base = nil // do not keep pooled chunks reachable from the scratch array
	}
	return int(n), e
}

// sysAccept accepts one connection, non-blocking and close-on-exec, without
// asking for the peer address (nothing to allocate; RemoteAddr asks later).
func sysAccept(fd int) (int, unix.Errno) {
	n, _, e := unix.RawSyscall6(unix.SYS_ACCEPT4, uintptr(fd), 0, 0, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0, 0)
	return int(n), e
}

// sysSocket opens a non-blocking close-on-exec socket in one call.
func sysSocket(family, typ int) (int, error) {
	return unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}
