package static

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// devIno identifies a file the way the kernel does.
type devIno struct{ dev, ino uint64 }

// testTree is a document root with every kind of thing a lookup can meet,
// next to files it must never reach.
type testTree struct {
	dir     string            // parent of the root; holds the secrets
	root    string            // the document root
	inside  map[devIno]string // every non-link object under root
	outside map[devIno]string // things outside the root
}

// rootFiles maps paths under the root to contents; a trailing slash makes
// a directory.
var rootFiles = map[string]string{
	"index.html":                    "<h1>home</h1>",
	"hello.txt":                     "hello",
	"style.CSS":                     "body{}",
	"sp ace.txt":                    "space",
	"per%cent.txt":                  "percent",
	"back\\slash.txt":               "backslash",
	"..txt":                         "dotdot-prefixed name",
	"a/b/c.txt":                     "c",
	"docs/index.html":               "docs",
	"noindex/file.txt":              "file",
	"empty/":                        "",
	"idxdir/index.html/":            "", // a directory named like the index
	"secret.txt/":                   "", // same name as the outside secret
	"rootx-decoy/secret2":           "decoy inside",
	"badindex/":                     "",
	"deep/1/2/3/4/5/6/7/8/file.txt": "deep",
}

// rootLinks maps link paths under the root to targets; "$DIR" is replaced
// by the parent directory and "$ROOT" by the root.
var rootLinks = map[string]string{
	"link-in":              "hello.txt",
	"link-dir":             "a/b",
	"a/link-parent":        "../hello.txt",
	"a/b/link-grandparent": "../../docs/index.html",
	"link-out":             "../secret.txt",
	"link-abs":             "$DIR/secret.txt",
	"link-abs-in":          "$ROOT/hello.txt",
	"link-outdir":          "../outside",
	"link-up-in":           "../root/hello.txt",
	"link-rootx":           "../rootx/secret2",
	"link-loop":            "link-loop",
	"link-chain":           "link-in",
	"link-dot":             ".",
	"link-dotdot":          "..",
	"link-proc":            "/proc/self/root$DIR/secret.txt",
	"badindex/index.html":  "../../secret.txt",
	"deep/1/2/up":          "../../../../secret.txt",
}

func newTestTree(t *testing.T) *testTree {
	t.Helper()
	dir := t.TempDir()
	tr := &testTree{dir: dir, root: filepath.Join(dir, "root"), inside: map[devIno]string{}, outside: map[devIno]string{}}
	mkdir := func(name string) {
		t.Helper()
		if err := os.MkdirAll(name, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, content string) {
		t.Helper()
		mkdir(filepath.Dir(name))
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "secret.txt"), "SECRET")
	write(filepath.Join(dir, "outside/file.txt"), "OUTSIDE")
	write(filepath.Join(dir, "rootx/secret2"), "SECRET2")
	for name, content := range rootFiles {
		if strings.HasSuffix(name, "/") {
			mkdir(filepath.Join(tr.root, name))
		} else {
			write(filepath.Join(tr.root, name), content)
		}
	}
	if err := unix.Mkfifo(filepath.Join(tr.root, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(tr.root, "unreadable.txt")
	write(unreadable, "private")
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	for name, target := range rootLinks {
		target = strings.NewReplacer("$DIR", dir, "$ROOT", tr.root).Replace(target)
		if err := os.Symlink(target, filepath.Join(tr.root, name)); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(tr.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink == 0 {
			tr.inside[identityAt(t, p)] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, filepath.Join(dir, "secret.txt"), filepath.Join(dir, "outside"),
		filepath.Join(dir, "outside/file.txt"), filepath.Join(dir, "rootx"), filepath.Join(dir, "rootx/secret2"),
		"/", "/etc", "/etc/passwd", "/proc"} {
		if _, err := os.Lstat(p); err == nil {
			tr.outside[identityAt(t, p)] = p
		}
	}
	t.Cleanup(func() { os.Chmod(unreadable, 0o644) })
	return tr
}

func identityAt(t *testing.T, p string) devIno {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		t.Fatal(err)
	}
	return devIno{uint64(st.Dev), uint64(st.Ino)}
}

func identityOfFd(t *testing.T, fd int) devIno {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatalf("fstat(%d): %v", fd, err)
	}
	return devIno{uint64(st.Dev), uint64(st.Ino)}
}

// resolvers runs fn once per way the Root can resolve paths on this
// system: openat2 when the kernel has it, and always the portable walk.
func resolvers(t *testing.T, dir string, opt RootOptions, fn func(t *testing.T, r *Root)) {
	t.Helper()
	r, err := OpenRoot(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.beneath {
		t.Run("openat2", func(t *testing.T) { fn(t, r) })
	} else {
		t.Log("openat2 unavailable; testing only the walk")
	}
	r.beneath = false
	t.Run("walk", func(t *testing.T) { fn(t, r) })
}

// openFds counts this process's open descriptors.
func openFds(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(entries) - 1 // minus the one ReadDir itself had open
}
