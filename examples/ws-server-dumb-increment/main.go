// Command ws-server-dumb-increment is lws's dumb-increment-protocol: once
// a WebSocket is open, the server sends it a counter as text, "0", "1",
// "2"..., one number every 50 ms; the message "reset\n" starts the count
// again from 0. It shows output driven by the server: a timer on the
// connection's event loop (lws's sul) asks for a writable callback
// (RequestWritable), and the number goes out in OnWritable (WSWritable),
// so a client that does not read is not sent more than it takes.
//
//	go run ./examples/ws-server-dumb-increment -port 7681
//
// then, for instance, websocat ws://localhost:7681/ (any path; -port 0
// picks a free port). SIGINT or SIGTERM shuts down gracefully.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/golws/golws"
	"github.com/golws/golws/loop"
)

// counter is one WebSocket's state, kept in its User.
type counter struct {
	s     *golws.WebSocket
	n     uint64
	every time.Duration
	tick  loop.Timer
	buf   [20]byte // the number's digits
}

// dumbIncrement is the protocol: its callbacks, and the timers, run on
// the connection's event loop, so the counter needs no lock.
type dumbIncrement struct{ every time.Duration }

func (d dumbIncrement) OnOpen(s *golws.WebSocket, r *golws.Request) {
	c := &counter{s: s, every: d.every}
	c.tick.F, c.tick.Arg = tick, c
	s.SetUser(c)
	s.Conn().Loop().Schedule(&c.tick, c.every)
}

// tick: time for the next number. It is written once the connection can
// take it; the timer is armed again at once, so that a slow client gets
// one number per writable callback, never a backlog.
func tick(t *loop.Timer) {
	c := t.Arg.(*counter)
	c.s.RequestWritable()
	c.s.Conn().Loop().Schedule(&c.tick, c.every)
}

func (dumbIncrement) OnWritable(s *golws.WebSocket) {
	c := s.User().(*counter)
	s.WriteText(strconv.AppendUint(c.buf[:0], c.n, 10))
	c.n++
}

func (dumbIncrement) OnMessage(s *golws.WebSocket, text bool, data []byte, final bool) {
	if text && string(data) == "reset\n" {
		s.User().(*counter).n = 0
	}
}

func (dumbIncrement) OnClose(s *golws.WebSocket, code uint16, reason []byte) {
	c := s.User().(*counter)
	s.Conn().Loop().Cancel(&c.tick)
}

func main() {
	port := flag.Int("port", 7681, "TCP port (0: any free port)")
	every := flag.Duration("interval", 50*time.Millisecond, "time between numbers")
	flag.Parse()
	if err := run(*port, *every); err != nil {
		fmt.Fprintln(os.Stderr, "ws-server-dumb-increment:", err)
		os.Exit(1)
	}
}

func run(port int, every time.Duration) error {
	if every <= 0 {
		return fmt.Errorf("-interval must be positive")
	}
	ctx, err := golws.New(golws.Config{})
	if err != nil {
		return err
	}
	ctx.Vhost("default").WebSocket("/", golws.WSOptions{MaxMessage: 1 << 10},
		golws.Protocol("dumb-increment-protocol", dumbIncrement{every: every}))
	// Signals are caught before the URL is printed: whoever waits for it
	// may stop the server at once.
	sig, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	addr, err := ctx.Listen("tcp", fmt.Sprintf(":%d", port))
	if err != nil {
		return err
	}
	fmt.Printf("ws-server-dumb-increment: ws://localhost:%d/\n", addr.(*net.TCPAddr).Port)

	<-sig.Done()
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ctx.Shutdown(c); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown: deadline passed, remaining connections aborted:", err)
	}
	return nil
}
