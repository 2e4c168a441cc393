//go:build linux

package ctl

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
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/golws/golws/bench/internal/machine"
)

// Proc is a running server child and the harness's end of its control
// channel.
type Proc struct {
	Name  string // what the harness calls it, for messages
	Addr  string // where the server listens, from its ready line
	Cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string // control lines from the child; closed when it exits
	// exited is closed once the child has been reaped; exitErr is then
	// its wait status.
	exited  chan struct{}
	exitErr error
	// StatsAllocs is what one stats round trip allocates in the server,
	// measured at start; a harness subtracts it from a window's mallocs.
	StatsAllocs uint64
	// BaseFds is the server's descriptor count with no client connected.
	BaseFds int
	// Affinity is the server's Cpus_allowed_list, checked to be "0".
	Affinity string
}

// Phase deadlines for control traffic. A server busy with a thousand
// connections on one core still answers within milliseconds; seconds mean
// it is wedged.
const (
	ReadyTimeout   = 15 * time.Second
	ControlTimeout = 10 * time.Second
	KillTimeout    = 5 * time.Second
)

// StartOverhead is the longest Start may take: the ready line and the
// seven control round trips of the calibration.
const StartOverhead = ReadyTimeout + 7*ControlTimeout

// Start runs argv (typically taskset -c 0 followed by this executable and
// its server subcommand) with env, waits for the child's "ready ADDR"
// line, checks that it runs on CPU 0 only, and calibrates StatsAllocs and
// BaseFds. argv[0] must exec the server in place (as taskset does), so the
// child's PID is the server's.
func Start(ctx context.Context, name string, argv, env []string) (*Proc, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
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
		return nil, fmt.Errorf("start %s server: %w", name, err)
	}
	s := &Proc{Name: name, Cmd: cmd, stdin: stdin, lines: make(chan string, 4), exited: make(chan struct{})}
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
	if err := s.setUp(ctx); err != nil {
		s.Kill()
		return nil, err
	}
	return s, nil
}

// setUp waits for the ready line, checks the pinning and calibrates.
func (s *Proc) setUp(ctx context.Context) error {
	line, err := s.readLine(ctx, ReadyTimeout)
	if err != nil {
		return fmt.Errorf("%s server did not become ready: %w", s.Name, err)
	}
	bound, ok := strings.CutPrefix(line, "ready ")
	if !ok {
		return fmt.Errorf("%s server: expected a ready line, got %q", s.Name, line)
	}
	s.Addr = bound
	if s.Affinity, err = machine.CPUsAllowed(s.PID()); err != nil || s.Affinity != "0" {
		return fmt.Errorf("%s server is not pinned to CPU 0 (Cpus_allowed_list %q, %v)", s.Name, s.Affinity, err)
	}
	// Calibrate: with nothing else going on, the malloc count between two
	// back-to-back stats calls is what one stats round trip costs. The
	// smallest of a few such gaps leaves out one-off work the process
	// does just after start (first use of buffers, runtime background).
	prev, err := s.Request(ctx, "stats")
	if err != nil {
		return err
	}
	s.StatsAllocs = ^uint64(0)
	for range 5 {
		st, err := s.Request(ctx, "stats")
		if err != nil {
			return err
		}
		s.StatsAllocs = min(s.StatsAllocs, st.Mallocs-prev.Mallocs)
		prev = st
	}
	fd, err := s.Request(ctx, "fds")
	if err != nil {
		return err
	}
	s.BaseFds = fd.Fds
	return nil
}

// PID is the server's process id.
func (s *Proc) PID() int { return s.Cmd.Process.Pid }

// readLine waits for the next control line.
func (s *Proc) readLine(ctx context.Context, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case line, ok := <-s.lines:
		if !ok {
			return "", fmt.Errorf("%s server exited (%v)", s.Name, s.waitExit())
		}
		return line, nil
	case <-t.C:
		return "", fmt.Errorf("%s server: no reply within %v", s.Name, timeout)
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// waitExit reports how the child ended, without waiting forever.
func (s *Proc) waitExit() error {
	select {
	case <-s.exited:
		if s.exitErr == nil {
			return errors.New("exit status 0")
		}
		return s.exitErr
	case <-time.After(KillTimeout):
		return errors.New("closed its control channel but is still running")
	}
}

// Request sends one control command and decodes the reply.
func (s *Proc) Request(ctx context.Context, cmd string) (Stats, error) {
	var st Stats
	if _, err := io.WriteString(s.stdin, cmd+"\n"); err != nil {
		// Most likely the server died (perhaps while it sat idle waiting
		// for its turn); its exit status says more than the broken pipe.
		select {
		case <-s.exited:
			return st, fmt.Errorf("%s server exited (%v) before %q", s.Name, s.waitExit(), cmd)
		default:
		}
		return st, fmt.Errorf("%s server: send %q: %w", s.Name, cmd, err)
	}
	line, err := s.readLine(ctx, ControlTimeout)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(line), &st); err != nil {
		return st, fmt.Errorf("%s server: bad reply to %q: %q: %w", s.Name, cmd, line, err)
	}
	if st.Error != "" {
		return st, fmt.Errorf("%s server: %q: %s", s.Name, cmd, st.Error)
	}
	return st, nil
}

// WaitFds polls until the server holds at most want descriptors (closed
// connections fully released) or timeout passes; it returns the last count.
func (s *Proc) WaitFds(ctx context.Context, want int, timeout time.Duration) (int, error) {
	end := time.Now().Add(timeout)
	for {
		st, err := s.Request(ctx, "fds")
		if err != nil {
			return 0, err
		}
		if st.Fds <= want || time.Now().After(end) {
			return st.Fds, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill ends the child by its PID (SIGKILL) and waits until it is reaped.
// Safe to call more than once and after the child died on its own.
func (s *Proc) Kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.stdin.Close()
	_ = s.Cmd.Process.Kill() // os.Process.Kill signals exactly this PID
	select {
	case <-s.exited:
	case <-time.After(KillTimeout):
		fmt.Fprintf(os.Stderr, "%s: %s server (pid %d) not reaped after SIGKILL\n", filepath.Base(os.Args[0]), s.Name, s.PID())
	}
}

// FreePort asks the kernel for an unused port. gnet cannot report the port
// it bound, so every server is given an explicit one. The tiny window
// between closing this probe and the server binding is harmless on a
// machine running nothing else on loopback.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// WithoutEnv is env less every KEY=... entry.
func WithoutEnv(env []string, key string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}
