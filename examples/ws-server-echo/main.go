// Command ws-server-echo is lws's minimal-ws-server-echo: a WebSocket
// server that sends every message back as it came, text or binary, on any
// path. It is the server to point the Autobahn fuzzing client at (port
// 9001, as in lws's CI): messages up to 16 MiB, permessage-deflate, and
// the same WebSocket over HTTP/1.1 (Upgrade: websocket) and over HTTP/2
// (cleartext h2c, extended CONNECT of RFC 8441) on the one port.
//
//	go run ./examples/ws-server-echo -port 9001
//
// then, for instance, websocat ws://localhost:9001/ (-port 0 picks a free
// port; the URL printed says which). SIGINT or SIGTERM closes the open
// WebSockets with 1001 (going away) and exits once they are gone.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/golws/golws"
)

// echo is the protocol: its callbacks run on the connection's event loop.
type echo struct{}

func (echo) OnOpen(*golws.WebSocket, *golws.Request) {}

// OnMessage gets each message whole (WSOptions.Fragments is off); data is
// only valid during the call, which is fine: the write copies it.
func (echo) OnMessage(s *golws.WebSocket, text bool, data []byte, final bool) {
	if text {
		s.WriteText(data)
	} else {
		s.WriteBinary(data)
	}
}

func (echo) OnClose(*golws.WebSocket, uint16, []byte) {}

func main() {
	port := flag.Int("port", 9001, "TCP port (0: any free port)")
	flag.Parse()
	if err := run(*port); err != nil {
		fmt.Fprintln(os.Stderr, "ws-server-echo:", err)
		os.Exit(1)
	}
}

func run(port int) error {
	ctx, err := golws.New(golws.Config{})
	if err != nil {
		return err
	}
	vh := ctx.Vhost("default")
	// "/" is every path. A client offering no subprotocol, or others,
	// gets the first (here the only) protocol.
	vh.WebSocket("/", golws.WSOptions{MaxMessage: 16 << 20, Compression: true},
		golws.Protocol("lws-minimal-server-echo", echo{}))
	// Signals are caught before the URL is printed: whoever waits for it
	// may stop the server at once.
	sig, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// Listen's port speaks HTTP/1.1 and, when a connection starts with
	// the HTTP/2 preface, h2c: both carry WebSockets.
	addr, err := ctx.Listen("tcp", fmt.Sprintf(":%d", port))
	if err != nil {
		return err
	}
	fmt.Printf("ws-server-echo: ws://localhost:%d/\n", addr.(*net.TCPAddr).Port)

	<-sig.Done()
	// Stop accepting, close the WebSockets with 1001 and wait a little
	// for their closing handshakes.
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ctx.Shutdown(c); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown: deadline passed, remaining connections aborted:", err)
	}
	return nil
}
