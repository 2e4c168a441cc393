//go:build linux

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
)

// idleResult is one row of the idle-memory table.
type idleResult struct {
	impl         string
	conns        int
	rssPerConn   float64
	heapPerConn  float64
	stackPerConn float64
	serverFds    int
}

const (
	idleMsgSize = 64
	// idlePerProc is how many connections one idle-client process holds:
	// well under the 20,000 open files a process may have here.
	idlePerProc = 5000
	// settleTimeout bounds the wait for the server to release closed
	// connections.
	settleTimeout = 20 * time.Second
	// idleTimeout bounds every idle client's dialling and first echo.
	idleTimeout = 120 * time.Second
)

// idleClientMain is one idle-client process: it opens -n WebSockets from
// local address -src, echoes one 64-byte message on each and checks it,
// prints "ready" on stdout, and holds the connections until its stdin
// closes. Any failure is one "error ..." line and exit status 1.
func idleClientMain(args []string) int {
	fs := flag.NewFlagSet("idle-client", flag.ContinueOnError)
	addr := fs.String("addr", "", "server address")
	n := fs.Int("n", 1000, "connections")
	src := fs.String("src", "127.0.0.1", "local IP address to dial from")
	first := fs.Int("first", 0, "id of the first connection")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Printf("error %v\n", err)
		return 1
	}
	if _, err := machine.RaiseNofile(); err != nil {
		return fail(err)
	}
	ip := net.ParseIP(*src)
	if ip == nil {
		return fail(fmt.Errorf("bad -src %q", *src))
	}
	set, err := newMessageSet(idleMsgSize, false)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), idleTimeout)
	defer cancel()
	clients, err := dialN(ctx, *addr, &net.TCPAddr{IP: ip}, set, *n, uint32(*first))
	if err != nil {
		return fail(err)
	}
	if err := echoOnce(ctx, clients); err != nil {
		closeAll(clients)
		return fail(err)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin) // until the harness closes it
	for _, c := range clients {
		c.conn.Close()
	}
	return 0
}

// echoOnce sends one message on every connection and checks its echo, a
// few dozen connections at a time.
func echoOnce(ctx context.Context, clients []*wsClient) error {
	deadline, _ := ctx.Deadline()
	fail := newFailure()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(clients), 32) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(clients) || ctx.Err() != nil {
					return
				}
				c := clients[i]
				err := c.conn.SetDeadline(deadline)
				if err == nil {
					err = c.send(0)
				}
				if err == nil {
					err = c.receive("idle", 0)
				}
				if err == nil {
					err = c.conn.SetDeadline(noDeadline)
				}
				if err != nil {
					fail.set(fmt.Errorf("connection %d: %w", c.id, err))
					return
				}
			}
		}()
	}
	wg.Wait()
	if fail.err != nil {
		return fail.err
	}
	return ctx.Err()
}

// idleProc is a running idle-client child.
type idleProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	line  chan string
	done  chan struct{}
}

// runIdle measures what n open, idle WebSockets cost the server: RSS,
// heap and stack after a forced GC, before and after. The connections
// come from several idle-client processes (each limited to 20,000 open
// files), each dialling from its own 127.0.0.x address.
func runIdle(ctx context.Context, taskset string, s *ctl.Proc, n int) (idleResult, []string, error) {
	res := idleResult{impl: s.Name, conns: n}
	var notes []string
	if fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout); err != nil {
		return res, nil, err
	} else if fds > s.BaseFds {
		notes = append(notes, fmt.Sprintf("%s: before the idle phase the server still held %d descriptors over its baseline", s.Name, fds-s.BaseFds))
	}
	before, err := s.Request(ctx, "gc")
	if err != nil {
		return res, nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return res, nil, err
	}
	var procs []*idleProc
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	for i, first := 0, 0; first < n; i++ {
		k := min(idlePerProc, n-first)
		p, err := startIdleClient(taskset, self, s.Addr, fmt.Sprintf("127.0.0.%d", 2+i), k, first)
		if err != nil {
			return res, nil, err
		}
		procs = append(procs, p)
		first += k
	}
	for i, p := range procs {
		select {
		case line := <-p.line:
			if line != "ready" {
				return res, nil, fmt.Errorf("%s idle client %d: %s", s.Name, i, line)
			}
		case <-time.After(idleTimeout + 10*time.Second):
			return res, nil, fmt.Errorf("%s idle client %d: not ready after %v", s.Name, i, idleTimeout)
		case <-ctx.Done():
			return res, nil, context.Cause(ctx)
		}
	}
	fd, err := s.Request(ctx, "fds")
	if err != nil {
		return res, nil, err
	}
	res.serverFds = fd.Fds
	if fd.Fds < s.BaseFds+n {
		notes = append(notes, fmt.Sprintf("%s: with %d idle connections open the server held only %d descriptors over its baseline", s.Name, n, fd.Fds-s.BaseFds))
	}
	after, err := s.Request(ctx, "gc")
	if err != nil {
		return res, nil, err
	}
	res.rssPerConn = float64(after.RSSBytes-before.RSSBytes) / float64(n)
	res.heapPerConn = (float64(after.HeapInuse) - float64(before.HeapInuse)) / float64(n)
	res.stackPerConn = (float64(after.StackInuse) - float64(before.StackInuse)) / float64(n)

	for _, p := range procs {
		p.stop()
	}
	procs = nil
	fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout)
	if err != nil {
		return res, nil, err
	}
	if fds > s.BaseFds {
		notes = append(notes, fmt.Sprintf("%s: %v after closing the idle connections the server still held %d of them", s.Name, settleTimeout, fds-s.BaseFds))
	}
	return res, notes, nil
}

func startIdleClient(taskset, self, addr, src string, n, first int) (*idleProc, error) {
	cmd := exec.Command(taskset, "-c", "1", self, "idle-client", "-addr", addr, "-n", fmt.Sprint(n), "-src", src, "-first", fmt.Sprint(first))
	cmd.Env = append(ctl.WithoutEnv(os.Environ(), "GOMAXPROCS"), "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
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
		return nil, fmt.Errorf("start idle client: %w", err)
	}
	p := &idleProc{cmd: cmd, stdin: stdin, line: make(chan string, 1), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			p.line <- strings.TrimSpace(sc.Text())
		} else {
			p.line <- "exited without a word"
		}
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop closes the child's stdin (it then closes its connections and
// exits) and kills it by PID if it has not exited within the kill
// timeout.
func (p *idleProc) stop() {
	p.stdin.Close()
	select {
	case <-p.done:
		return
	case <-time.After(ctl.KillTimeout):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(ctl.KillTimeout):
		logf("idle client pid %d not reaped after SIGKILL", p.cmd.Process.Pid)
	}
}
