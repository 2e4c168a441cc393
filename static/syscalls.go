package static

import (
	"golang.org/x/sys/unix"
)

// openat is unix.Openat retried on EINTR (opening a FIFO or a file on a
// network file system can be interrupted by a signal).
func openat(dirfd int, name string, flags int) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flags, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// mapOpenError turns an errno from resolving a path into the lookup
// outcome. Errors that say nothing about the path (EMFILE, EIO, ...) pass
// through for a 500.
func mapOpenError(err error) error {
	errno, ok := err.(unix.Errno)
	if !ok {
		return err
	}
	if outcome, ok := openOutcomes[errno]; ok {
		return outcome
	}
	return errno
}

var openOutcomes = map[unix.Errno]error{
	unix.ENOENT:       ErrNotFound,
	unix.ENOTDIR:      ErrNotFound, // a file used as a directory: "/a.txt/x"
	unix.ENAMETOOLONG: ErrNotFound,
	unix.EACCES:       ErrForbidden,
	unix.EPERM:        ErrForbidden,
	unix.ELOOP:        ErrForbidden, // a refused or looping symbolic link
	unix.EMLINK:       ErrForbidden, // FreeBSD's O_NOFOLLOW on a link
	unix.EXDEV:        ErrForbidden, // openat2: the path would leave the root
	unix.ENXIO:        ErrForbidden, // a device or socket without a reader
	unix.EOPNOTSUPP:   ErrForbidden, // a socket
	unix.EWOULDBLOCK:  ErrForbidden, // a locked or busy special file
}

// fileIdentity is what revalidation compares: any change of object,
// content (size, mtime) or permissions (ctime) makes a cached entry stale.
type fileIdentity struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64
	mode         uint32
}

func identityOf(st *unix.Stat_t) fileIdentity {
	return fileIdentity{
		dev:   uint64(st.Dev),
		ino:   uint64(st.Ino),
		size:  st.Size,
		mtime: st.Mtim.Nano(),
		ctime: st.Ctim.Nano(),
		mode:  uint32(st.Mode),
	}
}
