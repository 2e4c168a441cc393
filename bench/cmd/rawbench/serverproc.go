//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// serverProc is a running `rawbench server` child and its control channel.
type serverProc struct {
	impl  string
	addr  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string // control lines from the child; closed when it exits
	// exited is closed once the child has been reaped; exitErr is then
	// its wait status.
	exited  chan struct{}
	exitErr error
	// statsAllocs is what one stats round trip allocates in the server,
	// measured at start and subtracted from each window's malloc count.
	statsAllocs uint64
	// baseFds is the server's descriptor count with no client connected.
	baseFds  int
	affinity string
}

// Phase deadlines for control traffic. A server busy echoing for 1000
// connections on one core still answers within milliseconds; seconds mean
// it is wedged.
const (
	readyTimeout   = 15 * time.Second
	controlTimeout = 10 * time.Second
	killTimeout    = 5 * time.Second
)

// startServer launches impl under `taskset -c 0` with GOMAXPROCS=1 and
// waits for its ready line.
func startServer(ctx context.Context, taskset, impl string) (*serverProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(taskset, "-c", "0", self, "server", "-impl", impl, "-addr", addr)
	cmd.Env = append(withoutEnv(os.Environ(), "GOMAXPROCS"), "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr // library logs and crashes show up as they happen
	// Should the harness die without cleaning up, the kernel kills the
	// server too (the server also exits on EOF on its stdin).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s server: %w", impl, err)
	}
	s := &serverProc{impl: impl, cmd: cmd, stdin: stdin, lines: make(chan string, 4), exited: make(chan struct{})}
	// One goroutine owns Wait, so a crash is noticed and reaped whoever
	// is looking. Wait closes the stdout pipe, which is fine: a reply lost
	// to a dying server is an error either way.
	go func() {
		s.exitErr = cmd.Wait()
		close(s.exited)
	}()
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()

	line, err := s.readLine(ctx, readyTimeout)
	if err != nil {
		s.kill()
		return nil, fmt.Errorf("%s server did not become ready: %w", impl, err)
	}
	bound, ok := strings.CutPrefix(line, "ready ")
	if !ok {
		s.kill()
		return nil, fmt.Errorf("%s server: expected a ready line, got %q", impl, line)
	}
	s.addr = bound

	// taskset execs the server in place, so the PID is the server's.
	if s.affinity, err = cpusAllowed(cmd.Process.Pid); err != nil || s.affinity != "0" {
		s.kill()
		return nil, fmt.Errorf("%s server is not pinned to CPU 0 (Cpus_allowed_list %q, %v)", impl, s.affinity, err)
	}

	// Calibrate: with nothing else going on, the malloc count between two
	// back-to-back stats calls is what one stats round trip costs. The
	// smallest of a few such gaps leaves out one-off work the process
	// does just after start (first use of buffers, runtime background).
	prev, err := s.request(ctx, "stats")
	if err != nil {
		s.kill()
		return nil, err
	}
	s.statsAllocs = ^uint64(0)
	for range 5 {
		st, err := s.request(ctx, "stats")
		if err != nil {
			s.kill()
			return nil, err
		}
		s.statsAllocs = min(s.statsAllocs, st.Mallocs-prev.Mallocs)
		prev = st
	}
	fd, err := s.request(ctx, "fds")
	if err != nil {
		s.kill()
		return nil, err
	}
	s.baseFds = fd.Fds
	return s, nil
}

// readLine waits for the next control line.
func (s *serverProc) readLine(ctx context.Context, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case line, ok := <-s.lines:
		if !ok {
			return "", fmt.Errorf("%s server exited (%v)", s.impl, s.waitExit())
		}
		return line, nil
	case <-t.C:
		return "", fmt.Errorf("%s server: no reply within %v", s.impl, timeout)
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// waitExit reports how the child ended, without waiting forever.
func (s *serverProc) waitExit() error {
	select {
	case <-s.exited:
		if s.exitErr == nil {
			return errors.New("exit status 0")
		}
		return s.exitErr
	case <-time.After(killTimeout):
		return errors.New("closed its control channel but is still running")
	}
}

// request sends one control command and decodes the reply.
func (s *serverProc) request(ctx context.Context, cmd string) (serverStats, error) {
	var st serverStats
	if _, err := io.WriteString(s.stdin, cmd+"\n"); err != nil {
		// Most likely the server died (perhaps while it sat idle waiting
		// for its turn); its exit status says more than the broken pipe.
		select {
		case <-s.exited:
			return st, fmt.Errorf("%s server exited (%v) before %q", s.impl, s.waitExit(), cmd)
		default:
		}
		return st, fmt.Errorf("%s server: send %q: %w", s.impl, cmd, err)
	}
	line, err := s.readLine(ctx, controlTimeout)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(line), &st); err != nil {
		return st, fmt.Errorf("%s server: bad reply to %q: %q: %w", s.impl, cmd, line, err)
	}
	if st.Error != "" {
		return st, fmt.Errorf("%s server: %q: %s", s.impl, cmd, st.Error)
	}
	return st, nil
}

// waitFds polls until the server holds at most want descriptors (closed
// connections fully released) or timeout passes; it returns the last count.
func (s *serverProc) waitFds(ctx context.Context, want int, timeout time.Duration) (int, error) {
	end := time.Now().Add(timeout)
	for {
		st, err := s.request(ctx, "fds")
		if err != nil {
			return 0, err
		}
		if st.Fds <= want || time.Now().After(end) {
			return st.Fds, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the child by its PID (SIGKILL) and waits until it is reaped.
// Safe to call more than once and after the child died on its own.
func (s *serverProc) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.stdin.Close()
	_ = s.cmd.Process.Kill() // os.Process.Kill signals exactly this PID
	select {
	case <-s.exited:
	case <-time.After(killTimeout):
		fmt.Fprintf(os.Stderr, "rawbench: %s server (pid %d) not reaped after SIGKILL\n", s.impl, s.cmd.Process.Pid)
	}
}

// freePort asks the kernel for an unused port. gnet cannot report the port
// it bound, so every server is given an explicit one. The tiny window
// between closing this probe and the server binding is harmless on a
// machine running nothing else on loopback.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func withoutEnv(env []string, key string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}
