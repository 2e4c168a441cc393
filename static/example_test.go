package static_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/golws/golws/static"
	"github.com/golws/golws/urlpath"
)

// Example shows the decisions a role makes for one GET under a mount
// "/assets/" → dir, using a per-loop FileCache.
func Example() {
	dir, _ := os.MkdirTemp("", "static-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte("console.log(1)\n"), 0o644)

	root, _ := static.OpenRoot(dir, static.RootOptions{})
	defer root.Close()
	cache := static.NewFileCache(root, 0, 0)
	defer cache.Close()

	var buf [256]byte
	clean, err := urlpath.Clean(buf[:0], []byte("/assets/x/../%61pp.js"))
	if err != nil {
		fmt.Println(400)
		return
	}
	rel, ok := urlpath.TrimPrefix(clean, "/assets/")
	if !ok {
		fmt.Println(404)
		return
	}
	f, err := cache.Get(rel, time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cache.Release(f)

	pre := static.Precondition{IfNoneMatch: []byte(`"stale"`), GetOrHead: true}
	if status := static.Evaluate(&pre, f.ETag, f.ModTime); status != 0 {
		fmt.Println(status)
		return
	}
	start, length, status := static.ParseRange([]byte("bytes=0-6"), f.Size, nil, f.ETag, f.ModTime)
	fmt.Println(status, f.ContentType)
	fmt.Println(string(static.AppendContentRange(nil, start, length, f.Size)))
	// Output:
	// 206 text/javascript; charset=utf-8
	// bytes 0-6/15
}
