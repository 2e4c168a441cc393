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
)

//go:embed demo.html
var demoPage []byte

func main() {
	addr := flag.String("addr", ":7681", "listen address (lws's default port)")
	root := flag.String("root", ".", "document root")
	accessLog := flag.String("log", "-", `access log file ("-": stdout, "": none)`)
	list := flag.Bool("list", false, "list directories without an index file")
	loops := flag.Int("loops", 0, "event loops (0: one per GOMAXPROCS)")
	grace := flag.Duration("grace", 10*time.Second, "how long shutdown waits for requests in flight")
	h2c := flag.String("h2c", "", "also listen here for cleartext HTTP/2 with prior knowledge only (the -addr port takes HTTP/1.1, h2c and Upgrade: h2c)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*addr, *h2c, *root, *accessLog, *list, *loops, *grace, log); err != nil {
		log.Error("golws", "err", err)
		os.Exit(1)
	}
}

func run(addr, h2cAddr, root, accessLog string, list bool, loops int, grace time.Duration, log *slog.Logger) error {
	cfg := golws.Config{Logger: log}
	cfg.Loop.Loops = loops
	ctx, err := golws.New(cfg)
	if err != nil {
		return err
	}
	vh := ctx.Vhost("default")
	if accessLog != "" {
		var w io.Writer = os.Stdout
		if accessLog != "-" {
			f, err := os.OpenFile(accessLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		vh.AccessLog(w)
	}
	dir, err := ctx.Dir(root, golws.DirOptions{ListDirs: list})
	if err != nil {
		return err
	}
	_, statErr := os.Stat(filepath.Join(root, "index.html"))
	vh.Handle("/", &site{dir: dir, demo: statErr != nil})
	a, err := ctx.Listen("tcp", addr)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(root)
	fmt.Fprintf(os.Stderr, "golws: serving %s on http://localhost:%d/ (HTTP/1.1 and h2c)\n", abs, portOf(a.String()))
	if h2cAddr != "" {
		b, err := ctx.ListenH2C("tcp", h2cAddr)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "golws: HTTP/2 only (prior knowledge) on %s\n", b)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	s := <-sig
	log.Info("golws: shutting down", "signal", s.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := ctx.Shutdown(sctx); err != nil {
		log.Warn("golws: shutdown deadline passed; remaining connections aborted", "err", err)
	}
	return nil
}

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
