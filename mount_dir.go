package golws

import (
	"os"
	"time"

	"github.com/golws/golws/h1"
	"github.com/golws/golws/static"
	"github.com/golws/golws/urlpath"
)

// DirOptions configures a static directory mount.
type DirOptions struct {
	// Index names tried for a directory (default index.html).
	Index []string
	// ListDirs lists directories without an index (default off: 404).
	ListDirs bool
	// FollowSymlinks follows symlinks whose target stays inside the root;
	// AllowSymlinksOutside also those that leave it. Both off by default:
	// a symlink is refused.
	FollowSymlinks       bool
	AllowSymlinksOutside bool
	// CacheEntries bounds each loop's open-file cache (default 1024);
	// CacheValid is how long an entry is trusted before it is stat'ed
	// again (default 1 s).
	CacheEntries int
	CacheValid   time.Duration
	// SmallFile is the size up to which a file's bytes are kept in memory
	// and sent with the head in one write instead of sendfile (default
	// 32 KiB; -1 never); SmallFileCache bounds those bytes per loop
	// (default 16 MiB).
	SmallFile      int
	SmallFileCache int
	// ServeDotfiles serves names that start with a dot (.git, .env,
	// .htpasswd) like any other. Off by default: they are 404, except
	// under /.well-known/ (RFC 8615).
	ServeDotfiles bool
}

// dirHandler serves files from a directory: conditional requests, single
// ranges, HEAD, sendfile for the body.
type dirHandler struct {
	root   *static.Root
	prefix string              // set when mounted with ServeDir (informational)
	caches []*static.FileCache // one per loop: no locks
	list   bool
	dots   bool // serve dotfiles
}

// ServeDir mounts the directory dir at prefix.
func (v *Vhost) ServeDir(prefix, dir string, opt DirOptions) error {
	d, err := v.ctx.dir(dir, opt)
	if err != nil {
		return err
	}
	v.Handle(prefix, d)
	for _, m := range v.mounts {
		if m.h == Handler(d) {
			d.prefix = m.prefix
		}
	}
	return nil
}

// Dir is a handler serving the directory dir, for use inside a handler of
// your own (ServeDir mounts one directly). Paths are taken relative to the
// mount prefix the request matched.
func (c *Context) Dir(dir string, opt DirOptions) (Handler, error) {
	return c.dir(dir, opt)
}

func (c *Context) dir(dir string, opt DirOptions) (*dirHandler, error) {
	root, err := static.OpenRoot(dir, static.RootOptions{
		FollowSymlinks:       opt.FollowSymlinks,
		AllowSymlinksOutside: opt.AllowSymlinksOutside,
		Index:                opt.Index,
		ListDirs:             opt.ListDirs,
	})
	if err != nil {
		return nil, err
	}
	if opt.CacheEntries <= 0 {
		opt.CacheEntries = 1024
	}
	if opt.CacheValid <= 0 {
		opt.CacheValid = time.Second
	}
	if opt.SmallFile == 0 {
		opt.SmallFile = 32 << 10
	}
	if opt.SmallFileCache <= 0 {
		opt.SmallFileCache = 16 << 20
	}
	d := &dirHandler{root: root, list: opt.ListDirs, dots: opt.ServeDotfiles}
	for range c.engine.Loops() {
		fc := static.NewFileCache(root, opt.CacheEntries, opt.CacheValid)
		if opt.SmallFile > 0 {
			fc.SetContentLimits(opt.SmallFile, opt.SmallFileCache)
		}
		d.caches = append(d.caches, fc)
	}
	return d, nil
}

func (d *dirHandler) Serve(w *Response, r *Request) {
	if m := r.Method(); m != h1.MethodGET && m != h1.MethodHEAD {
		w.Header("Allow", "GET, HEAD")
		w.Error(405, "method not allowed")
		return
	}
	rel := d.relPath(r)
	if !d.dots && hasDotSegment(rel) {
		d.fail(w, r, static.ErrNotFound)
		return
	}
	cache := d.caches[r.Conn().Loop().Index()]
	now := r.Conn().Loop().Wall()
	f, err := cache.Get(rel, now)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if f.IsDir { // listings are on and the directory has no index
		d.listDir(w, r, f)
		cache.Release(f)
		return
	}
	modTime := f.ModTime
	pre := static.Precondition{
		IfMatch:           r.Header(h1.HeaderIfMatch),
		IfNoneMatch:       r.Header(h1.HeaderIfNoneMatch),
		IfModifiedSince:   r.Header(h1.HeaderIfModifiedSince),
		IfUnmodifiedSince: r.Header(h1.HeaderIfUnmodifiedSince),
		GetOrHead:         true,
	}
	w.HeaderBytes("ETag", f.ETag)
	var lm [40]byte
	w.HeaderBytes("Last-Modified", static.AppendHTTPDate(lm[:0], modTime))
	if st := static.Evaluate(&pre, f.ETag, modTime); st != 0 {
		cache.Release(f)
		w.Status(st)
		return
	}
	w.Header("Accept-Ranges", "bytes")
	start, length, st := static.ParseRange(r.Header(h1.HeaderRange), f.Size, r.Header(h1.HeaderIfRange), f.ETag, modTime)
	switch st {
	case 416:
		cache.Release(f)
		var b [64]byte
		w.HeaderBytes("Content-Range", static.AppendContentRange(b[:0], 0, 0, f.Size))
		w.Error(416, "range not satisfiable")
		return
	case 206:
		var b [80]byte
		w.HeaderBytes("Content-Range", static.AppendContentRange(b[:0], start, length, f.Size))
	default:
		start, length = 0, f.Size
	}
	w.Status(st)
	w.ContentType(f.ContentType)
	if content := cache.Content(f); content != nil {
		// Small and in memory: head and body leave in one write, one
		// TCP segment, where sendfile would take a second syscall.
		w.sendContent(content[start : start+length])
		cache.Release(f)
		return
	}
	w.sendFile(f, start, length, cache)
}

// hasDotSegment reports whether a path has a segment starting with '.',
// other than a leading ".well-known".
func hasDotSegment(p []byte) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '.' || i > 0 && p[i-1] != '/' {
			continue
		}
		if i <= 1 && len(p) >= i+len(".well-known") && string(p[i:i+len(".well-known")]) == ".well-known" &&
			(len(p) == i+len(".well-known") || p[i+len(".well-known")] == '/') {
			i += len(".well-known")
			continue
		}
		return true
	}
	return false
}

// relPath is the request path below the mount point; empty for the mount
// point without its slash, which Lookup answers with a redirect to it.
func (d *dirHandler) relPath(r *Request) []byte {
	if r.mount == "" {
		return r.Path()
	}
	p, _ := urlpath.TrimPrefix(r.Path(), r.mount)
	return p
}

func (d *dirHandler) fail(w *Response, r *Request, err error) {
	switch err {
	case static.ErrRedirectSlash:
		loc := append(append(make([]byte, 0, len(r.RawPath())+1+len(r.Query())+1), r.RawPath()...), '/')
		if q := r.Query(); q != nil {
			loc = append(append(loc, '?'), q...)
		}
		w.HeaderBytes("Location", loc)
		w.Status(301)
	case static.ErrIsDir:
		r.vhost.errorPage(w, 404)
	case static.ErrForbidden:
		r.vhost.errorPage(w, 403)
	case static.ErrNotFound:
		r.vhost.errorPage(w, 404)
	default: // out of descriptors, I/O errors: ours, not the client's
		r.vhost.errorPage(w, 500)
	}
}

func (d *dirHandler) listDir(w *Response, r *Request, f *static.File) {
	ents, err := f.ReadDir()
	if err != nil {
		r.vhost.errorPage(w, 404)
		return
	}
	w.ContentType("text/html; charset=utf-8")
	w.Write(static.AppendDirListing(nil, string(r.Path()), ents))
}

// errorPage answers status with the vhost's custom page if it has one.
func (v *Vhost) errorPage(w *Response, status int) {
	if v != nil {
		if page, ok := v.errors[status]; ok {
			w.Status(status)
			w.ContentType("text/html; charset=utf-8")
			w.Write(page)
			return
		}
	}
	w.Error(status, h1.StatusText(status))
}

// ErrorPage sets a custom page (an HTML file, read now) for status.
func (v *Vhost) ErrorPage(status int, file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if v.errors == nil {
		v.errors = make(map[int][]byte)
	}
	v.errors[status] = b
	return nil
}
