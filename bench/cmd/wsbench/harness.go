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
	impls     []string
	sizes     []int
	conns     []int
	deflate   []bool
	warmup    time.Duration
	duration  time.Duration
	idle      int
	out       string
	quietWait time.Duration
	retries   int
	count     int
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("wsbench", flag.ContinueOnError)
	impls := fs.String("impls", strings.Join(allImpls, ","), "implementations to run, comma separated")
	sizes := fs.String("sizes", "64,65536", "message sizes in bytes, comma separated (each ≥ 16)")
	conns := fs.String("conns", "1,100,1000", "connection counts, comma separated")
	deflate := fs.String("deflate", "off,on", "permessage-deflate modes to run: off, on or both")
	var o options
	fs.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "warm-up before each measured window")
	fs.DurationVar(&o.duration, "duration", 2*time.Second, "measured window per point")
	fs.IntVar(&o.idle, "idle", 19000, "idle WebSockets for the idle-memory phase (0 skips it)")
	fs.StringVar(&o.out, "out", "results/ws.md", "markdown report file (also printed to stdout)")
	fs.DurationVar(&o.quietWait, "quiet-wait", 20*time.Second, "longest wait for CPUs 0-1 to go quiet before each point")
	fs.IntVar(&o.retries, "retries", 1, "re-runs of a point disturbed by other processes")
	fs.IntVar(&o.count, "count", 3, "measurements of every point per implementation, interleaved; the report gives medians")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q (subcommands: server, idle-client)", fs.Args())
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
	for _, m := range strings.Split(*deflate, ",") {
		switch strings.TrimSpace(m) {
		case "off":
			o.deflate = append(o.deflate, false)
		case "on":
			o.deflate = append(o.deflate, true)
		default:
			return o, fmt.Errorf("-deflate: %q is neither off nor on", m)
		}
	}
	var err error
	if o.sizes, err = intList("-sizes", *sizes, 16, 4<<20); err != nil {
		return o, err
	}
	if o.conns, err = intList("-conns", *conns, 1, 10000); err != nil {
		return o, err
	}
	if o.duration <= 0 || o.warmup < 0 {
		return o, errors.New("-duration must be positive and -warmup not negative")
	}
	if o.idle < 0 || o.idle > 19500 || o.retries < 0 || o.quietWait < 0 {
		return o, errors.New("-idle must be in [0, 19500] (the server's 20,000 open files), -retries and -quiet-wait not negative")
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
		if !slices.Contains(out, v) {
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
	if need := uint64(slices.Max(o.conns)) + 64; nofile < need {
		return fmt.Errorf("open-file limit is %d, need at least %d", nofile, need)
	}
	if need := uint64(o.idle) + 64; o.idle > 0 && nofile < need {
		return fmt.Errorf("open-file limit is %d; the server needs %d for %d idle connections (use -idle)", nofile, need, o.idle)
	}
	if err := machine.CheckCPUs(); err != nil {
		return err
	}
	runtime.GOMAXPROCS(1)
	if err := machine.PinProcess(1); err != nil {
		return err
	}

	budget := runBudget(o)
	ctx, cancel := context.WithTimeoutCause(context.Background(), budget,
		fmt.Errorf("run exceeded its %v time budget", budget))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	rpt := &wsReport{opts: o, started: time.Now()}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		rpt.loadavg = strings.TrimSpace(string(la))
	}
	// lws is our C echo program, built now; without a C compiler or
	// libwebsockets-dev it is left out of the run with a note.
	var lws *lwsBuild
	if slices.Contains(o.impls, implLws) {
		if lws, err = buildLws(); err != nil {
			logf("lws: left out: %v", err)
			rpt.notes = append(rpt.notes, fmt.Sprintf("lws left out: %v", err))
			o.impls = slices.DeleteFunc(o.impls, func(s string) bool { return s == implLws })
			rpt.opts.impls = o.impls
			if len(o.impls) == 0 {
				return errors.New("no implementation left to run")
			}
		} else {
			defer lws.cleanup()
			rpt.lwsVersion = lws.version
		}
	}

	var servers []*ctl.Proc
	defer func() {
		for _, s := range servers {
			s.Kill()
		}
	}()
	for _, impl := range o.impls {
		logf("%s: starting server", impl)
		s, err := startServer(ctx, taskset, impl, lws)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		rpt.servers = append(rpt.servers, serverInfo{impl: impl, affinity: s.Affinity, statsAllocs: s.StatsAllocs})
		logf("%s: server pid %d on %s", impl, s.PID(), s.Addr)
	}

	if o.idle > 0 {
		for _, s := range servers {
			if _, err := machine.WaitQuiet(ctx, o.quietWait, quietThreshold); err != nil {
				return err
			}
			logf("%s: idle memory, %d connections", s.Name, o.idle)
			r, notes, err := runIdle(ctx, taskset, s, o.idle)
			if err != nil {
				return err
			}
			logf("%s: idle: %.0f B RSS/conn, %.0f B heap/conn, %.0f B stack/conn", s.Name, r.rssPerConn, r.heapPerConn, r.stackPerConn)
			rpt.idle = append(rpt.idle, r)
			rpt.notes = append(rpt.notes, notes...)
		}
	}

	if slices.Contains(o.deflate, true) && !lwsDeflate && slices.Contains(o.impls, implLws) {
		rpt.notes = append(rpt.notes, "lws runs without permessage-deflate (lws-echo is started without its extension; see lwsDeflate in lws.go), so it has no deflate rows")
	}
	round := 0
	for _, deflate := range o.deflate {
		for _, size := range o.sizes {
			set, err := newMessageSet(size, deflate)
			if err != nil {
				return err
			}
			for _, n := range o.conns {
				for r := 1; r <= o.count; r++ {
					for i := range servers {
						s := servers[(round+i)%len(servers)]
						if deflate && !lwsDeflate && s.Name == implLws {
							continue // see lwsDeflate
						}
						res, err := runPointQuiet(ctx, s, set, n, r, o, rpt)
						if err != nil {
							return err
						}
						rpt.points = append(rpt.points, res)
					}
					round++
				}
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
		fmt.Fprintf(os.Stderr, "wsbench: report written to %s\n", o.out)
	}
	return nil
}

// runBudget is the longest the whole run may take, from every phase's
// own deadlines: a backstop against a hang between them.
func runBudget(o options) time.Duration {
	impls := time.Duration(len(o.impls))
	start := ctl.StartOverhead
	settle := settleTimeout + ctl.ControlTimeout
	quiet := o.quietWait + machine.QuietProbe
	idle := quiet + 2*settle + idleTimeout + 10*time.Second + 2*ctl.KillTimeout*time.Duration(1+o.idle/idlePerProc) + 3*ctl.ControlTimeout
	window := 2*settle + quiet + dialTimeout + o.warmup + o.duration + 2*ctl.ControlTimeout + finishTimeout
	windows := time.Duration(len(o.deflate)*len(o.sizes)*len(o.conns)*o.count*len(o.impls)*(1+o.retries)) * window
	b := impls*start + windows
	if o.idle > 0 {
		b += impls * idle
	}
	return b
}

const quietThreshold = 0.10

// runPointQuiet runs repetition rep of one point on s, first waiting for
// the machine to be quiet, and re-runs it while other processes disturbed
// the window, keeping the least disturbed result.
func runPointQuiet(ctx context.Context, s *ctl.Proc, set *messageSet, n, rep int, o options, rpt *wsReport) (pointResult, error) {
	var best pointResult
	runs := 0
	name := fmt.Sprintf("%s × %d%s (repetition %d)", report.SizeName(set.size), n, deflateTag(set.deflate), rep)
	for try := 0; try <= o.retries; try++ {
		if fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout); err != nil {
			return best, err
		} else if fds > s.BaseFds {
			rpt.notes = append(rpt.notes, fmt.Sprintf("%s: before %s the server still held %d closed connections", s.Name, name, fds-s.BaseFds))
		}
		if busy, err := machine.WaitQuiet(ctx, o.quietWait, quietThreshold); err != nil {
			return best, err
		} else if busy > quietThreshold {
			logf("%s: CPUs 0-1 still %.0f%% busy with other work after %v; measuring anyway", s.Name, 100*busy, o.quietWait)
		}
		r, err := runPoint(ctx, s, set, n, o.warmup, o.duration)
		if err != nil {
			return best, err
		}
		r.rep = rep
		logf("%s: %6d B × %4d conns%s [%d/%d]: %9.0f msg/s  p50 %s  p99 %s  srv %.2f µs/msg  %.3f allocs/msg  gen CPU %.0f%%  other CPU %.0f%%",
			s.Name, set.size, n, deflateTag(set.deflate), rep, o.count, r.rate, fmtMicros(r.p50), fmtMicros(r.p99), report.Micros(r.cpuPerMsg), r.allocPerMsg, 100*r.genCPU, 100*r.otherCPU)
		if fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout); err != nil {
			return best, err
		} else if fds > s.BaseFds {
			rpt.notes = append(rpt.notes, fmt.Sprintf("%s: %v after %s the server still held %d closed connections", s.Name, settleTimeout, name, fds-s.BaseFds))
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

func deflateTag(on bool) string {
	if on {
		return " deflate"
	}
	return ""
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wsbench: "+format+"\n", args...)
}

// startServer launches impl as `taskset -c 0 wsbench server -impl IMPL
// -addr 127.0.0.1:PORT` with GOMAXPROCS=1 and waits until it is ready.
// lws is the C program lws-echo instead, started the same way.
func startServer(ctx context.Context, taskset, impl string, lws *lwsBuild) (*ctl.Proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	port, err := ctl.FreePort()
	if err != nil {
		return nil, err
	}
	if impl == implLws {
		return ctl.Start(ctx, impl, lwsArgv(taskset, lws, port), os.Environ())
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	env := append(ctl.WithoutEnv(os.Environ(), "GOMAXPROCS"), "GOMAXPROCS=1")
	return ctl.Start(ctx, impl, []string{taskset, "-c", "0", self, "server", "-impl", impl, "-addr", addr}, env)
}
