//go:build linux

// Command wsbench measures WebSocket echo servers side by side: golws
// against gorilla/websocket, coder/websocket, gobwas/ws and nbio's
// websocket, all built into this one binary so every implementation runs
// under the same compiler, flags and pinning.
//
//	wsbench [flags]                                   run the harness (default)
//	wsbench server -impl NAME -addr HOST:PORT         serve one implementation
//	wsbench idle-client -addr HOST:PORT -n N -src IP  hold N idle connections
//
// The harness re-executes itself as the server under `taskset -c 0` with
// GOMAXPROCS=1 and pins itself, the load generator, to CPU 1. See
// bench/README.md.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "server":
			os.Exit(serverMain(os.Args[2:]))
		case "idle-client":
			os.Exit(idleClientMain(os.Args[2:]))
		}
	}
	if err := harnessMain(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "wsbench: FAIL: %v\n", err)
		os.Exit(1)
	}
}
