//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package loop

import (
	"golang.org/x/sys/unix"
)

// On the BSDs SO_REUSEPORT does not spread connections (or does so only
// with platform-specific options), so one acceptor hands connections to
// the loops round-robin.
const reusePort = false

func sysRead(fd int, p []byte) (int, unix.Errno) {
	n, err := unix.Read(fd, p)
	return n, errnoOf(err)
}

func sysWrite(fd int, p []byte) (int, unix.Errno) {
	n, err := unix.Write(fd, p)
	return n, errnoOf(err)
}

func sysAccept(fd int) (int, unix.Errno) {
	nfd, _, err := unix.Accept(fd)
	if err != nil {
		return -1, errnoOf(err)
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, errnoOf(err)
	}
	unix.CloseOnExec(nfd)
	return nfd, 0
}

func sysSocket(family, typ int) (int, error) {
	fd, err := unix.Socket(family, typ, 0)
	if err != nil {
		return -1, err
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

func errnoOf(err error) unix.Errno {
	if err == nil {
		return 0
	}
	if e, ok := err.(unix.Errno); ok {
		return e
	}
	return unix.EIO
}
