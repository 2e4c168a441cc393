package static

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A lookup expectation is an error, or a string naming the file that must
// have been opened: "x" is root/x, "@x" is outside the root at dir/x, and
// "dir:x" is the directory root/x returned for listing.
type lookupWant any

// magicLink marks the one case whose result depends on the resolver: a
// link through /proc/self/root is refused by openat2's
// RESOLVE_NO_MAGICLINKS, while the portable walk with AllowSymlinksOutside
// follows it like any other link leading outside.
const magicLink = "magic"

var lookupCases = []struct {
	path                   string
	none, follow, anywhere lookupWant
}{
	{"/hello.txt", "hello.txt", "hello.txt", "hello.txt"},
	{"/", "index.html", "index.html", "index.html"},
	{"/docs/", "docs/index.html", "docs/index.html", "docs/index.html"},
	{"/docs", ErrRedirectSlash, ErrRedirectSlash, ErrRedirectSlash},
	{"", ErrRedirectSlash, ErrRedirectSlash, ErrRedirectSlash},
	{"/noindex/", ErrIsDir, ErrIsDir, ErrIsDir},
	{"/empty/", ErrIsDir, ErrIsDir, ErrIsDir},
	{"/idxdir/", ErrIsDir, ErrIsDir, ErrIsDir},
	{"/noindex/file.txt", "noindex/file.txt", "noindex/file.txt", "noindex/file.txt"},
	{"/a/b/c.txt", "a/b/c.txt", "a/b/c.txt", "a/b/c.txt"},
	{"/deep/1/2/3/4/5/6/7/8/file.txt", "deep/1/2/3/4/5/6/7/8/file.txt", "deep/1/2/3/4/5/6/7/8/file.txt", "deep/1/2/3/4/5/6/7/8/file.txt"},
	{"/sp ace.txt", "sp ace.txt", "sp ace.txt", "sp ace.txt"},
	{"/per%cent.txt", "per%cent.txt", "per%cent.txt", "per%cent.txt"},
	{"/back\\slash.txt", "back\\slash.txt", "back\\slash.txt", "back\\slash.txt"},
	{"/..txt", "..txt", "..txt", "..txt"},
	{"/secret.txt", ErrRedirectSlash, ErrRedirectSlash, ErrRedirectSlash},
	{"/missing", ErrNotFound, ErrNotFound, ErrNotFound},
	{"/missing/", ErrNotFound, ErrNotFound, ErrNotFound},
	{"/hello.txt/", ErrNotFound, ErrNotFound, ErrNotFound},
	{"/hello.txt/x", ErrNotFound, ErrNotFound, ErrNotFound},
	{"/fifo", ErrForbidden, ErrForbidden, ErrForbidden},

	// Paths Clean would never produce are refused outright.
	{"/../secret.txt", ErrForbidden, ErrForbidden, ErrForbidden},
	{"/a/../hello.txt", ErrForbidden, ErrForbidden, ErrForbidden},
	{"/./hello.txt", ErrForbidden, ErrForbidden, ErrForbidden},
	{"//hello.txt", ErrForbidden, ErrForbidden, ErrForbidden},
	{"hello.txt", ErrForbidden, ErrForbidden, ErrForbidden},
	{"/hello.txt\x00", ErrForbidden, ErrForbidden, ErrForbidden},

	// Links that stay inside.
	{"/link-in", ErrForbidden, "hello.txt", "hello.txt"},
	{"/link-chain", ErrForbidden, "hello.txt", "hello.txt"},
	{"/link-dir/c.txt", ErrForbidden, "a/b/c.txt", "a/b/c.txt"},
	{"/link-dir", ErrForbidden, ErrRedirectSlash, ErrRedirectSlash},
	{"/link-dir/", ErrForbidden, ErrIsDir, ErrIsDir},
	{"/a/link-parent", ErrForbidden, "hello.txt", "hello.txt"},
	{"/a/b/link-grandparent", ErrForbidden, "docs/index.html", "docs/index.html"},
	{"/link-dot/hello.txt", ErrForbidden, "hello.txt", "hello.txt"},
	{"/link-dot/", ErrForbidden, "index.html", "index.html"},

	// Links that leave.
	{"/link-out", ErrForbidden, ErrForbidden, "@secret.txt"},
	{"/link-abs", ErrForbidden, ErrForbidden, "@secret.txt"},
	{"/link-abs-in", ErrForbidden, ErrForbidden, "hello.txt"},
	{"/link-up-in", ErrForbidden, ErrForbidden, "hello.txt"},
	{"/link-outdir/file.txt", ErrForbidden, ErrForbidden, "@outside/file.txt"},
	{"/link-rootx", ErrForbidden, ErrForbidden, "@rootx/secret2"},
	{"/link-dotdot/secret.txt", ErrForbidden, ErrForbidden, "@secret.txt"},
	{"/badindex/", ErrForbidden, ErrForbidden, "@secret.txt"},
	{"/deep/1/2/up", ErrForbidden, ErrForbidden, "@secret.txt"},
	{"/link-loop", ErrForbidden, ErrForbidden, ErrForbidden},
	{"/link-proc", ErrForbidden, ErrForbidden, magicLink},
}

func TestRootLookup(t *testing.T) {
	tr := newTestTree(t)
	modes := []struct {
		name string
		opt  RootOptions
		want func(i int) lookupWant
	}{
		{"no-symlinks", RootOptions{}, func(i int) lookupWant { return lookupCases[i].none }},
		{"follow", RootOptions{FollowSymlinks: true}, func(i int) lookupWant { return lookupCases[i].follow }},
		{"anywhere", RootOptions{AllowSymlinksOutside: true}, func(i int) lookupWant { return lookupCases[i].anywhere }},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			resolvers(t, tr.root, mode.opt, func(t *testing.T, r *Root) {
				for i, tc := range lookupCases {
					want := mode.want(i)
					if want == magicLink {
						want = ErrForbidden
						if !r.beneath {
							want = "@secret.txt"
						}
					}
					f, err := r.Lookup([]byte(tc.path))
					checkLookup(t, tr, tc.path, f, err, want)
					if f != nil {
						f.Close()
					}
				}
			})
		})
	}
}

func checkLookup(t *testing.T, tr *testTree, path string, f *File, err error, want lookupWant) {
	t.Helper()
	if wantErr, ok := want.(error); ok {
		if !errors.Is(err, wantErr) {
			t.Errorf("Lookup(%q) = %v, %v; want %v", path, f, err, wantErr)
		}
		return
	}
	name := want.(string)
	if err != nil {
		t.Errorf("Lookup(%q) error %v; want %s", path, err, name)
		return
	}
	var p string
	switch {
	case name[0] == '@':
		p = filepath.Join(tr.dir, name[1:])
	case strings.HasPrefix(name, "dir:"):
		p = filepath.Join(tr.root, name[4:])
		if !f.IsDir {
			t.Errorf("Lookup(%q) is not a directory", path)
		}
	default:
		p = filepath.Join(tr.root, name)
	}
	if got, want := identityOfFd(t, f.Fd), identityAt(t, p); got != want {
		t.Errorf("Lookup(%q) opened %v (%s), want %s", path, got, tr.inside[got]+tr.outside[got], p)
	}
}

func TestLookupFileFields(t *testing.T) {
	tr := newTestTree(t)
	r, err := OpenRoot(tr.root, RootOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := r.Lookup([]byte("/style.CSS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := os.Stat(filepath.Join(tr.root, "style.CSS"))
	if f.Size != 6 || !f.ModTime.Equal(st.ModTime()) || f.IsDir || f.Name != "style.CSS" ||
		f.ContentType != "text/css; charset=utf-8" || string(f.ETag) != string(AppendETag(nil, 6, st.ModTime())) {
		t.Errorf("unexpected fields %+v", f)
	}
	g, err := r.Lookup([]byte("/docs/"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if g.Name != "index.html" || g.ContentType != "text/html; charset=utf-8" {
		t.Errorf("index file fields %+v", g)
	}
	h, err := r.Lookup([]byte("/fifo"))
	if h != nil || err != ErrForbidden {
		t.Errorf("fifo: %v, %v", h, err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if err := f.Close(); err != ErrClosed {
		t.Errorf("second Close: %v", err)
	}
}

func TestLookupUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not apply")
	}
	tr := newTestTree(t)
	resolvers(t, tr.root, RootOptions{}, func(t *testing.T, r *Root) {
		if f, err := r.Lookup([]byte("/unreadable.txt")); err != ErrForbidden {
			t.Errorf("unreadable file: %v, %v", f, err)
		}
	})
}

func TestLookupListDirs(t *testing.T) {
	tr := newTestTree(t)
	resolvers(t, tr.root, RootOptions{ListDirs: true, Index: []string{}}, func(t *testing.T, r *Root) {
		f, err := r.Lookup([]byte("/noindex/"))
		checkLookup(t, tr, "/noindex/", f, err, "dir:noindex")
		if f == nil {
			return
		}
		defer f.Close()
		for round := 0; round < 2; round++ {
			entries, err := f.ReadDir()
			if err != nil || len(entries) != 1 || entries[0].Name() != "file.txt" || entries[0].IsDir() {
				t.Fatalf("ReadDir round %d: %v, %v", round, entries, err)
			}
		}
		// With Index empty, even the root lists.
		g, err := r.Lookup([]byte("/"))
		checkLookup(t, tr, "/", g, err, "dir:")
		if g != nil {
			g.Close()
		}
	})
}

func TestLookupIndexOrder(t *testing.T) {
	tr := newTestTree(t)
	if err := os.WriteFile(filepath.Join(tr.root, "docs/index.htm"), []byte("htm"), 0o644); err != nil {
		t.Fatal(err)
	}
	resolvers(t, tr.root, RootOptions{Index: []string{"default.html", "index.htm", "index.html"}}, func(t *testing.T, r *Root) {
		f, err := r.Lookup([]byte("/docs/"))
		checkLookup(t, tr, "/docs/", f, err, "docs/index.htm")
		if f != nil {
			f.Close()
		}
	})
}

func TestOpenRootErrors(t *testing.T) {
	tr := newTestTree(t)
	if _, err := OpenRoot(filepath.Join(tr.root, "missing"), RootOptions{}); err == nil {
		t.Error("opened a missing root")
	}
	if _, err := OpenRoot(filepath.Join(tr.root, "hello.txt"), RootOptions{}); err == nil {
		t.Error("opened a file as root")
	}
	for _, idx := range []string{"", ".", "..", "a/b", "x\x00"} {
		if _, err := OpenRoot(tr.root, RootOptions{Index: []string{idx}}); err == nil {
			t.Errorf("accepted index name %q", idx)
		}
	}
	r, err := OpenRoot(tr.root, RootOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := r.Lookup([]byte("/hello.txt")); err != ErrClosed {
		t.Errorf("lookup on closed root: %v", err)
	}
}
