package static

import "errors"

// The outcomes of a lookup other than a file. They are plain sentinels so
// the cache can return them without allocating; any other error (out of
// file descriptors, I/O errors) means 500.
var (
	// ErrNotFound: nothing at that path (404).
	ErrNotFound = errors.New("static: not found")
	// ErrForbidden: something is there but may not be served: it is
	// outside the root or reached through a refused symbolic link, is
	// not a regular file or directory, or is not readable (403, or 404
	// to hide its existence).
	ErrForbidden = errors.New("static: forbidden")
	// ErrIsDir: a directory with no index file while listings are off
	// (403 or 404).
	ErrIsDir = errors.New("static: directory without index")
	// ErrRedirectSlash: the path names a directory but lacks the trailing
	// slash; the caller answers 301 with the same path plus "/", so that
	// relative links in the index page resolve inside the directory.
	ErrRedirectSlash = errors.New("static: directory needs a trailing slash")
	// ErrClosed: the Root or FileCache has been closed.
	ErrClosed = errors.New("static: closed")
)
