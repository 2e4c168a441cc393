//go:build linux

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
	"github.com/golws/golws/bench/internal/report"
)

// options are the harness's flags.
type options struct {
	impls    []string
	sizes    []int
	conns    []int
	warmup   time.Duration
	duration time.Duration
	idle     int
	out      string
	// Shared-machine defences: wait this long at most for CPUs 0-1 to be
	// quiet before each window, and re-run a point whose window saw other
	// processes use more than otherCPUWarn of a core, up to retries times.
	quietWait time.Duration
	retries   int
	// count is how many times every point is measured per implementation;
	// the report gives the medians.
	count int
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("rawbench", flag.ContinueOnError)
	impls := fs.String("impls", strings.Join(allImpls, ","), "implementations to run, comma separated")
	sizes := fs.String("sizes", "64,1024", "message sizes in bytes, comma separated (each ≥ 16)")
	conns := fs.String("conns", "1,100,1000", "connection counts, comma separated")
	var o options
	fs.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "warm-up before each measured window")
	fs.DurationVar(&o.duration, "duration", 2*time.Second, "measured window per point")
	fs.IntVar(&o.idle, "idle", 10000, "connections for the idle-memory phase (0 skips it)")
	fs.StringVar(&o.out, "out", "results/raw.md", "markdown report file (also printed to stdout)")
	fs.DurationVar(&o.quietWait, "quiet-wait", 20*time.Second, "longest wait for CPUs 0-1 to go quiet before each point")
	fs.IntVar(&o.retries, "retries", 2, "re-runs of a point disturbed by other processes")
	fs.IntVar(&o.count, "count", 3, "measurements of every point per implementation, interleaved; the report gives medians")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q (subcommands: server)", fs.Args())
	}
	for _, name := range strings.Split(*impls, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(allImpls, name) {
			return o, fmt.Errorf("-impls: unknown implementation %q (have %s)", name, strings.Join(allImpls, ", "))
		}
		if !slices.Contains(o.impls, name) {
			o.impls = append(o.impls, name)
		}
	}
	var err error
	if o.sizes, err = intList("-sizes", *sizes, 16, 1<<20); err != nil {
		return o, err
	}
	if o.conns, err = intList("-conns", *conns, 1, 10000); err != nil {
		return o, err
	}
	if o.duration <= 0 || o.warmup < 0 {
		return o, errors.New("-duration must be positive and -warmup not negative")
	}
	if o.idle < 0 || o.retries < 0 || o.quietWait < 0 {
		return o, errors.New("-idle, -retries and -quiet-wait must not be negative")
	}
	if o.count < 1 || o.count > 100 {
		return o, errors.New("-count must be in [1, 100]")
	}
	return o, nil
}

func intList(name, s string, lo, hi int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < lo || v > hi {
			return nil, fmt.Errorf("%s: %q is not a number in [%d, %d]", name, f, lo, hi)
		}
		if !slices.Contains(out, v) { // a point listed twice is run once
			out = append(out, v)
		}
	}
	return out, nil
}

// harnessMain starts every server, runs each one's idle phase, measures
// every point -count times per implementation with the implementations
// interleaved, kills the servers and writes the report.
func harnessMain(args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		return errors.New("taskset not found: install util-linux (apt-get install util-linux); it pins the server to CPU 0")
	}
	nofile, err := machine.RaiseNofile()
	if err != nil {
		return err
	}
	if need := uint64(max(o.idle, slices.Max(o.conns))) + 64; nofile < need {
		return fmt.Errorf("open-file limit is %d, need at least %d for %d connections", nofile, need, max(o.idle, slices.Max(o.conns)))
	}
	if err := machine.CheckCPUs(); err != nil {
		return err
	}
	// One P and one core for the generator, mirroring the server: the
	// generator's own scheduling cost is then the same for every server.
	runtime.GOMAXPROCS(1)
	if err := machine.PinProcess(1); err != nil {
		return err
	}

	// Every phase has its own deadline; this one bounds the whole run in
	// case something slips between them.
	budget := runBudget(o)
	ctx, cancel := context.WithTimeoutCause(context.Background(), budget,
		fmt.Errorf("run exceeded its %v time budget", budget))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	rpt := &rawReport{opts: o, started: time.Now()}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		rpt.loadavg = strings.TrimSpace(string(la))
	}

	// All servers live for the whole run, each its own process pinned to
	// CPU 0 on its own port; one waiting for connections uses no CPU. They
	// are killed by PID on every way out of this function, and with the
	// harness (Pdeathsig) should it die without returning.
	var servers []*ctl.Proc
	defer func() {
		for _, s := range servers {
			s.Kill()
		}
	}()
	for _, impl := range o.impls {
		logf("%s: starting server", impl)
		s, err := startServer(ctx, taskset, impl)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		rpt.servers = append(rpt.servers, serverInfo{impl: impl, affinity: s.Affinity, statsAllocs: s.StatsAllocs})
		logf("%s: server pid %d on %s", impl, s.PID(), s.Addr)
	}

	// Idle memory first, in each fresh process: the baseline is not yet
	// inflated by pools and buffers that the throughput points grew. One
	// server at a time, so two sets of idle connections never coexist.
	if o.idle > 0 {
		for _, s := range servers {
			if _, err := machine.WaitQuiet(ctx, o.quietWait, quietThreshold); err != nil {
				return err
			}
			logf("%s: idle memory, %d connections", s.Name, o.idle)
			r, notes, err := runIdle(ctx, s, o.idle)
			if err != nil {
				return err
			}
			rpt.idle = append(rpt.idle, r)
			rpt.notes = append(rpt.notes, notes...)
		}
	}

	// Throughput, interleaved: each repetition of a point runs every
	// implementation once, so a disturbance lasting a few seconds lands
	// in one repetition of several implementations, not in all the points
	// of one. The order rotates by one implementation per repetition (and
	// carries on from point to point), so none always goes first, the
	// run right after the load changed shape.
	round := 0
	for _, size := range o.sizes {
		for _, n := range o.conns {
			for r := 1; r <= o.count; r++ {
				for i := range servers {
					s := servers[(round+i)%len(servers)]
					res, err := runPointQuiet(ctx, s, size, n, r, o, rpt)
					if err != nil {
						return err
					}
					rpt.points = append(rpt.points, res)
				}
				round++
			}
		}
	}

	for _, s := range servers {
		logf("%s: done, killing server pid %d", s.Name, s.PID())
		s.Kill()
	}

	text := rpt.markdown()
	fmt.Print(text)
	if o.out != "" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "rawbench: report written to %s\n", o.out)
	}
	return nil
}

// runBudget is the longest the whole run may take: the sum of every
// phase's own deadlines, in the worst case of every point being re-run
// -retries times. It is a backstop against a hang between deadlines, far
// above what a normal run takes.
func runBudget(o options) time.Duration {
	impls := time.Duration(len(o.impls))
	// startServer: the ready line, six stats calls and one fds call.
	start := ctl.StartOverhead
	// waitFds returns at most one control round trip past its timeout.
	settle := settleTimeout + ctl.ControlTimeout
	quiet := o.quietWait + machine.QuietProbe
	// runIdle: settle, gc, dial, echo, fds, gc, settle.
	idle := quiet + 2*settle + 2*dialTimeout + 3*ctl.ControlTimeout
	// runPointQuiet, one window: settle, quiet, dial, warm-up, stats,
	// window, stats, finish, settle.
	window := 2*settle + quiet + dialTimeout + o.warmup + o.duration + 2*ctl.ControlTimeout + finishTimeout
	windows := time.Duration(len(o.sizes)*len(o.conns)*o.count*len(o.impls)*(1+o.retries)) * window
	b := impls*start + windows
	if o.idle > 0 {
		b += impls * idle
	}
	return b
}

// quietThreshold is the busy share of CPUs 0-1 (in cores), with our own
// processes idle, under which the machine counts as quiet.
const quietThreshold = 0.10

// runPointQuiet runs repetition rep of one point on s, first waiting for
// the machine to be quiet, and re-runs it while other processes disturbed
// the window, keeping the least disturbed result. After every window it
// waits for s to release the window's connections, so the next run, which
// is usually another implementation's, starts with this server idle.
func runPointQuiet(ctx context.Context, s *ctl.Proc, size, n, rep int, o options, rpt *rawReport) (pointResult, error) {
	var best pointResult
	runs := 0
	for try := 0; try <= o.retries; try++ {
		// Start with the previous window's connections gone.
		if fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout); err != nil {
			return best, err
		} else if fds > s.BaseFds {
			rpt.notes = append(rpt.notes, fmt.Sprintf("%s: before %s × %d (repetition %d) the server still held %d closed connections", s.Name, report.SizeName(size), n, rep, fds-s.BaseFds))
		}
		if busy, err := machine.WaitQuiet(ctx, o.quietWait, quietThreshold); err != nil {
			return best, err
		} else if busy > quietThreshold {
			logf("%s: CPUs 0-1 still %.0f%% busy with other work after %v; measuring anyway", s.Name, 100*busy, o.quietWait)
		}
		r, err := runPoint(ctx, s, size, n, o.warmup, o.duration)
		if err != nil {
			return best, err
		}
		r.rep = rep
		logf("%s: %4d B × %4d conns [%d/%d]: %9.0f msg/s  p50 %s  p99 %s  srv %.2f µs/msg  %.3f allocs/msg  other CPU %.0f%%",
			s.Name, size, n, rep, o.count, r.rate, fmtMicros(r.p50), fmtMicros(r.p99), report.Micros(r.cpuPerMsg), r.allocPerMsg, 100*r.otherCPU)
		if fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout); err != nil {
			return best, err
		} else if fds > s.BaseFds {
			rpt.notes = append(rpt.notes, fmt.Sprintf("%s: %v after %s × %d (repetition %d) the server still held %d closed connections", s.Name, settleTimeout, report.SizeName(size), n, rep, fds-s.BaseFds))
		}
		runs++
		if try == 0 || r.otherCPU < best.otherCPU {
			best = r
		}
		if best.otherCPU <= otherCPUWarn {
			break
		}
	}
	best.tries = runs
	return best, nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "rawbench: "+format+"\n", args...)
}

// startServer launches impl as `taskset -c 0 rawbench server -impl IMPL
// -addr 127.0.0.1:PORT` with GOMAXPROCS=1 and waits until it is ready.
func startServer(ctx context.Context, taskset, impl string) (*ctl.Proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	port, err := ctl.FreePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	env := append(ctl.WithoutEnv(os.Environ(), "GOMAXPROCS"), "GOMAXPROCS=1")
	return ctl.Start(ctx, impl, []string{taskset, "-c", "0", self, "server", "-impl", impl, "-addr", addr}, env)
}
