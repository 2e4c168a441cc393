//go:build linux

package main

import (
	"context"
	"fmt"
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
		addr, err := start[impl](fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatalf("%s: %v", impl, err)
		}
		for _, deflate := range []bool{false, true} {
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
