// Command golws is the golws server (lwsws's counterpart). For now it
// serves lws's raw-skt echo protocol on port 7681; the HTTP server takes
// the same port when it lands.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/golws/golws/loop"
	"github.com/golws/golws/raw"
)

func main() {
	addr := flag.String("addr", ":7681", "listen address")
	loops := flag.Int("loops", 0, "event loops (0: one per GOMAXPROCS)")
	grace := flag.Duration("grace", 10*time.Second, "how long shutdown waits for connections to finish")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	e, err := loop.New(loop.Config{Loops: *loops, Logger: log})
	if err != nil {
		log.Error("start", "err", err)
		os.Exit(1)
	}
	ln, err := e.Listen("tcp", *addr, raw.Echo{})
	if err != nil {
		log.Error("listen", "err", err)
		os.Exit(1)
	}
	log.Info("golws: raw echo serving", "addr", ln.Addr().String(), "loops", len(e.Loops()), "try", "nc localhost 7681")

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	s := <-sig
	log.Info("golws: shutting down", "signal", s.String(), "connections", e.Conns())
	ctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		log.Warn("golws: shutdown deadline passed; remaining connections aborted", "err", err)
	}
}
