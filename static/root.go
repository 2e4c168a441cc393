package static

import (
	"errors"
	"strings"

	"golang.org/x/sys/unix"
)

// RootOptions says how a [Root] treats symbolic links and directories.
type RootOptions struct {
	// FollowSymlinks follows symbolic links whose target stays inside the
	// root. Targets are resolved relative to the link; absolute targets
	// and targets that climb out count as outside. Off, any symbolic link
	// on the way is refused.
	FollowSymlinks bool
	// AllowSymlinksOutside follows symbolic links wherever they point
	// (it implies FollowSymlinks). The request path itself still cannot
	// leave the root; only links placed in the tree by its owner can.
	AllowSymlinksOutside bool
	// Index lists the file names tried, in order, for a directory path.
	// nil means {"index.html"}; an empty non-nil slice means none.
	Index []string
	// ListDirs makes a directory without an index file a result (a
	// [File] with IsDir set) instead of [ErrIsDir].
	ListDirs bool
}

// Root is a document root, opened once and resolved against by file
// descriptor. It is safe for concurrent use; Close it only after all
// lookups and caches using it are done.
type Root struct {
	fd    int
	dir   string
	opt   RootOptions
	index []string
	// beneath is true when openat2(2) works here, so the kernel enforces
	// confinement; resolve holds its RESOLVE_* flags.
	beneath bool
	resolve uint64
}

// maxSymlinks bounds symbolic link expansions in one lookup, as the kernel
// does (Linux's MAXSYMLINKS), so a loop of links ends in ErrForbidden.
const maxSymlinks = 40

// openFlags open the file that is served. O_NONBLOCK keeps a FIFO from
// blocking the loop in open(2) (it is refused right after, by type);
// O_NOCTTY keeps a terminal device from becoming ours.
const openFlags = unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NONBLOCK | unix.O_NOCTTY

// OpenRoot opens dir as a document root.
func OpenRoot(dir string, opt RootOptions) (*Root, error) {
	index := opt.Index
	if index == nil {
		index = []string{"index.html"}
	}
	for _, name := range index {
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
			return nil, errors.New("static: invalid index file name " + `"` + name + `"`)
		}
	}
	if opt.AllowSymlinksOutside {
		opt.FollowSymlinks = true
	}
	fd, err := openat(unix.AT_FDCWD, dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil, &pathError{op: "open root", path: dir, err: err}
	}
	r := &Root{fd: fd, dir: dir, opt: opt, index: append([]string(nil), index...)}
	r.resolve = resolveFlags(opt)
	r.beneath = probeOpenat2(fd, r.resolve)
	return r, nil
}

// Close closes the root's directory descriptor.
func (r *Root) Close() error {
	if r.fd < 0 {
		return ErrClosed
	}
	err := unix.Close(r.fd)
	r.fd = -1
	return err
}

// open opens rel, a relative path without dot segments ("." for the root
// itself), confined to the root as the options require.
func (r *Root) open(rel string, flags int) (int, error) {
	switch {
	case r.beneath:
		return r.openBeneath(rel, flags)
	case r.opt.AllowSymlinksOutside:
		fd, err := openat(r.fd, rel, flags)
		return fd, mapOpenError(err)
	}
	return r.walk(rel, flags)
}

// pathError reports a failure to open the root itself; lookups return
// sentinels instead.
type pathError struct {
	op, path string
	err      error
}

func (e *pathError) Error() string { return "static: " + e.op + " " + e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }
