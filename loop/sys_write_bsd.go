//go:build dragonfly || freebsd || netbsd

package loop

import "golang.org/x/sys/unix"

// x/sys/unix has no Writev here: write the first slice only; the flush
// loop calls again for the rest.
func sysWritev(fd int, bufs [][]byte, _ []unix.Iovec) (int, unix.Errno) {
	n, err := unix.Write(fd, bufs[0])
	return n, errnoOf(err)
}
