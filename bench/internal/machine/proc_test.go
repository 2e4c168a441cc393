//go:build linux

package machine

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	// A command name with a space and a parenthesis, as nginx's
	// "nginx: worker process" or a hostile name might have.
	line := "4242 (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 123 45 0 0 20 0 1 0 1000 1000000 200 18446744073709551615\n"
	st, err := parseProcStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if st.PID != 4242 || st.PPID != 17 || st.CPU != 168*10*time.Millisecond {
		t.Errorf("got %+v, want pid 4242, ppid 17, cpu 1.68s", st)
	}
	for _, bad := range []string{"", "12 (x", "12 (x) S 1 2"} {
		if _, err := parseProcStat([]byte(bad)); err == nil {
			t.Errorf("parseProcStat(%q) succeeded", bad)
		}
	}
}

func TestProcTreeSelf(t *testing.T) {
	tree, err := ProcTree(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if tree[0].PID != os.Getpid() {
		t.Errorf("tree starts at %d, want %d", tree[0].PID, os.Getpid())
	}
	if n, err := OpenFds(os.Getpid()); err != nil || n < 3 {
		t.Errorf("OpenFds(self) = %d, %v", n, err)
	}
}

// TestProcessCPU checks the process CPU clock against getrusage, for this
// process and after burning some CPU.
func TestProcessCPU(t *testing.T) {
	before, err := ProcessCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Spin until the clock shows 20 ms of CPU: on a loaded machine that
	// takes longer than 20 ms of wall time, so the bound is generous.
	x := 0
	after := before
	for end := time.Now().Add(10 * time.Second); after-before < 20*time.Millisecond && time.Now().Before(end); x++ {
		if x%1000 == 0 {
			if after, err = ProcessCPU(os.Getpid()); err != nil {
				t.Fatal(err)
			}
		}
	}
	ru := time.Duration(SelfCPUNs())
	if after-before < 20*time.Millisecond {
		t.Errorf("clock advanced %v in 10 s of spinning (%d loops)", after-before, x)
	}
	if d := ru - after; d < -5*time.Millisecond || d > 5*time.Millisecond {
		t.Errorf("clock %v, getrusage %v", after, ru)
	}
	if _, err := ProcessCPU(1 << 30); err == nil {
		t.Error("no error for a PID that cannot exist")
	}
	// A child that has been reaped has no clock any more.
	cmd := exec.Command("true")
	if err := cmd.Run(); err == nil {
		if _, err := ProcessCPU(cmd.Process.Pid); err == nil {
			t.Error("no error for a reaped child")
		}
	}
}
