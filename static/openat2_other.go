//go:build !linux

package static

import "golang.org/x/sys/unix"

// Without openat2 every lookup takes the portable walk.

func resolveFlags(RootOptions) uint64 { return 0 }

func probeOpenat2(int, uint64) bool { return false }

func (r *Root) openBeneath(string, int) (int, error) { return -1, unix.ENOSYS }
