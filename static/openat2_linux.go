package static

import "golang.org/x/sys/unix"

// resolveFlags translates the options into openat2 RESOLVE_* flags.
// Magic links (/proc/self/fd/N and friends) are never followed: they jump
// to arbitrary open files regardless of any path.
func resolveFlags(opt RootOptions) uint64 {
	switch {
	case opt.AllowSymlinksOutside:
		return unix.RESOLVE_NO_MAGICLINKS
	case opt.FollowSymlinks:
		return unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS
	}
	return unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS | unix.RESOLVE_NO_SYMLINKS
}

// probeOpenat2 reports whether openat2 works for this root. It fails with
// ENOSYS before Linux 5.6, and some seccomp sandboxes answer EPERM; any
// failure selects the portable walk instead.
func probeOpenat2(dirfd int, resolve uint64) bool {
	how := unix.OpenHow{Flags: unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: resolve}
	fd, err := unix.Openat2(dirfd, ".", &how)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// openBeneath opens rel with openat2, letting the kernel refuse every
// resolution step that would leave the root.
func (r *Root) openBeneath(rel string, flags int) (int, error) {
	how := unix.OpenHow{Flags: uint64(flags), Resolve: r.resolve}
	for tries := 0; ; tries++ {
		fd, err := unix.Openat2(r.fd, rel, &how)
		// EAGAIN means a concurrent rename made the kernel unsure that
		// a ".." stayed inside; retrying is the documented answer.
		if err == unix.EINTR || (err == unix.EAGAIN && tries < 8) {
			continue
		}
		return fd, mapOpenError(err)
	}
}
