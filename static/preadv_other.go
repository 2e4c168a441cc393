//go:build !linux

package static

import "golang.org/x/sys/unix"

const haveReadv = false

func preadv(int, []unix.Iovec, int64) (int, error) { return 0, unix.ENOSYS }
