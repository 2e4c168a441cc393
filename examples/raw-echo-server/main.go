// Command raw-echo-server is the minimal raw TCP server: lws's
// minimal-raw-adopt-tcp, on golws's loop. Every byte read is echoed back.
//
//	go run ./examples/raw-echo-server -addr 127.0.0.1:7681
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/golws/golws/loop"
	"github.com/golws/golws/raw"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7681", "listen address (port 0: any free port)")
	flag.Parse()

	e, err := loop.New(loop.Config{})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := e.Listen("tcp", *addr, raw.Echo{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on", ln.Addr()) // the client example and CI read this line

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		log.Fatal(err)
	}
}
