package static

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golws/golws/urlpath"
)

// traversalPaths are raw request paths, as a client could send them, that
// try to reach something outside the root: the secret next to it, the
// sibling "rootx" (which shares the root's name as a prefix), /etc/passwd,
// or the root's parent directory itself.
func traversalPaths() []string {
	paths := []string{
		"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt",
		"/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt", "/..%2Fsecret.txt",
		"/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..%252fsecret.txt",
		"/%c0%ae%c0%ae/secret.txt", "/%c0%ae%c0%ae%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
		"/..\\secret.txt", "/..%5csecret.txt", "/%2e%2e%5csecret.txt", "/....//secret.txt",
		"/.../secret.txt", "/..;/secret.txt", "/..%00/secret.txt", "/%00/../secret.txt",
		"/a/b/../../../secret.txt", "/a/b/../../../../../../../../etc/passwd",
		"/a/b/%2e%2e/%2e%2e/%2e%2e/secret.txt", "/a/b/..%2f..%2f..%2fsecret.txt",
		"/../rootx/secret2", "/..%2frootx%2fsecret2", "/%2e%2e/rootx/secret2", "/../root/../rootx/secret2",
		"/../root/hello.txt", "/../root/../secret.txt", "/..", "/../", "/%2e%2e", "/%2e%2e/",
		"/../outside/file.txt", "/%2e%2e%2foutside%2ffile.txt", "/../../../../../../etc/passwd",
		"/%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "//../secret.txt", "///..//..//secret.txt",
		"/./../secret.txt", "/.%2f..%2fsecret.txt", "/link-dir/../../secret.txt",
		"/link-dir/%2e%2e/%2e%2e/secret.txt", "/link-dir/../../../rootx/secret2",
		"/link-out", "/link-out/", "/link-abs", "/link-outdir/file.txt", "/link-outdir/",
		"/link-rootx", "/link-dotdot/secret.txt", "/link-dotdot/rootx/secret2", "/link-dotdot/",
		"/link-up-in", "/link-loop", "/link-proc", "/badindex/", "/deep/1/2/up", "/deep/1/2/up/",
		"/link-dot/../secret.txt", "/link-dot/link-dot/link-out", "/a/link-parent/../secret.txt",
		"/secret.txt", "/secret.txt/", "/rootx-decoy/secret2", "/rootx-decoy/../../rootx/secret2",
		"/etc/passwd", "/%2fetc%2fpasswd", "/proc/self/root/etc/passwd", "/dev/null",
		"/fifo", "/unreadable.txt", "/hello.txt/..%2f..%2fsecret.txt", "/hello.txt%00.html",
		"/%", "/%G1", "/%4", "/%2", "relative/../secret.txt", "../secret.txt", "",
	}
	// Every way of spelling "up one level", under every starting point,
	// towards every target.
	ups := []string{"..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..%2f..", "%2e%2e%2f%2e%2e"}
	starts := []string{"", "/a", "/a/b", "/docs", "/link-dir", "/deep/1/2/3"}
	targets := []string{"secret.txt", "rootx/secret2", "outside/file.txt"}
	for i, up := range ups {
		for j, start := range starts {
			target := targets[(i+j)%len(targets)]
			climb := strings.Repeat("/"+up, 1+strings.Count(start, "/")+i%3)
			paths = append(paths, start+climb+"/"+target)
		}
	}
	return paths
}

func TestTraversal(t *testing.T) {
	tr := newTestTree(t)
	paths := traversalPaths()
	if len(paths) < 100 {
		t.Fatalf("only %d traversal paths", len(paths))
	}
	refusedByClean, served := 0, 0
	for _, raw := range paths {
		if _, err := urlpath.Clean(nil, []byte(raw)); err != nil {
			if !errors.Is(err, urlpath.ErrInvalid) {
				t.Errorf("Clean(%q): unexpected error %v", raw, err)
			}
			refusedByClean++
		}
	}
	modes := []struct {
		name string
		opt  RootOptions
	}{
		{"no-symlinks", RootOptions{}},
		{"follow", RootOptions{FollowSymlinks: true}},
		{"list", RootOptions{ListDirs: true}},
		{"follow-list", RootOptions{FollowSymlinks: true, ListDirs: true}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			resolvers(t, tr.root, mode.opt, func(t *testing.T, r *Root) {
				cache := NewFileCache(r, 8, time.Second)
				defer cache.Close()
				now := time.Now()
				for _, raw := range paths {
					clean, err := urlpath.Clean(nil, []byte(raw))
					if err != nil {
						continue
					}
					f, err := r.Lookup(clean)
					checkConfined(t, tr, raw, "Lookup", f, err)
					if f != nil {
						f.Close()
						served++
					}
					f, err = cache.Get(clean, now)
					checkConfined(t, tr, raw, "FileCache.Get", f, err)
					if f != nil {
						cache.Release(f)
					}
				}
			})
		})
	}
	t.Logf("%d paths: %d refused by Clean; %d lookups in all modes served a file, each inside the root", len(paths), refusedByClean, served)
}

// checkConfined fails unless the lookup either opened something inside
// the root or refused in one of the expected ways.
func checkConfined(t *testing.T, tr *testTree, raw, via string, f *File, err error) {
	t.Helper()
	if err != nil {
		if err != ErrNotFound && err != ErrForbidden && err != ErrRedirectSlash && err != ErrIsDir {
			t.Errorf("%s(%q): unexpected error %v", via, raw, err)
		}
		return
	}
	id := identityOfFd(t, f.Fd)
	if p, bad := tr.outside[id]; bad {
		t.Errorf("%s(%q) OPENED %s OUTSIDE THE ROOT", via, raw, p)
	} else if _, ok := tr.inside[id]; !ok {
		t.Errorf("%s(%q) opened %v, which is not a file inside the root", via, raw, id)
	}
}

// TestTraversalWithoutLinks checks that with AllowSymlinksOutside the
// request path itself still cannot leave: only links can.
func TestTraversalWithoutLinks(t *testing.T) {
	tr := newTestTree(t)
	resolvers(t, tr.root, RootOptions{AllowSymlinksOutside: true}, func(t *testing.T, r *Root) {
		for _, raw := range traversalPaths() {
			if strings.Contains(raw, "link") || strings.Contains(raw, "badindex") || strings.Contains(raw, "/up") {
				continue
			}
			clean, err := urlpath.Clean(nil, []byte(raw))
			if err != nil {
				continue
			}
			f, err := r.Lookup(clean)
			checkConfined(t, tr, raw, "Lookup", f, err)
			if f != nil {
				f.Close()
			}
		}
	})
}
