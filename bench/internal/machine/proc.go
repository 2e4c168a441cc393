//go:build linux

package machine

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// ProcStat is what a harness reads about one process from /proc/PID/stat.
type ProcStat struct {
	PID, PPID int
	// CPU is the process's user+system time (all its threads), in whole
	// ticks of 10 ms: a reading is up to one tick short of the truth.
	CPU time.Duration
}

// ReadProcStat reads /proc/PID/stat.
func ReadProcStat(pid int) (ProcStat, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ProcStat{}, err
	}
	return parseProcStat(data)
}

// parseProcStat decodes one /proc/PID/stat line. The command name (field
// 2) sits in parentheses and may itself hold spaces and parentheses, so
// the fields after it are found from its last ')'.
func parseProcStat(data []byte) (ProcStat, error) {
	var st ProcStat
	open, shut := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 0 || shut < open {
		return st, fmt.Errorf("malformed /proc stat line %q", data)
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(data[:open])))
	if err != nil {
		return st, fmt.Errorf("malformed /proc stat pid in %q", data)
	}
	// After the name: state(3) ppid(4) ... utime(14) stime(15).
	f := bytes.Fields(data[shut+1:])
	if len(f) < 13 {
		return st, fmt.Errorf("short /proc stat line %q", data)
	}
	num := func(i int) (int64, error) { return strconv.ParseInt(string(f[i-3]), 10, 64) }
	ppid, err1 := num(4)
	ut, err2 := num(14)
	stime, err3 := num(15)
	if err1 != nil || err2 != nil || err3 != nil {
		return st, fmt.Errorf("malformed /proc stat fields in %q", data)
	}
	st.PID, st.PPID = pid, int(ppid)
	st.CPU = time.Duration(ut+stime) * Tick
	return st, nil
}

// ProcTree lists root and all its descendants, root first, then by PID.
// It reads every /proc/PID/stat once; processes that vanish meanwhile are
// left out.
func ProcTree(root int) ([]ProcStat, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	children := map[int][]ProcStat{}
	var top *ProcStat
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := ReadProcStat(pid)
		if err != nil {
			continue // exited since the directory was read
		}
		if pid == root {
			top = &st
			continue
		}
		children[st.PPID] = append(children[st.PPID], st)
	}
	if top == nil {
		return nil, fmt.Errorf("process %d is gone", root)
	}
	tree := []ProcStat{*top}
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i].PID]...)
	}
	slices.SortFunc(tree[1:], func(a, b ProcStat) int { return a.PID - b.PID })
	return tree, nil
}

// OpenFds counts the descriptors of process pid.
func OpenFds(pid int) (int, error) {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return 0, err
	}
	return len(ents), nil
}

// ProcessCPU is the CPU time process pid has used so far, all its threads
// together, read from the kernel's per-process CPU clock (CLOCK_SCHED of
// clock_getcpuclockid): the scheduler's own nanosecond count, the same
// total getrusage reports to the process itself, with none of the 10 ms
// rounding of /proc/PID/stat.
func ProcessCPU(pid int) (time.Duration, error) {
	if pid <= 0 || pid > 1<<22 { // PID_MAX_LIMIT; 0 would mean this process
		return 0, fmt.Errorf("CPU clock: invalid PID %d", pid)
	}
	// The clock id encodes the PID: ^pid << 3, with 2 = CPUCLOCK_SCHED
	// in the low bits (the process-wide variant has bit 2 clear).
	clock := int32(^uint32(pid)<<3 | 2)
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0, fmt.Errorf("CPU clock of process %d: %w", pid, err)
	}
	return time.Duration(ts.Nano()), nil
}
