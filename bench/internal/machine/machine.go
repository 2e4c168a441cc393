//go:build linux

// Package machine holds what the benchmark harnesses need from the host:
// pinning threads to a core, checking that the cores exist, reading CPU
// time for a process and busy time for cores 0 and 1, and waiting for the
// machine to be quiet before a measurement.
package machine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// RaiseNofile lifts the soft open-file limit to the hard one and returns
// the limit in force. (Go's runtime already does this at start on Linux,
// but only as a best effort; doing it here makes the requirement explicit
// and lets a harness report the limit it got.)
func RaiseNofile() (uint64, error) {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return 0, fmt.Errorf("getrlimit NOFILE: %w", err)
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
			return 0, fmt.Errorf("setrlimit NOFILE to %d: %w", rl.Max, err)
		}
	}
	return rl.Cur, nil
}

// PinProcess binds every thread of this process to cpu.
// sched_setaffinity(0, ...) only moves the calling thread, and the Go
// runtime already runs several threads by the time main starts, so each
// thread listed in /proc/self/task is pinned. Threads created later are
// cloned from pinned threads and inherit the mask. A few passes catch a
// thread that was being created while the list was read.
func PinProcess(cpu int) error {
	var want unix.CPUSet
	want.Set(cpu)
	for pass := 0; pass < 3; pass++ {
		ents, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return fmt.Errorf("list threads: %w", err)
		}
		for _, e := range ents {
			tid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			// ESRCH: the thread exited meanwhile; nothing to pin.
			if err := unix.SchedSetaffinity(tid, &want); err != nil && err != unix.ESRCH {
				return fmt.Errorf("pin thread %d to CPU %d: %w", tid, cpu, err)
			}
		}
	}
	return nil
}

// CheckCPUs fails unless CPUs 0 and 1 are both usable: the server goes on
// one and the generator on the other, and without two cores the numbers
// would measure contention, not the servers.
func CheckCPUs() error {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return fmt.Errorf("sched_getaffinity: %w", err)
	}
	if !set.IsSet(0) || !set.IsSet(1) {
		return fmt.Errorf("need CPUs 0 and 1 in this process's affinity mask (have %d CPUs allowed)", set.Count())
	}
	return nil
}

// CPUsAllowed reads the affinity list of pid as the kernel reports it, to
// confirm a server really runs where taskset put it.
func CPUsAllowed(pid int) (string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("no Cpus_allowed_list in /proc/%d/status", pid)
}

// CPUModel is the first "model name" in /proc/cpuinfo and the number of
// processors listed, for a report header.
func CPUModel() (string, int) {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown", 0
	}
	model, n := "unknown", 0
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "model name":
			if model == "unknown" {
				model = strings.TrimSpace(v)
			}
		case "processor":
			n++
		}
	}
	return model, n
}

// KernelRelease is uname -r, for a report header.
func KernelRelease() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}

// SelfCPUNs is this process's user+system CPU time so far.
func SelfCPUNs() int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// Tick is the unit of the CPU times in /proc/stat and /proc/PID/stat:
// USER_HZ, which the kernel ABI fixes at 100 per second.
const Tick = 10 * time.Millisecond

// BusyNs is the time CPUs 0 and 1 spent doing anything but idling, from
// /proc/stat. Less what the server and generator used, it is the
// interference from other processes during a window. Interrupt and softirq
// time is counted as busy: on this kernel the loopback TCP work done in
// softirq is charged to the process it interrupted, which is nearly always
// the server or the generator, so it is already in their CPU times.
func BusyNs() int64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	var busy int64
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || (f[0] != "cpu0" && f[0] != "cpu1") {
			continue
		}
		// user nice system idle iowait irq softirq steal
		for i := 1; i <= 8; i++ {
			if i == 4 || i == 5 { // idle, iowait
				continue
			}
			v, _ := strconv.ParseInt(f[i], 10, 64)
			busy += v
		}
	}
	return busy * int64(Tick)
}

// QuietProbe is how long WaitQuiet watches the CPUs per look.
const QuietProbe = 250 * time.Millisecond

// WaitQuiet waits, at most maxWait, until CPUs 0 and 1 are nearly idle
// (busy for at most threshold of a core). It is called between runs, when
// the server and the generator are idle, so whatever keeps the cores busy
// is someone else: on a shared machine (other test runs, builds) starting
// a window then would measure the contention. It returns the busy share
// (in cores) of the last look.
func WaitQuiet(ctx context.Context, maxWait time.Duration, threshold float64) (float64, error) {
	end := time.Now().Add(maxWait)
	for {
		b0 := BusyNs()
		select {
		case <-time.After(QuietProbe):
		case <-ctx.Done():
			return 0, context.Cause(ctx)
		}
		busy := float64(BusyNs()-b0) / float64(QuietProbe)
		if busy <= threshold || time.Now().After(end) {
			return busy, nil
		}
	}
}
