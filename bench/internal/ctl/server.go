//go:build linux

// Package ctl is the control channel between a benchmark harness and the
// server processes it starts. The harness writes one command per line on
// the server's stdin and reads one JSON reply per line from the server's
// original stdout:
//
//	stats  process counters (allocations, CPU time, RSS, heap)
//	gc     runtime.GC and debug.FreeOSMemory, then stats
//	fds    stats plus the number of open file descriptors
//
// The server side is Server; the harness side is Proc.
package ctl

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"

	"golang.org/x/sys/unix"
)

// Stats is one reply on the control channel. The server writes it by hand
// (see appendStats) and the harness decodes it with encoding/json.
type Stats struct {
	Mallocs    uint64 `json:"mallocs"`
	UtimeNs    int64  `json:"utime_ns"`
	StimeNs    int64  `json:"stime_ns"`
	RSSBytes   int64  `json:"rss_bytes"`
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Fds        int    `json:"fds,omitempty"`
	Error      string `json:"error,omitempty"`
}

// CPUNs is the user+system CPU time in the reply.
func (s Stats) CPUNs() int64 { return s.UtimeNs + s.StimeNs }

// Server is the server process's end of the channel.
type Server struct {
	out   *os.File // the harness's pipe, moved off fd 1
	statm *os.File
	buf   [256]byte
}

// NewServer takes the control channel: it moves it off fd 1 and opens
// /proc/self/statm. Call it before starting anything that may print.
func NewServer() (*Server, error) {
	out, err := takeStdout()
	if err != nil {
		return nil, err
	}
	statm, err := os.Open("/proc/self/statm")
	if err != nil {
		return nil, err
	}
	return &Server{out: out, statm: statm}, nil
}

// takeStdout moves the control channel off fd 1. Libraries (gnet, nbio)
// log to stdout by default, and any stray line there would corrupt the
// replies, so the harness's pipe gets a private descriptor and fd 1
// becomes a copy of stderr: whatever a library prints shows up in the
// harness's stderr.
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

// Ready tells the harness the server listens on addr.
func (s *Server) Ready(addr string) error {
	_, err := fmt.Fprintf(s.out, "ready %s\n", addr)
	return err
}

// Serve answers commands until stdin closes (the harness is gone). It
// reuses one reply buffer and reads commands with ReadSlice so that a
// stats call allocates (next to) nothing: its cost lands in the server's
// malloc count, which the harness reads per message.
func (s *Server) Serve() {
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
			reply = s.appendStats(reply, false)
		case "gc":
			runtime.GC()
			debug.FreeOSMemory()
			reply = s.appendStats(reply, false)
		case "fds":
			reply = s.appendStats(reply, true)
		default:
			reply = append(reply, `{"error":"unknown command"}`...)
		}
		reply = append(reply, '\n')
		if _, err := s.out.Write(reply); err != nil {
			return
		}
	}
}

// memStats is package level: too big to keep on the stack, and only the
// one Serve loop uses it.
var memStats runtime.MemStats

// appendStats appends the process counters as one JSON object.
func (s *Server) appendStats(b []byte, withFds bool) []byte {
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
	b = strconv.AppendInt(b, s.currentRSS(), 10)
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

var pageSize = int64(os.Getpagesize())

// currentRSS is the resident set size now (statm's second field), not
// getrusage's maxrss: an idle-memory phase needs the difference between
// two moments, and a high-water mark cannot go down.
func (s *Server) currentRSS() int64 {
	n, _ := s.statm.ReadAt(s.buf[:], 0)
	pages := parseStatmRSS(s.buf[:n])
	if pages < 0 {
		return -1
	}
	return pages * pageSize
}

// parseStatmRSS returns the second field of a statm line, in pages, or -1.
func parseStatmRSS(f []byte) int64 {
	// Skip the first field (total program size).
	i := bytes.IndexByte(f, ' ')
	if i < 0 {
		return -1
	}
	f = f[i+1:]
	if j := bytes.IndexByte(f, ' '); j >= 0 {
		f = f[:j]
	}
	if len(f) == 0 {
		return -1
	}
	var pages int64
	for _, c := range f {
		if c < '0' || c > '9' {
			return -1
		}
		pages = pages*10 + int64(c-'0')
	}
	return pages
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
