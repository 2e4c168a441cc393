package static

import (
	"time"

	"golang.org/x/sys/unix"
)

// FileCache keeps files open between requests, like nginx's
// open_file_cache, so a hot file is neither reopened nor re-resolved per
// request. It belongs to one event loop and is not safe for concurrent use.
//
// An entry is trusted for validFor after it was opened or last checked;
// after that the next Get stats the path again and reuses the entry only
// if it still names the same, unchanged file (device, inode, size, mtime,
// ctime). For a directory path the stat is of the index file found, so a
// higher-priority index file created later is noticed only when the entry
// is evicted or the found one changes.
//
// Entries are reference counted: a File handed out by Get stays open until
// its Release, even if the entry is evicted or replaced meanwhile, so a
// sendfile in progress never has its descriptor closed (or, worse, reused)
// underneath it.
type FileCache struct {
	root       *Root
	maxEntries int
	validFor   time.Duration
	entries    map[string]*cacheEntry
	// lru is the sentinel of a circular list: lru.next is the most
	// recently used entry, lru.prev the eviction candidate.
	lru    cacheEntry
	closed bool

	// Small files' bytes are kept in memory (see Content), within a
	// budget: a small response then leaves in one write with its head.
	maxContentFile  int
	maxContentTotal int
	contentBytes    int
}

type cacheEntry struct {
	file       File
	key        string // the clean path it is cached under
	rel        string // the root-relative path actually opened
	checked    time.Time
	refs       int
	detached   bool // no longer in the cache; close at the last Release
	content    []byte
	prev, next *cacheEntry
}

// NewFileCache returns a cache over r holding at most maxEntries open
// files (default 1024 when <= 0), each trusted for validFor (default 1s
// when <= 0).
func NewFileCache(r *Root, maxEntries int, validFor time.Duration) *FileCache {
	if maxEntries <= 0 {
		maxEntries = 1024
	}
	if validFor <= 0 {
		validFor = time.Second
	}
	c := &FileCache{root: r, maxEntries: maxEntries, validFor: validFor, entries: make(map[string]*cacheEntry)}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// Get returns the file for cleanPath as [Root.Lookup] would, from the cache
// when possible, and takes a reference the caller gives back with Release.
// now is the loop's current time. Errors are not cached. A hit within
// validFor does not allocate and makes no system call.
func (c *FileCache) Get(cleanPath []byte, now time.Time) (*File, error) {
	if c.closed {
		return nil, ErrClosed
	}
	if e, ok := c.entries[string(cleanPath)]; ok {
		if now.Sub(e.checked) < c.validFor || c.unchanged(e, now) {
			c.unlink(e)
			c.pushFront(e)
			e.refs++
			return &e.file, nil
		}
		c.remove(e)
	}
	e := &cacheEntry{checked: now}
	rel, err := c.root.lookupInto(&e.file, cleanPath)
	if err != nil {
		return nil, err
	}
	e.key, e.rel, e.file.entry = string(cleanPath), rel, e
	c.entries[e.key] = e
	c.pushFront(e)
	for len(c.entries) > c.maxEntries {
		c.remove(c.lru.prev)
	}
	e.refs++
	return &e.file, nil
}

// Release gives back a reference taken by Get. The descriptor of an entry
// that has left the cache is closed when its last reference goes.
func (c *FileCache) Release(f *File) {
	e := f.entry
	if e == nil || e.refs <= 0 {
		panic("static: FileCache.Release of a File not obtained from Get")
	}
	e.refs--
	if e.refs == 0 && e.detached {
		e.closeFile()
	}
}

// Close empties the cache, closing every descriptor not currently
// referenced; referenced ones close at their Release. Later Gets return
// ErrClosed. It does not close the Root.
func (c *FileCache) Close() {
	for c.lru.next != &c.lru {
		c.remove(c.lru.next)
	}
	c.closed = true
}

// SetContentLimits lets Content keep in memory the bytes of files up to
// maxFile bytes, at most maxTotal bytes for the whole cache (0 turns it
// off, the default).
func (c *FileCache) SetContentLimits(maxFile, maxTotal int) {
	c.maxContentFile, c.maxContentTotal = maxFile, maxTotal
}

// Content returns the bytes of a small regular file from Get, read once
// per cache entry and kept until the entry goes (a changed file gets a new
// entry), or nil when the file is too large, the budget is spent or the
// read fails: the caller then sends from the descriptor. The slice is
// shared and read-only, valid until f's Release.
func (c *FileCache) Content(f *File) []byte {
	e := f.entry
	if e == nil || f.IsDir || f.Size > int64(c.maxContentFile) {
		return nil
	}
	if e.content != nil || f.Size == 0 {
		return e.content
	}
	if e.detached || c.contentBytes+int(f.Size) > c.maxContentTotal {
		return nil
	}
	b := make([]byte, f.Size)
	n, err := unix.Pread(f.Fd, b, 0)
	if err != nil || n != len(b) {
		return nil // changed under us, or unreadable: send from the fd
	}
	e.content = b
	c.contentBytes += len(b)
	return b
}

// Len returns the number of cached entries.
func (c *FileCache) Len() int { return len(c.entries) }

// unchanged stats the entry's path again and, if it is still the same
// file, renews the entry's validity. Stat by path follows links without
// the root's confinement, which is harmless here: the only outcome it can
// produce is "same inode as the confined open found before".
func (c *FileCache) unchanged(e *cacheEntry, now time.Time) bool {
	var st unix.Stat_t
	if unix.Fstatat(c.root.fd, e.rel, &st, 0) != nil || identityOf(&st) != e.file.id {
		return false
	}
	e.checked = now
	return true
}

// remove takes e out of the cache, closing its file unless it is in use.
func (c *FileCache) remove(e *cacheEntry) {
	delete(c.entries, e.key)
	c.contentBytes -= len(e.content) // the bytes live on until the last Release
	c.unlink(e)
	e.detached = true
	if e.refs == 0 {
		e.closeFile()
	}
}

func (c *FileCache) pushFront(e *cacheEntry) {
	e.prev, e.next = &c.lru, c.lru.next
	e.next.prev = e
	c.lru.next = e
}

func (c *FileCache) unlink(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (e *cacheEntry) closeFile() {
	if e.file.Fd >= 0 {
		unix.Close(e.file.Fd)
		e.file.Fd = -1
	}
}
