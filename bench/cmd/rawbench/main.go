//go:build linux

// Command rawbench measures raw TCP echo servers side by side: golws's
// event loop against gnet, nbio and a goroutine-per-connection net server,
// all built into this one binary so every implementation runs under the
// same compiler, flags and pinning.
//
//	rawbench [flags]                              run the harness (default)
//	rawbench server -impl NAME -addr HOST:PORT    serve one implementation
//
// The harness re-executes itself as the server under `taskset -c 0` with
// GOMAXPROCS=1 and pins itself, the load generator, to CPU 1, so server and
// generator never compete for a core. See bench/README.md.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "server" {
		os.Exit(serverMain(os.Args[2:]))
	}
	if err := harnessMain(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "rawbench: FAIL: %v\n", err)
		os.Exit(1)
	}
}
