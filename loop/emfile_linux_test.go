//go:build linux

package loop

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const emfileChildEnv = "GOLWS_TEST_EMFILE_CHILD"

// emfileChild runs in a child process (its file limit must not hurt the
// other tests): an echo server whose RLIMIT_NOFILE leaves room for only a
// few connections, driven by the parent over stdin/stdout.
func emfileChild() {
	e, err := New(Config{Loops: 1})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ln, err := e.Listen("tcp4", "127.0.0.1:0", echo{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	// The runtime's own poller starts lazily and needs descriptors of its
	// own: start it before the limit bites.
	if r, w, err := os.Pipe(); err == nil {
		r.SetReadDeadline(time.Now())
		r.Close()
		w.Close()
	}
	ents, _ := os.ReadDir("/proc/self/fd")
	lim := uint64(len(ents) + 8)
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: lim, Max: 20000})
	fmt.Println("addr", ln.Addr())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch in.Text() {
		case "measure":
			c0 := cpuTime()
			time.Sleep(time.Second)
			fmt.Println("cpu", int64(cpuTime()-c0))
		case "done":
			e.Close()
			os.Exit(0)
		}
	}
}

func TestEMFILEBacksOff(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), emfileChildEnv+"=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewScanner(stdout)
	line := func() string {
		if !out.Scan() {
			t.Fatal("child exited")
		}
		return out.Text()
	}
	addr, ok := strings.CutPrefix(line(), "addr ")
	if !ok {
		t.Fatal("child did not start")
	}
	var conns []net.Conn
	for i := 0; i < 30; i++ {
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	served := make([]bool, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() { defer wg.Done(); served[i] = echoes(c, 500*time.Millisecond) }()
	}
	wg.Wait()
	n := 0
	for _, s := range served {
		if s {
			n++
		}
	}
	if n == 0 || n == len(conns) {
		t.Fatalf("%d of %d served: the file limit did not bite", n, len(conns))
	}
	fmt.Fprintln(stdin, "measure")
	var cpu int64
	fmt.Sscanf(line(), "cpu %d", &cpu)
	t.Logf("at EMFILE: %d of %d served; child used %v CPU in 1s", n, len(conns), time.Duration(cpu))
	if time.Duration(cpu) > 200*time.Millisecond {
		t.Fatalf("child used %v CPU in 1s at EMFILE: accept is spinning", time.Duration(cpu))
	}
	for i, c := range conns {
		if served[i] {
			c.Close()
		}
	}
	for i, c := range conns {
		if !served[i] && n > 0 {
			if !echoes(c, 3*time.Second) {
				t.Fatalf("conn %d not served after descriptors were freed", i)
			}
			n-- // only as many as were freed are sure to fit
		}
	}
	fmt.Fprintln(stdin, "done")
	cmd.Wait()
}
