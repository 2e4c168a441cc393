// Command ws-server-mirror is lws's "mirror" chat (the lws-mirror-protocol
// of lws's test server, lws's minimal-ws-server): a page at "/" with a text
// box, and a WebSocket at "/ws" where every message any client sends goes
// to every connected client, the sender included, whichever event loop
// each is on (Context.Broadcast).
//
//	go run ./examples/ws-server-mirror -port 7681
//
// then open http://localhost:7681/ in two browser windows and type in
// either. SIGINT or SIGTERM shuts down gracefully.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/golws/golws"
)

//go:embed mirror.html
var page []byte

// protocol is the subprotocol the page asks for.
const protocol = "lws-mirror-protocol"

// mirror is the protocol. Its callbacks run on the event loop of the
// connection concerned; Broadcast hands the message to every loop.
type mirror struct{ ctx *golws.Context }

func (*mirror) OnOpen(*golws.WebSocket, *golws.Request) {}

func (m *mirror) OnMessage(s *golws.WebSocket, text bool, data []byte, final bool) {
	// data is valid during this call only, and the broadcast runs later,
	// on every loop at once: it gets its own copy, read-only from then on.
	msg := bytes.Clone(data)
	send := func(s *golws.WebSocket) {
		if !s.Writable() {
			// Its output has backed up past the loop's cap (1 MiB by
			// default): a client that does not read is dropped, as lws
			// drops one that lags too far behind, rather than letting
			// its queue grow without bound.
			s.Close(1008, "too slow")
			return
		}
		if text {
			s.WriteText(msg)
		} else {
			s.WriteBinary(msg)
		}
	}
	// Broadcast finds sockets by the subprotocol they negotiated: the
	// page's, and "" for a client that asked for none (it gets this
	// protocol all the same, as the mount's first).
	m.ctx.Broadcast(protocol, send)
	m.ctx.Broadcast("", send)
}

func (*mirror) OnClose(*golws.WebSocket, uint16, []byte) {}

func main() {
	port := flag.Int("port", 7681, "TCP port (0: any free port)")
	flag.Parse()
	if err := run(*port); err != nil {
		fmt.Fprintln(os.Stderr, "ws-server-mirror:", err)
		os.Exit(1)
	}
}

func run(port int) error {
	ctx, err := golws.New(golws.Config{})
	if err != nil {
		return err
	}
	vh := ctx.Vhost("default")
	vh.HandleFunc("/", func(w *golws.Response, r *golws.Request) {
		if p := string(r.Path()); p != "/" && p != "/index.html" {
			w.Error(404, "not found")
			return
		}
		w.ContentType("text/html; charset=utf-8")
		w.Write(page)
	})
	// A WebSocket mount answers a plain GET with 426, so the page and the
	// WebSocket have paths of their own. Pings find clients gone away
	// without a word.
	vh.WebSocket("/ws", golws.WSOptions{MaxMessage: 64 << 10, PingInterval: 30 * time.Second, PongTimeout: 10 * time.Second},
		golws.Protocol(protocol, &mirror{ctx: ctx}))
	// Signals are caught before the URL is printed: whoever waits for it
	// may stop the server at once.
	sig, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	addr, err := ctx.Listen("tcp", fmt.Sprintf(":%d", port))
	if err != nil {
		return err
	}
	fmt.Printf("ws-server-mirror: http://localhost:%d/\n", addr.(*net.TCPAddr).Port)

	<-sig.Done()
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ctx.Shutdown(c); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown: deadline passed, remaining connections aborted:", err)
	}
	return nil
}
