// Command golws is the golws server, configured like lwsws: with no flags
// it serves the current directory over HTTP on port 7681, with a built-in
// demo page when the directory has no index.html.
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/golws/golws"
	"github.com/golws/golws/tls"
)

//go:embed demo.html
var demoPage []byte

// options are the command line.
type options struct {
	addr, h2cAddr, tlsAddr string
	cert, key              string
	root, accessLog        string
	list                   bool
	loops                  int
	grace                  time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", ":7681", "listen address (lws's default port)")
	flag.StringVar(&o.tlsAddr, "tls-addr", ":7682", `HTTPS listen address, HTTP/2 and HTTP/1.1 by ALPN ("" for none)`)
	flag.StringVar(&o.cert, "cert", "", "TLS certificate (PEM; default: a self-signed one for localhost, generated once and cached)")
	flag.StringVar(&o.key, "key", "", "TLS private key (PEM), with -cert")
	flag.StringVar(&o.root, "root", ".", "document root")
	flag.StringVar(&o.accessLog, "log", "-", `access log file ("-": stdout, "": none)`)
	flag.BoolVar(&o.list, "list", false, "list directories without an index file")
	flag.IntVar(&o.loops, "loops", 0, "event loops (0: one per GOMAXPROCS)")
	flag.DurationVar(&o.grace, "grace", 10*time.Second, "how long shutdown waits for requests in flight")
	flag.StringVar(&o.h2cAddr, "h2c", "", "also listen here for cleartext HTTP/2 with prior knowledge only (the -addr port takes HTTP/1.1, h2c and Upgrade: h2c)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(o, log); err != nil {
		log.Error("golws", "err", err)
		os.Exit(1)
	}
}

func run(o options, log *slog.Logger) error {
	cfg := golws.Config{Logger: log}
	cfg.Loop.Loops = o.loops
	ctx, err := golws.New(cfg)
	if err != nil {
		return err
	}
	vh := ctx.Vhost("default")
	if o.accessLog != "" {
		var w io.Writer = os.Stdout
		if o.accessLog != "-" {
			f, err := os.OpenFile(o.accessLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		vh.AccessLog(w)
	}
	dir, err := ctx.Dir(o.root, golws.DirOptions{ListDirs: o.list})
	if err != nil {
		return err
	}
	_, statErr := os.Stat(filepath.Join(o.root, "index.html"))
	vh.Handle("/", &site{dir: dir, demo: statErr != nil})
	// The demo page's WebSocket echo (lws's minimal ws server).
	vh.WebSocket("/ws", golws.WSOptions{Compression: true, PingInterval: 30 * time.Second}, golws.Protocol("lws-echo", wsEcho{}))
	a, err := ctx.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(o.root)
	fmt.Fprintf(os.Stderr, "golws: serving %s on http://localhost:%d/ (HTTP/1.1 and h2c)\n", abs, portOf(a.String()))
	if o.h2cAddr != "" {
		b, err := ctx.ListenH2C("tcp", o.h2cAddr)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "golws: HTTP/2 only (prior knowledge) on %s\n", b)
	}
	if o.tlsAddr != "" {
		if err := serveTLS(ctx, vh, o, log); err != nil {
			if o.cert != "" {
				return err
			}
			// The default HTTPS port is a convenience: without it the
			// server still serves plaintext.
			log.Warn("golws: no HTTPS", "err", err)
		}
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if err := ctx.ReloadCertificates(); err != nil {
				log.Warn("golws: certificate reload", "err", err)
			}
			continue
		case s := <-sig:
			if s == syscall.SIGHUP {
				if err := ctx.ReloadCertificates(); err != nil {
					log.Warn("golws: certificate reload", "err", err)
				}
				continue
			}
			log.Info("golws: shutting down", "signal", s.String())
		}
		break
	}
	sctx, cancel := context.WithTimeout(context.Background(), o.grace)
	defer cancel()
	if err := ctx.Shutdown(sctx); err != nil {
		log.Warn("golws: shutdown deadline passed; remaining connections aborted", "err", err)
	}
	return nil
}

// serveTLS adds the HTTPS listener: the given certificate, or a cached
// self-signed one for localhost so that a browser sees HTTP/2 with no
// setup (after accepting the certificate).
func serveTLS(ctx *golws.Context, vh *golws.Vhost, o options, log *slog.Logger) error {
	cert, key := o.cert, o.key
	if cert == "" {
		dir := tls.DefaultCacheDir()
		var err error
		if cert, key, err = tls.SelfSigned(dir); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "golws: self-signed certificate for localhost in %s\n", dir)
	}
	if err := vh.TLS(cert, key, golws.TLSOptions{}); err != nil {
		return err
	}
	b, err := ctx.ListenTLS("tcp", o.tlsAddr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "golws: serving https://localhost:%d/ (HTTP/2 and HTTP/1.1)\n", portOf(b.String()))
	return nil
}

// wsEcho answers every WebSocket message with itself.
type wsEcho struct{}

func (wsEcho) OnOpen(*golws.WebSocket, *golws.Request) {}

func (wsEcho) OnMessage(s *golws.WebSocket, text bool, data []byte, final bool) {
	if text {
		s.WriteText(data)
	} else {
		s.WriteBinary(data)
	}
}

func (wsEcho) OnClose(*golws.WebSocket, uint16, []byte) {}

// site serves the document root, and the demo page at "/" when the root
// has no index.html.
type site struct {
	dir  golws.Handler
	demo bool
}

func (s *site) Serve(w *golws.Response, r *golws.Request) {
	if s.demo && len(r.Path()) == 1 {
		w.ContentType("text/html; charset=utf-8")
		w.Write(demoPage)
		return
	}
	s.dir.Serve(w, r)
}

func portOf(hostport string) int {
	var port int
	for i := len(hostport) - 1; i >= 0; i-- {
		if hostport[i] == ':' {
			fmt.Sscanf(hostport[i+1:], "%d", &port)
			break
		}
	}
	return port
}
