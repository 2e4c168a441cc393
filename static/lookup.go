package static

import (
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// Lookup resolves cleanPath, a path produced by urlpath.Clean (and, under
// a mount, trimmed of the mount prefix), to an open [File] the caller must
// Close. Outcomes:
//
//   - a regular file: the File;
//   - a directory path with a trailing slash: its first index file that
//     is a regular file; failing that a directory File if ListDirs, else
//     [ErrIsDir];
//   - a directory path without the trailing slash, or an empty path (the
//     mount point itself): [ErrRedirectSlash];
//   - nothing there: [ErrNotFound];
//   - outside the root, a refused link, a special file, no permission, or
//     a path that is not clean: [ErrForbidden].
func (r *Root) Lookup(cleanPath []byte) (*File, error) {
	f := new(File)
	if _, err := r.lookupInto(f, cleanPath); err != nil {
		return nil, err
	}
	return f, nil
}

// lookupInto is Lookup into a caller's File. It returns the root-relative
// path of the object opened (the index file's, for a directory), which
// the cache stats to revalidate.
func (r *Root) lookupInto(f *File, cleanPath []byte) (rel string, err error) {
	if r.fd < 0 {
		return "", ErrClosed
	}
	if len(cleanPath) == 0 {
		return "", ErrRedirectSlash
	}
	if !isCleanPath(cleanPath) {
		return "", ErrForbidden
	}
	rel = strings.TrimSuffix(string(cleanPath[1:]), "/")
	if rel == "" {
		rel = "."
	}
	wantDir := cleanPath[len(cleanPath)-1] == '/'
	flags := openFlags
	if wantDir {
		flags |= unix.O_DIRECTORY
	}
	fd, st, err := r.openStat(rel, flags)
	if err != nil {
		return "", err
	}
	switch uint32(st.Mode) & unix.S_IFMT {
	case unix.S_IFREG:
		f.setFrom(fd, &st, path.Base(rel), r.osPath(rel))
		return rel, nil
	case unix.S_IFDIR:
	default:
		unix.Close(fd)
		return "", ErrForbidden
	}
	if !wantDir {
		unix.Close(fd)
		return "", ErrRedirectSlash
	}
	for _, name := range r.index {
		irel := path.Join(rel, name)
		ifd, ist, err := r.openStat(irel, openFlags)
		switch {
		case err == ErrNotFound:
			continue
		case err != nil:
			unix.Close(fd)
			return "", err
		case uint32(ist.Mode)&unix.S_IFMT != unix.S_IFREG:
			unix.Close(ifd) // a directory named like an index file
			continue
		}
		unix.Close(fd)
		f.setFrom(ifd, &ist, name, r.osPath(irel))
		return irel, nil
	}
	if !r.opt.ListDirs {
		unix.Close(fd)
		return "", ErrIsDir
	}
	f.setFrom(fd, &st, path.Base(rel), r.osPath(rel))
	return rel, nil
}

// openStat opens rel under the root and stats what it opened.
func (r *Root) openStat(rel string, flags int) (int, unix.Stat_t, error) {
	var st unix.Stat_t
	fd, err := r.open(rel, flags)
	if err != nil {
		return -1, st, err
	}
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, st, err
	}
	return fd, st, nil
}

func (r *Root) osPath(rel string) string { return path.Join(r.dir, rel) }

// isCleanPath checks the shape urlpath.Clean guarantees: a leading '/', no
// empty, "." or ".." segment (a trailing '/' is allowed), no NUL. Lookup
// is the security boundary, so it does not take the caller's word for it.
func isCleanPath(p []byte) bool {
	if len(p) == 0 || p[0] != '/' {
		return false
	}
	start := 1
	for i := 1; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			if p[i] == 0 {
				return false
			}
			continue
		}
		switch string(p[start:i]) {
		case "":
			if i < len(p) {
				return false
			}
		case ".", "..":
			return false
		}
		start = i + 1
	}
	return true
}
