package static

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func newTestCache(t *testing.T, opt RootOptions, max int) (*testTree, *Root, *FileCache) {
	t.Helper()
	tr := newTestTree(t)
	r, err := OpenRoot(tr.root, opt)
	if err != nil {
		t.Fatal(err)
	}
	c := NewFileCache(r, max, time.Second)
	t.Cleanup(func() { c.Close(); r.Close() })
	return tr, r, c
}

func TestCacheHitNoAllocs(t *testing.T) {
	_, _, c := newTestCache(t, RootOptions{}, 0)
	now := time.Now()
	for _, p := range []string{"/hello.txt", "/docs/", "/a/b/c.txt"} {
		path := []byte(p)
		first, err := c.Get(path, now)
		if err != nil {
			t.Fatal(err)
		}
		c.Release(first)
		allocs := testing.AllocsPerRun(1000, func() {
			f, err := c.Get(path, now)
			if err != nil || f != first {
				panic(fmt.Sprintf("not a hit: %v %v", f, err))
			}
			c.Release(f)
		})
		if allocs != 0 {
			t.Errorf("cache hit for %s allocates %v times", p, allocs)
		}
	}
}

func TestCacheRevalidation(t *testing.T) {
	tr, _, c := newTestCache(t, RootOptions{}, 0)
	name := filepath.Join(tr.root, "hello.txt")
	path := []byte("/hello.txt")
	t0 := time.Now()
	get := func(at time.Duration) *File {
		t.Helper()
		f, err := c.Get(path, t0.Add(at))
		if err != nil {
			t.Fatalf("Get at +%v: %v", at, err)
		}
		c.Release(f)
		return f
	}

	f0 := get(0)
	etag0 := string(f0.ETag)
	if f0.Size != 5 {
		t.Fatalf("size %d", f0.Size)
	}

	// Unchanged: after validFor the entry is checked and kept.
	if f := get(1500 * time.Millisecond); f != f0 {
		t.Error("an unchanged file was reopened")
	}

	// Changed in place: trusted until validFor has passed since the last
	// check, then noticed.
	if err := os.WriteFile(name, []byte("hello, world"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f := get(2 * time.Second); f != f0 || f.Size != 5 {
		t.Error("the entry was not trusted within validFor")
	}
	f1 := get(3 * time.Second)
	if f1 == f0 || f1.Size != 12 || string(f1.ETag) == etag0 {
		t.Errorf("in-place change not noticed: size %d etag %s", f1.Size, f1.ETag)
	}

	// Replaced by rename (how deployments update files): a new inode.
	tmp := filepath.Join(tr.root, "hello.tmp")
	if err := os.WriteFile(tmp, []byte("hello, again"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		t.Fatal(err)
	}
	f2 := get(5 * time.Second)
	if f2 == f1 || identityOfFd(t, f2.Fd) != identityAt(t, name) {
		t.Error("replacement by rename not noticed")
	}

	// Removed.
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	if f, err := c.Get(path, t0.Add(7*time.Second)); err != ErrNotFound {
		t.Errorf("removed file: %v, %v", f, err)
	}
	if c.Len() != 0 {
		t.Errorf("%d entries left", c.Len())
	}

	// Errors are not cached: the file is found as soon as it exists.
	if err := os.WriteFile(name, []byte("back"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f := get(7 * time.Second); f.Size != 4 {
		t.Errorf("recreated file: size %d", f.Size)
	}
}

// TestCacheSymlinkSwap: a file replaced by a link to outside the root is
// not served from the cache once revalidated.
func TestCacheSymlinkSwap(t *testing.T) {
	tr, _, c := newTestCache(t, RootOptions{}, 0)
	name := filepath.Join(tr.root, "hello.txt")
	t0 := time.Now()
	f, err := c.Get([]byte("/hello.txt"), t0)
	if err != nil {
		t.Fatal(err)
	}
	c.Release(f)
	os.Remove(name)
	if err := os.Symlink("../secret.txt", name); err != nil {
		t.Fatal(err)
	}
	if f, err := c.Get([]byte("/hello.txt"), t0.Add(2*time.Second)); err != ErrForbidden {
		t.Errorf("swapped to an outside link: %v, %v", f, err)
	}
}

func TestCacheEvictionClosesFds(t *testing.T) {
	tr, _, c := newTestCache(t, RootOptions{}, 4)
	for i := 0; i < 10; i++ {
		os.WriteFile(filepath.Join(tr.root, fmt.Sprintf("f%d.txt", i)), []byte("x"), 0o644)
	}
	before := openFds(t)
	now := time.Now()
	for i := 0; i < 10; i++ {
		f, err := c.Get([]byte(fmt.Sprintf("/f%d.txt", i)), now)
		if err != nil {
			t.Fatal(err)
		}
		c.Release(f)
	}
	if c.Len() != 4 {
		t.Errorf("%d entries, want 4", c.Len())
	}
	if got := openFds(t); got != before+4 {
		t.Errorf("%d descriptors open, want %d", got, before+4)
	}
	// The least recently used go first: touching f6 keeps it over f7.
	f6, _ := c.Get([]byte("/f6.txt"), now)
	c.Release(f6)
	f0, _ := c.Get([]byte("/f0.txt"), now)
	c.Release(f0)
	if _, ok := c.entries["/f7.txt"]; ok {
		t.Error("f7 should have been evicted")
	}
	if _, ok := c.entries["/f6.txt"]; !ok {
		t.Error("f6 was evicted although recently used")
	}
	c.Close()
	if got := openFds(t); got != before {
		t.Errorf("after Close %d descriptors open, want %d", got, before)
	}
	if _, err := c.Get([]byte("/f0.txt"), now); err != ErrClosed {
		t.Errorf("Get after Close: %v", err)
	}
}

// TestCacheRefcount: a File in use survives eviction and replacement and
// is closed at its last Release.
func TestCacheRefcount(t *testing.T) {
	tr, _, c := newTestCache(t, RootOptions{}, 1)
	before := openFds(t)
	now := time.Now()
	held, err := c.Get([]byte("/hello.txt"), now)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c.Get([]byte("/hello.txt"), now)
	if again != held {
		t.Fatal("second Get did not hit")
	}
	other, err := c.Get([]byte("/a/b/c.txt"), now) // evicts hello.txt
	if err != nil {
		t.Fatal(err)
	}
	c.Release(other)
	if _, ok := c.entries["/hello.txt"]; ok {
		t.Fatal("hello.txt not evicted")
	}
	var st unix.Stat_t
	if err := unix.Fstat(held.Fd, &st); err != nil {
		t.Fatalf("held file closed under its user: %v", err)
	}
	if identityOfFd(t, held.Fd) != identityAt(t, filepath.Join(tr.root, "hello.txt")) {
		t.Fatal("held descriptor changed identity")
	}
	c.Release(held)
	if got := openFds(t); got != before+2 {
		t.Errorf("%d descriptors open with one reference left, want %d", got, before+2)
	}
	fd := held.Fd
	c.Release(again)
	if got := openFds(t); got != before+1 {
		t.Errorf("%d descriptors open after the last Release, want %d", got, before+1)
	}
	if unix.Fstat(fd, &st) == nil && identityOfFd(t, fd) == identityAt(t, filepath.Join(tr.root, "hello.txt")) {
		t.Error("descriptor still open after the last Release")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Release without Get did not panic")
			}
		}()
		c.Release(again)
	}()
	if err := held.Close(); err == nil {
		t.Error("Close of a cached File succeeded")
	}
}

func TestCacheDefaults(t *testing.T) {
	_, r, _ := newTestCache(t, RootOptions{}, 0)
	c := NewFileCache(r, 0, 0)
	defer c.Close()
	if c.maxEntries != 1024 || c.validFor != time.Second {
		t.Errorf("defaults %d, %v", c.maxEntries, c.validFor)
	}
}

func TestCacheContent(t *testing.T) {
	tr, _, c := newTestCache(t, RootOptions{}, 0)
	c.SetContentLimits(64, 100)
	now := time.Now()
	f, err := c.Get([]byte("/hello.txt"), now)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(tr.root, "hello.txt"))
	if got := c.Content(f); string(got) != string(want) {
		t.Fatalf("content %q, want %q", got, want)
	}
	c.Release(f)
	// A change is seen once the entry is rechecked, with the new bytes.
	os.WriteFile(filepath.Join(tr.root, "hello.txt"), []byte("changed, and longer than before"), 0o644)
	f, _ = c.Get([]byte("/hello.txt"), now.Add(2*time.Second))
	if got := c.Content(f); string(got) != "changed, and longer than before" {
		t.Fatalf("after change: %q", got)
	}
	c.Release(f)
	// Over the per-file limit: nil, the caller sends from the descriptor.
	os.WriteFile(filepath.Join(tr.root, "big.txt"), make([]byte, 65), 0o644)
	f, err = c.Get([]byte("/big.txt"), now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Content(f) != nil {
		t.Fatal("content for a file over the limit")
	}
	c.Release(f)
}
