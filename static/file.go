package static

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/golws/golws/mimetype"
)

// File is an open regular file, or an open directory when listings are on,
// with what a response needs. Files from a [FileCache] are shared: treat
// every field as read-only and give them back with [FileCache.Release].
type File struct {
	// Fd is the open descriptor, for sendfile(2), pread(2) or getdents.
	Fd      int
	Size    int64
	ModTime time.Time
	IsDir   bool
	// ETag is the quoted strong entity-tag (see [AppendETag]).
	ETag []byte
	// ContentType is from the file name's extension, or
	// mimetype.Default; empty for directories.
	ContentType string
	// Name is the last element of the file's path: the index file's
	// name when a directory path was resolved to it.
	Name string

	id    fileIdentity
	path  string      // the file's path under the root's directory, for listings
	entry *cacheEntry // the cache entry owning this File, nil if uncached
}

var errCachedClose = errors.New("static: Close on a cached File (use FileCache.Release)")

// Close closes a File obtained from [Root.Lookup]. Cached files are closed
// by their cache and refuse this.
func (f *File) Close() error {
	if f.entry != nil {
		return errCachedClose
	}
	if f.Fd < 0 {
		return ErrClosed
	}
	err := unix.Close(f.Fd)
	f.Fd = -1
	return err
}

// ReadDir lists the directory f, sorted by name. It reads through a fresh
// descriptor, so listing a cached directory twice works and the cache's
// descriptor keeps its offset. The entries' Info method stats by path and
// should not be trusted for confinement; names and types come from the
// directory itself.
func (f *File) ReadDir() ([]fs.DirEntry, error) {
	if !f.IsDir {
		return nil, unix.ENOTDIR
	}
	fd, err := openat(f.Fd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil, err
	}
	d := os.NewFile(uintptr(fd), f.path)
	defer d.Close()
	entries, err := d.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// setFrom fills f from an open descriptor and its stat.
func (f *File) setFrom(fd int, st *unix.Stat_t, name, path string) {
	sec, nsec := st.Mtim.Unix()
	*f = File{
		Fd:      fd,
		Size:    st.Size,
		ModTime: time.Unix(sec, nsec),
		IsDir:   uint32(st.Mode)&unix.S_IFMT == unix.S_IFDIR,
		Name:    name,
		id:      identityOf(st),
		path:    path,
	}
	f.ETag = AppendETag(make([]byte, 0, 36), f.Size, f.ModTime)
	if !f.IsDir {
		f.ContentType = mimetype.Lookup(name)
		if f.ContentType == "" {
			f.ContentType = mimetype.Default
		}
	}
}
