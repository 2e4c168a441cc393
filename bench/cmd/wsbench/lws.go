//go:build linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// lws is libwebsockets, the one server here not written in Go: our own
// echo program in C (bench/lws-echo/echo.c) against the system's
// libwebsockets, built by the harness at start with cc and pkg-config.
// It answers the control channel itself (stats from getrusage and
// /proc/self/statm, "gc" runs malloc_trim); it has no malloc counter,
// so its allocations are n/a, and it has no Go heap or stacks.
const implLws = "lws"

// noAllocCount are the implementations whose mallocs the control channel
// cannot count (the report prints n/a).
func noAllocCount(impl string) bool { return impl == implLws }

// lwsBuild is the built lws-echo and the library's version.
type lwsBuild struct {
	bin     string
	version string
	dir     string // temporary directory holding bin; removed by cleanup
}

func (b *lwsBuild) cleanup() {
	if b != nil && b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

// lwsSource finds bench/lws-echo/echo.c: next to this source file (go run,
// go test) or under the working directory (bench or bench/cmd/wsbench).
func lwsSource() (string, error) {
	var cands []string
	if _, file, _, ok := runtime.Caller(0); ok {
		cands = append(cands, filepath.Join(filepath.Dir(file), "..", "..", "lws-echo", "echo.c"))
	}
	cands = append(cands, filepath.Join("lws-echo", "echo.c"), filepath.Join("..", "..", "lws-echo", "echo.c"))
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", errors.New("bench/lws-echo/echo.c not found (run from the bench directory)")
}

// buildLws compiles lws-echo into a temporary directory:
// cc -O2 -o DIR/lws-echo echo.c $(pkg-config --cflags --libs libwebsockets).
// The error says what is missing (cc, pkg-config, libwebsockets-dev).
func buildLws() (*lwsBuild, error) {
	src, err := lwsSource()
	if err != nil {
		return nil, err
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		return nil, errors.New("no C compiler (apt-get install gcc)")
	}
	pc, err := exec.LookPath("pkg-config")
	if err != nil {
		return nil, errors.New("no pkg-config (apt-get install pkg-config)")
	}
	ver, err := exec.Command(pc, "--modversion", "libwebsockets").Output()
	if err != nil {
		return nil, errors.New("pkg-config finds no libwebsockets (apt-get install libwebsockets-dev)")
	}
	flags, err := exec.Command(pc, "--cflags", "--libs", "libwebsockets").Output()
	if err != nil {
		return nil, fmt.Errorf("pkg-config --cflags --libs libwebsockets: %w", err)
	}
	dir, err := os.MkdirTemp("", "wsbench-lws-")
	if err != nil {
		return nil, err
	}
	b := &lwsBuild{bin: filepath.Join(dir, "lws-echo"), version: strings.TrimRight(strings.TrimSpace(string(ver)), "-"), dir: dir}
	args := append([]string{"-O2", "-o", b.bin, src}, strings.Fields(string(flags))...)
	args = append(args, "-lpthread")
	if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		b.cleanup()
		return nil, fmt.Errorf("cc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return b, nil
}

// lwsDeflate is whether lws-echo runs with lws's permessage-deflate
// (lws_extension_callback_pm_deflate). It does not: with libwebsockets
// 4.1.6 the echo test (one connection, 20 messages of each size) passes
// with deflate, but under load (64 KiB × 1,000 connections) lws's inflate
// fails on the generator's valid messages ("zlib error inflate -3:
// invalid distance too far back") and drops those connections. So lws
// is measured without deflate only; the harness skips its deflate points.
const lwsDeflate = false

// lwsArgv is the command line of the lws server on port: pinned to CPU 0
// like every other server.
func lwsArgv(taskset string, b *lwsBuild, port int) []string {
	argv := []string{taskset, "-c", "0", b.bin, fmt.Sprint(port)}
	if lwsDeflate {
		argv = append(argv, "deflate")
	}
	return argv
}
