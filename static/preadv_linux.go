package static

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

const haveReadv = true

// longBits is the width of a C long: preadv takes the offset as two
// longs, of which only the low one matters on 64-bit systems.
const longBits = unix.SizeofLong * 8

func preadv(fd int, iov []unix.Iovec, off int64) (int, error) {
	if len(iov) == 0 {
		return 0, nil
	}
	for {
		n, _, e := unix.Syscall6(unix.SYS_PREADV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)),
			uintptr(off), uintptr(uint64(off)>>(longBits-1)>>1), 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return int(n), e
		}
		return int(n), nil
	}
}
