package static

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ReadFrames reads len(parts) consecutive pieces of f from off, each into
// its own buffer, in one system call where the system has preadv(2): an
// HTTP/2 stream's DATA frames read straight into place between their
// headers. iov is scratch the caller keeps (no allocation once it is
// large enough). It returns the octets read, short only at end of file.
func ReadFrames(f *File, parts [][]byte, off int64, iov []unix.Iovec) (int, []unix.Iovec, error) {
	if !haveReadv {
		n, err := preadEach(f.Fd, parts, off)
		return n, iov, err
	}
	iov = iov[:0]
	for _, p := range parts {
		if len(p) > 0 {
			v := unix.Iovec{Base: unsafe.SliceData(p)}
			v.SetLen(len(p))
			iov = append(iov, v)
		}
	}
	n, err := preadv(f.Fd, iov, off)
	return n, iov, err
}

// preadEach reads parts one pread(2) each, where preadv(2) is missing.
func preadEach(fd int, parts [][]byte, off int64) (int, error) {
	total := 0
	for _, p := range parts {
		for len(p) > 0 {
			n, err := unix.Pread(fd, p, off)
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				return total, err
			}
			if n == 0 {
				return total, nil
			}
			total += n
			off += int64(n)
			p = p[n:]
		}
	}
	return total, nil
}
