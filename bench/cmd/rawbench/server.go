//go:build linux

package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/raw"
	"github.com/lesismal/nbio"
	nbiolog "github.com/lesismal/nbio/logging"
	"github.com/panjf2000/gnet/v2"
	gnetlog "github.com/panjf2000/gnet/v2/pkg/logging"
)

// allImpls are the servers this binary can run, in report order.
var allImpls = []string{"golws", "gnet", "nbio", "net"}

// serverMain runs one echo implementation and answers the harness's
// control commands (package ctl: stats, gc, fds) read from stdin, one JSON
// line per reply on the original stdout. EOF on stdin means the harness is
// gone, and the server exits.
func serverMain(args []string) int {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	impl := fs.String("impl", "golws", "implementation: golws, gnet, nbio or net")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (gnet needs an explicit port)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "rawbench server %s: %v\n", *impl, err)
		return 1
	}
	if _, err := machine.RaiseNofile(); err != nil {
		return fail(err)
	}
	ctlSrv, err := ctl.NewServer()
	if err != nil {
		return fail(err)
	}
	var bound string
	switch *impl {
	case "golws":
		bound, err = serveGolws(*addr)
	case "gnet":
		bound, err = serveGnet(*addr)
	case "nbio":
		bound, err = serveNbio(*addr)
	case "net":
		bound, err = serveNet(*addr)
	default:
		err = fmt.Errorf("unknown implementation %q", *impl)
	}
	if err != nil {
		return fail(err)
	}
	if err := ctlSrv.Ready(bound); err != nil {
		return fail(err)
	}
	ctlSrv.Serve()
	return 0
}

// serveGolws is the library under test: one loop, the ready-made echo.
func serveGolws(addr string) (string, error) {
	e, err := loop.New(loop.Config{Loops: 1})
	if err != nil {
		return "", err
	}
	ln, err := e.Listen("tcp", addr, raw.Echo{})
	if err != nil {
		e.Close()
		return "", err
	}
	return ln.Addr().String(), nil
}

// gnetEcho echoes what OnTraffic finds, in the way gnet's own echo
// example does: take everything buffered and write it back.
type gnetEcho struct {
	gnet.BuiltinEventEngine
	booted chan struct{}
}

func (h *gnetEcho) OnBoot(gnet.Engine) gnet.Action {
	close(h.booted)
	return gnet.None
}

func (h *gnetEcho) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Next(-1)
	if _, err := c.Write(buf); err != nil {
		return gnet.Close
	}
	return gnet.None
}

// serveGnet runs gnet with one event loop. gnet.Run blocks for the life
// of the engine, so it runs in its own goroutine and OnBoot says when the
// listener is up.
func serveGnet(addr string) (string, error) {
	h := &gnetEcho{booted: make(chan struct{})}
	errc := make(chan error, 1)
	go func() {
		errc <- gnet.Run(h, "tcp://"+addr,
			gnet.WithMulticore(false),
			gnet.WithNumEventLoop(1),
			gnet.WithTCPNoDelay(gnet.TCPNoDelay),
			gnet.WithLogLevel(gnetlog.ErrorLevel))
	}()
	select {
	case <-h.booted:
		return addr, nil
	case err := <-errc:
		if err == nil {
			err = errors.New("gnet.Run returned before boot")
		}
		return "", err
	case <-time.After(10 * time.Second):
		return "", errors.New("gnet did not boot within 10s")
	}
}

// serveNbio runs nbio with one poller, echoing in OnData.
func serveNbio(addr string) (string, error) {
	nbiolog.SetLevel(nbiolog.LevelError)
	g := nbio.NewEngine(nbio.Config{
		Network: "tcp",
		Addrs:   []string{addr},
		NPoller: 1,
	})
	g.OnData(func(c *nbio.Conn, data []byte) {
		if _, err := c.Write(data); err != nil {
			c.Close()
		}
	})
	if err := g.Start(); err != nil {
		return "", err
	}
	return g.Addrs[0], nil // Start fills in the bound address
}

// serveNet is the baseline most Go servers start from: a goroutine per
// connection with blocking reads and writes through the runtime netpoller.
func serveNet(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				// EMFILE and friends: back off instead of spinning.
				fmt.Fprintf(os.Stderr, "rawbench server net: accept: %v\n", err)
				time.Sleep(10 * time.Millisecond)
				continue
			}
			go netEcho(c)
		}
	}()
	return ln.Addr().String(), nil
}

func netEcho(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
