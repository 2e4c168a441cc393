//go:build linux

// Command httpbench measures HTTP/1.1 servers side by side: golws against
// Go's net/http, fasthttp, a minimal gnet responder, nginx and h2o, under
// the same load generators (h2load and wrk) and the same pinning.
//
//	httpbench [flags]                                      run the harness (default)
//	httpbench server -impl NAME -addr HOST:PORT -dir DIR   serve one Go implementation
//	httpbench handshake -addr HOST:PORT -n N -c C -cert F  new TLS connection per request (-proto https)
//
// The harness starts every server once: the Go ones by re-executing itself
// under `taskset -c 0` with GOMAXPROCS=1, nginx and h2o from generated
// configurations under `taskset -c 0`. It pins itself and every load
// generator to CPU 1, so server and generator never compete for a core.
// See bench/README.md.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "server" {
		os.Exit(serverMain(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "handshake" {
		os.Exit(handshakeMain(os.Args[2:]))
	}
	if err := harnessMain(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "httpbench: FAIL: %v\n", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "httpbench: "+format+"\n", args...)
}
