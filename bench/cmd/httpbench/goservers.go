//go:build linux

package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/golws/golws"
	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
	"github.com/valyala/fasthttp"
)

// serverMain runs one Go implementation on addr, serving /plaintext and
// (except gnet) the files of dir under /files/, and answers the harness's
// control commands (package ctl) until its stdin closes.
func serverMain(args []string) int {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	impl := fs.String("impl", implGolws, "implementation: golws, nethttp, fasthttp or gnet")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (gnet needs an explicit port)")
	dir := fs.String("dir", "", "directory served under /files/")
	proto := fs.String("proto", protoH1, "protocol: h1, h2 (cleartext HTTP/2 with prior knowledge; golws and nethttp only) or https (TLS, ALPN h2 and http/1.1; golws and nethttp only)")
	certFile := fs.String("cert", "", "PEM certificate for -proto https")
	keyFile := fs.String("key", "", "PEM key for -proto https")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "httpbench server %s: %v\n", *impl, err)
		return 1
	}
	if _, err := machine.RaiseNofile(); err != nil {
		return fail(err)
	}
	ctlSrv, err := ctl.NewServer()
	if err != nil {
		return fail(err)
	}
	if *dir == "" && *impl != implGnet {
		return fail(errors.New("-dir is required"))
	}
	if *proto != protoH1 && !slices.Contains(serversFor(*proto), *impl) {
		return fail(fmt.Errorf("no %s mode", *proto))
	}
	if (*proto == protoHTTPS) != (*certFile != "" && *keyFile != "") {
		return fail(errors.New("-cert and -key go with -proto https, and only with it"))
	}
	pair := certPair{*certFile, *keyFile}
	var bound string
	switch *impl {
	case implGolws:
		bound, err = serveGolws(*addr, *dir, *proto, pair)
	case implNetHTTP:
		bound, err = serveNetHTTP(*addr, *dir, *proto, pair)
	case implFasthttp:
		bound, err = serveFasthttp(*addr, *dir)
	case implGnet:
		bound, err = serveGnet(*addr)
	default:
		err = fmt.Errorf("unknown implementation %q", *impl)
	}
	if err != nil {
		return fail(err)
	}
	if err := ctlSrv.Ready(bound); err != nil {
		return fail(err)
	}
	ctlSrv.Serve()
	return 0
}

// certPair names a PEM certificate and key, for -proto https.
type certPair struct{ cert, key string }

// serveGolws is the library under test: one event loop, a handler for
// /plaintext and a static directory mount (sendfile) for /files. For h2
// it listens with ListenH2C, prior knowledge only (a Listen port would
// also take HTTP/2, after sniffing the preface). For https the vhost gets
// the certificate (Vhost.TLS, default TLSOptions) and the port is a
// ListenTLS one: TLS (handshakes in golws's pool, off the loop), then h2
// or HTTP/1.1 as ALPN picks.
func serveGolws(addr, dir, proto string, pair certPair) (string, error) {
	cfg := golws.Config{}
	cfg.Loop.Loops = 1
	c, err := golws.New(cfg)
	if err != nil {
		return "", err
	}
	v := c.Vhost("bench")
	v.HandleFunc("/plaintext", func(w *golws.Response, r *golws.Request) {
		w.ContentType("text/plain")
		w.WriteString(plaintextBody)
	})
	if err := v.ServeDir("/files", dir, golws.DirOptions{}); err != nil {
		shutdown(c)
		return "", err
	}
	listen := c.Listen
	switch proto {
	case protoH2:
		listen = c.ListenH2C
	case protoHTTPS:
		if err := v.TLS(pair.cert, pair.key, golws.TLSOptions{}); err != nil {
			shutdown(c)
			return "", err
		}
		listen = c.ListenTLS
	}
	a, err := listen("tcp", addr)
	if err != nil {
		shutdown(c)
		return "", err
	}
	return a.String(), nil
}

// shutdown stops a golws context that failed to start, briefly.
func shutdown(c *golws.Context) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = c.Shutdown(ctx)
}

// serveNetHTTP is the standard library's server: a goroutine per
// connection, a ServeMux with the same two routes, http.FileServer. For h2
// its Protocols hold UnencryptedHTTP2 only: HTTP/2 with prior knowledge
// on a plain listener, no HTTP/1.1, as golws's ListenH2C. For https it is
// ServeTLS with the certificate and otherwise default settings (crypto/tls
// defaults, ALPN h2 and http/1.1).
func serveNetHTTP(addr, dir, proto string, pair certPair) (string, error) {
	body := []byte(plaintextBody)
	mux := http.NewServeMux()
	mux.HandleFunc("/plaintext", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})
	mux.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir(dir))))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if proto == protoH2 {
		srv.Protocols = new(http.Protocols)
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	serve := func() error { return srv.Serve(ln) }
	if proto == protoHTTPS {
		// Load the pair here, so a bad one fails the start rather than
		// the first handshake.
		cert, err := tls.LoadX509KeyPair(pair.cert, pair.key)
		if err != nil {
			ln.Close()
			return "", err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		serve = func() error { return srv.ServeTLS(ln, "", "") }
	}
	go func() {
		if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "httpbench server nethttp: %v\n", err)
			os.Exit(1)
		}
	}()
	return ln.Addr().String(), nil
}

// serveFasthttp is fasthttp with one RequestHandler routing /plaintext and
// handing /files/ to a fasthttp.FS (its default cache of open files).
func serveFasthttp(addr, dir string) (string, error) {
	body := []byte(plaintextBody)
	files := (&fasthttp.FS{
		Root:        dir,
		PathRewrite: fasthttp.NewPathSlashesStripper(1), // drop "/files"
	}).NewRequestHandler()
	filesPrefix := []byte("/files/")
	handler := func(ctx *fasthttp.RequestCtx) {
		switch p := ctx.Path(); {
		case string(p) == "/plaintext":
			ctx.SetContentType("text/plain")
			ctx.SetBody(body)
		case bytes.HasPrefix(p, filesPrefix):
			files(ctx)
		default:
			ctx.Error("not found", fasthttp.StatusNotFound)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &fasthttp.Server{Handler: handler, Name: "fasthttp"}
	go func() {
		if err := srv.Serve(ln); err != nil {
			fmt.Fprintf(os.Stderr, "httpbench server fasthttp: %v\n", err)
			os.Exit(1)
		}
	}()
	return ln.Addr().String(), nil
}
