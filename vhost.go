package golws

import (
	"bytes"
	"io"
	"sort"
	"strings"

	"github.com/golws/golws/accesslog"
	"github.com/golws/golws/urlpath"
)

// Vhost is a virtual host: a name, the Host values it answers, and its
// mounts by URL prefix (lws's vhost and mounts).
type Vhost struct {
	ctx    *Context
	name   string
	hosts  []string
	mounts []mountEntry // longest prefix first

	log     *accesslog.Logger
	logBufs []*accesslog.Buffer // one per loop: appended without locks
	errors  map[int][]byte      // custom error pages, loaded once
	tls     *vhostTLS           // certificate and TLS configuration, nil if none

	httpsPort int    // RedirectToHTTPS: plaintext requests go there
	hsts      string // Strict-Transport-Security value for TLS responses
}

type mountEntry struct {
	prefix string
	h      Handler
}

// Vhost adds a virtual host answering the given Host names (port ignored,
// case-insensitive). The first vhost added is the default: it answers
// requests whose host matches no other.
func (c *Context) Vhost(name string, hosts ...string) *Vhost {
	v := &Vhost{ctx: c, name: name}
	for _, h := range hosts {
		v.hosts = append(v.hosts, strings.ToLower(h))
	}
	c.mu.Lock()
	c.vhosts = append(c.vhosts, v)
	c.mu.Unlock()
	return v
}

// Name is the vhost's name.
func (v *Vhost) Name() string { return v.name }

func (v *Vhost) matches(host []byte) bool {
	for _, h := range v.hosts {
		if len(h) == len(host) && bytes.EqualFold(host, []byte(h)) {
			return true
		}
	}
	return false
}

// Handle mounts h at prefix ("/" for everything). The longest matching
// prefix wins, by whole path segments ("/api" serves "/api" and "/api/x",
// not "/apix").
func (v *Vhost) Handle(prefix string, h Handler) {
	if prefix == "" || prefix[0] != '/' {
		prefix = "/" + prefix
	}
	if len(prefix) > 1 {
		prefix = strings.TrimSuffix(prefix, "/")
	}
	v.mounts = append(v.mounts, mountEntry{prefix: prefix, h: h})
	sort.SliceStable(v.mounts, func(i, j int) bool { return len(v.mounts[i].prefix) > len(v.mounts[j].prefix) })
}

// HandleFunc mounts a function at prefix.
func (v *Vhost) HandleFunc(prefix string, f func(w *Response, r *Request)) {
	v.Handle(prefix, HandlerFunc(f))
}

// Redirect mounts a redirect: requests under prefix get status (301, 302,
// 307 or 308) to location followed by the rest of the path and the query.
func (v *Vhost) Redirect(prefix, location string, status int) {
	v.Handle(prefix, &redirect{prefix: prefix, to: strings.TrimSuffix(location, "/"), status: status})
}

// AccessLog writes the vhost's requests to w in Combined Log Format,
// buffered per loop and written off the loops.
func (v *Vhost) AccessLog(w io.Writer) {
	v.log = accesslog.New(w)
	v.logBufs = make([]*accesslog.Buffer, len(v.ctx.engine.Loops()))
	for i := range v.logBufs {
		v.logBufs[i] = v.log.NewBuffer()
	}
}

func (v *Vhost) closeLogs() {
	if v.log != nil {
		v.log.Close()
	}
}

// route finds the mount for a cleaned path.
func (v *Vhost) route(path []byte) *mountEntry {
	for i := range v.mounts {
		m := &v.mounts[i]
		if urlpath.HasPrefix(path, m.prefix) {
			return m
		}
	}
	return nil
}

type redirect struct {
	prefix, to string
	status     int
}

func (rd *redirect) Serve(w *Response, r *Request) {
	// The rest of the normalized path (the one the mount matched; the raw
	// one may differ in length, "//old/x"), escaped again for a URL.
	rest := r.Path()
	if rd.prefix != "/" {
		rest = rest[min(len(rd.prefix), len(rest)):]
	}
	loc := make([]byte, 0, len(rd.to)+len(rest)*3+len(r.Query())+1)
	loc = urlpath.AppendEscaped(append(loc, rd.to...), rest)
	if q := r.Query(); q != nil {
		loc = append(append(loc, '?'), q...)
	}
	w.Status(rd.status)
	w.HeaderBytes("Location", loc)
}
