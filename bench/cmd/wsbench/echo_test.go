//go:build linux

package main

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
)

// TestEchoServers starts every server in this process and checks a few
// echoes of each size, with and without permessage-deflate, through the
// load generator's own client.
func TestEchoServers(t *testing.T) {
	start := map[string]func(string) (string, error){
		"golws":   serveGolws,
		"gorilla": func(a string) (string, error) { return serveHTTP(a, gorillaHandler()) },
		"coder":   func(a string) (string, error) { return serveHTTP(a, coderHandler()) },
		"gobwas":  serveGobwas,
		"nbio":    serveNbio,
	}
	for _, impl := range allImpls {
		port, err := ctl.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		var addr string
		if impl == implLws {
			if addr = startLwsForTest(t, port); addr == "" {
				continue
			}
		} else if addr, err = start[impl](fmt.Sprintf("127.0.0.1:%d", port)); err != nil {
			t.Fatalf("%s: %v", impl, err)
		}
		for _, deflate := range []bool{false, true} {
			if deflate && impl == implLws && !lwsDeflate {
				continue
			}
			for _, size := range []int{16, 64, 300, 65536} {
				set, err := newMessageSet(size, deflate)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				c, err := dialWS(ctx, addr, nil, 7, set, 4096)
				cancel()
				if err != nil {
					t.Fatalf("%s deflate %v: %v", impl, deflate, err)
				}
				c.conn.SetDeadline(time.Now().Add(5 * time.Second))
				for seq := uint64(0); seq < 20; seq++ {
					if err := c.send(seq); err != nil {
						t.Fatal(err)
					}
					if err := c.receive(impl, seq); err != nil {
						t.Fatalf("%s deflate %v size %d: %v", impl, deflate, size, err)
					}
				}
				c.close()
			}
		}
	}
}

// startLwsForTest builds and starts lws-echo (pinned to CPU 0, as the
// harness runs it) and returns its address, or "" after logging why lws
// is skipped: no C compiler, pkg-config, libwebsockets-dev or taskset.
func startLwsForTest(t *testing.T, port int) string {
	t.Helper()
	b, err := buildLws()
	if err != nil {
		t.Logf("lws skipped: %v", err)
		return ""
	}
	t.Cleanup(b.cleanup)
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		t.Logf("lws skipped: no taskset")
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), ctl.StartOverhead)
	defer cancel()
	p, err := ctl.Start(ctx, implLws, lwsArgv(taskset, b, port), nil)
	if err != nil {
		t.Fatalf("lws: %v", err)
	}
	t.Cleanup(p.Kill)
	return p.Addr
}
