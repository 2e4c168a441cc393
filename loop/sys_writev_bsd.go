//go:build darwin || openbsd

package loop

import "golang.org/x/sys/unix"

func sysWritev(fd int, bufs [][]byte, _ []unix.Iovec) (int, unix.Errno) {
	n, err := unix.Writev(fd, bufs)
	return n, errnoOf(err)
}
