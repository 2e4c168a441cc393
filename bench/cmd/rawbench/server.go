//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/golws/golws/loop"
	"github.com/golws/golws/raw"
	"github.com/lesismal/nbio"
	nbiolog "github.com/lesismal/nbio/logging"
	"github.com/panjf2000/gnet/v2"
	gnetlog "github.com/panjf2000/gnet/v2/pkg/logging"
	"golang.org/x/sys/unix"
)

// allImpls are the servers this binary can run, in report order.
var allImpls = []string{"golws", "gnet", "nbio", "net"}

// serverStats is one reply on the control channel. The server writes it by
// hand (see appendStats) and the harness decodes it with encoding/json.
type serverStats struct {
	Mallocs    uint64 `json:"mallocs"`
	UtimeNs    int64  `json:"utime_ns"`
	StimeNs    int64  `json:"stime_ns"`
	RSSBytes   int64  `json:"rss_bytes"`
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Fds        int    `json:"fds,omitempty"`
	Error      string `json:"error,omitempty"`
}

// serverMain runs one echo implementation and answers control commands
// read from stdin:
//
//	stats  process counters (allocations, CPU time, RSS, heap)
//	gc     runtime.GC and debug.FreeOSMemory, then stats
//	fds    stats plus the number of open file descriptors
//
// Each reply is one JSON line on the control channel (the original
// stdout). EOF on stdin means the harness is gone, and the server exits.
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
	if _, err := raiseNofile(); err != nil {
		return fail(err)
	}
	ctl, err := takeStdout()
	if err != nil {
		return fail(err)
	}
	if err := openStatm(); err != nil {
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
	if _, err := fmt.Fprintf(ctl, "ready %s\n", bound); err != nil {
		return fail(err)
	}
	serveControl(ctl)
	return 0
}

// takeStdout moves the control channel off fd 1. gnet and nbio log to
// stdout by default, and any stray line there would corrupt the replies,
// so the harness's pipe gets a private descriptor and fd 1 becomes a copy
// of stderr: whatever a library prints shows up in the harness's stderr.
func takeStdout() (*os.File, error) {
	fd, err := unix.FcntlInt(1, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil, fmt.Errorf("dup stdout: %w", err)
	}
	if err := unix.Dup3(2, 1, 0); err != nil {
		return nil, fmt.Errorf("redirect stdout to stderr: %w", err)
	}
	return os.NewFile(uintptr(fd), "control"), nil
}

// serveControl answers commands until stdin closes. It reuses one reply
// buffer and reads commands with ReadSlice so that a stats call allocates
// (next to) nothing: its cost lands in the server's malloc count, which the
// harness reads per message.
func serveControl(ctl *os.File) {
	in := bufio.NewReader(os.Stdin)
	reply := make([]byte, 0, 512)
	for {
		line, err := in.ReadSlice('\n')
		if err != nil {
			return // the harness closed our stdin or died
		}
		reply = reply[:0]
		switch string(bytes.TrimSpace(line)) { // no allocation: compiler special case
		case "stats":
			reply = appendStats(reply, false)
		case "gc":
			runtime.GC()
			debug.FreeOSMemory()
			reply = appendStats(reply, false)
		case "fds":
			reply = appendStats(reply, true)
		default:
			reply = append(reply, `{"error":"unknown command"}`...)
		}
		reply = append(reply, '\n')
		if _, err := ctl.Write(reply); err != nil {
			return
		}
	}
}

var (
	memStats  runtime.MemStats // package level: too big to keep on the stack
	statmFile *os.File
	statmBuf  [256]byte
	pageSize  = int64(os.Getpagesize())
)

func openStatm() error {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return err
	}
	statmFile = f
	return nil
}

// appendStats appends the process counters as one JSON object.
func appendStats(b []byte, withFds bool) []byte {
	runtime.ReadMemStats(&memStats)
	var ru unix.Rusage
	_ = unix.Getrusage(unix.RUSAGE_SELF, &ru)
	b = append(b, `{"mallocs":`...)
	b = strconv.AppendUint(b, memStats.Mallocs, 10)
	b = append(b, `,"utime_ns":`...)
	b = strconv.AppendInt(b, ru.Utime.Nano(), 10)
	b = append(b, `,"stime_ns":`...)
	b = strconv.AppendInt(b, ru.Stime.Nano(), 10)
	b = append(b, `,"rss_bytes":`...)
	b = strconv.AppendInt(b, currentRSS(), 10)
	b = append(b, `,"heap_inuse":`...)
	b = strconv.AppendUint(b, memStats.HeapInuse, 10)
	b = append(b, `,"stack_inuse":`...)
	b = strconv.AppendUint(b, memStats.StackInuse, 10)
	if withFds {
		b = append(b, `,"fds":`...)
		b = strconv.AppendInt(b, int64(openFds()), 10)
	}
	return append(b, '}')
}

// currentRSS is the resident set size now (statm's second field), not
// getrusage's maxrss: the idle phase needs the difference between two
// moments, and a high-water mark cannot go down.
func currentRSS() int64 {
	n, _ := statmFile.ReadAt(statmBuf[:], 0)
	f := statmBuf[:n]
	// Skip the first field (total program size).
	i := bytes.IndexByte(f, ' ')
	if i < 0 {
		return -1
	}
	f = f[i+1:]
	if j := bytes.IndexByte(f, ' '); j >= 0 {
		f = f[:j]
	}
	var pages int64
	for _, c := range f {
		if c < '0' || c > '9' {
			return -1
		}
		pages = pages*10 + int64(c-'0')
	}
	return pages * pageSize
}

// openFds counts this process's descriptors; the harness uses it to see
// that every connection reached the server and that closed ones are gone.
func openFds() int {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return -1
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return -1
	}
	return len(names) - 1 // the directory's own descriptor is listed too
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
