//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
	"github.com/golws/golws/bench/internal/report"
)

// quietThreshold is the busy share of CPUs 0-1 (in cores), with our own
// processes idle, under which the machine counts as quiet.
const quietThreshold = 0.10

// otherCPUWarn is the share of a core used by other processes during a
// run above which the run is re-run, and flagged if it stays above.
const otherCPUWarn = 0.15

// settleTimeout bounds the wait for a server to release the connections
// of the previous run.
const settleTimeout = 15 * time.Second

// minNofile is the open-file limit the harness needs: a few hundred
// connections at most, plus the servers' own descriptors.
const minNofile = 1024

// harnessMain starts every server, checks that each answers correctly,
// measures every scenario -count times per server with the servers
// interleaved, kills the servers and writes the report.
func harnessMain(args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	tools, err := findTools(&o)
	if err != nil {
		return err
	}
	if nofile, err := machine.RaiseNofile(); err != nil {
		return err
	} else if nofile < minNofile {
		return fmt.Errorf("open-file limit is %d, need at least %d", nofile, minNofile)
	}
	if err := machine.CheckCPUs(); err != nil {
		return err
	}
	// The harness shares CPU 1 with the generators; it sleeps while they
	// run. One P keeps its own footprint small and fixed.
	runtime.GOMAXPROCS(1)
	if err := machine.PinProcess(1); err != nil {
		return err
	}
	if err := becomeSubreaper(); err != nil {
		return fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", err)
	}

	budget := runBudget(o)
	ctx, cancel := context.WithTimeoutCause(context.Background(), budget,
		fmt.Errorf("run exceeded its %v time budget", budget))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	rpt := &httpReport{opts: o, tools: tools, started: time.Now()}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		rpt.loadavg = strings.TrimSpace(string(la))
	}

	fx, err := newFixtures()
	if err != nil {
		return err
	}
	defer fx.remove() // runs last: after every server is dead
	if o.proto == protoHTTPS {
		if err := fx.makeCert(); err != nil {
			return fmt.Errorf("make the TLS certificate: %w", err)
		}
	}

	// All servers live for the whole run, each its own process (tree)
	// pinned to CPU 0 on its own port; one waiting for connections uses
	// next to no CPU. They are killed by PID on every way out.
	var servers []server
	defer func() {
		for _, s := range servers {
			s.kill()
		}
	}()
	respSize := map[string]int{}
	for _, impl := range o.servers {
		logf("%s: starting", impl)
		s, err := startServer(ctx, impl, o.proto, tools, fx)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		var files [][]byte
		var paths []string
		if servesFiles(impl) {
			for _, sc := range o.scenarios {
				if sc.file {
					files, paths = append(files, fx.fileFor(sc)), append(paths, sc.path)
				}
			}
		}
		if respSize[impl], err = preflight(ctx, o.proto, s.address(), fx.cert, files, paths); err != nil {
			return fmt.Errorf("%s on %s answers wrongly: %w", impl, s.address(), err)
		}
		if err := setIdleFds(ctx, s); err != nil {
			return err
		}
		info := serverInfo{impl: impl, affinity: s.affinity()}
		info.statsAllocs, info.goServer = statsAllocs(s)
		rpt.servers = append(rpt.servers, info)
		switch o.proto {
		case protoH2:
			logf("%s: listening on %s, answers correctly over h2c", impl, s.address())
		case protoHTTPS:
			logf("%s: listening on %s, answers correctly over TLS 1.3, HTTP/1.1 and h2", impl, s.address())
		default:
			logf("%s: listening on %s, answers correctly (one plaintext response: %d bytes)", impl, s.address(), respSize[impl])
		}
	}

	// Interleaved: each repetition of a scenario runs every server once,
	// so a disturbance lasting a few seconds lands in one repetition of
	// several servers, not in every run of one. The order rotates by one
	// server per repetition (and carries on from scenario to scenario),
	// so none always goes first.
	round := 0
	for _, sc := range o.scenarios {
		var eligible []server
		for _, s := range servers {
			if !sc.file || servesFiles(s.impl()) {
				eligible = append(eligible, s)
			}
		}
		for rep := 1; rep <= o.count; rep++ {
			for i := range eligible {
				s := eligible[(round+i)%len(eligible)]
				res, err := runQuiet(ctx, s, sc, rep, o, tools, fx, respSize[s.impl()], rpt)
				if err != nil {
					return fmt.Errorf("%s, %s (repetition %d): %w", displayName(s.impl()), sc.title, rep, err)
				}
				rpt.runs = append(rpt.runs, res)
				rpt.noteTLS(s.impl(), sc, res)
			}
			round++
		}
	}
	for _, s := range servers {
		logf("%s: done, killing it", s.impl())
		s.kill()
	}
	rpt.wall = time.Since(rpt.started)

	text := rpt.markdown()
	fmt.Print(text)
	if o.out != "" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "httpbench: report written to %s\n", o.out)
	}
	return nil
}

// setIdleFds waits for a server to close the preflight's connections,
// then records its descriptor count as its idle baseline. It is taken
// after the preflight, not at start, because file servers keep the files
// they served open in their caches.
func setIdleFds(ctx context.Context, s server) error {
	prev := -1
	end := time.Now().Add(settleTimeout)
	for {
		n, err := s.fds(ctx)
		if err != nil {
			return err
		}
		// Two equal readings 100 ms apart: nothing left to close.
		if n == prev || time.Now().After(end) {
			s.setBaseFds(n)
			return nil
		}
		prev = n
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// runBudget is the longest the whole run may take: every phase's own
// deadline, for every run and re-run. It is a backstop against a hang
// between deadlines, far above what a normal run takes.
func runBudget(o options) time.Duration {
	start := time.Duration(len(o.servers)) * (ctl.StartOverhead + 2*preflightTimeout + settleTimeout)
	quiet := o.quietWait + machine.QuietProbe
	settle := settleTimeout + ctl.ControlTimeout
	var runs time.Duration
	for _, sc := range o.scenarios {
		load := h2loadTimeout
		if sc.tool == toolWrk {
			load = o.duration + wrkSlack
		}
		// settle, quiet, warm-up, settle, two samples, the measured run
		one := 2*settle + quiet + 2*load + 2*ctl.ControlTimeout
		runs += time.Duration(len(o.servers)*o.count*(1+o.retries)) * one
	}
	return start + runs
}

// runResult is one measured run of one server in one scenario.
type runResult struct {
	impl     string
	scenario string // scenario id
	rep      int    // repetition, 1 to -count
	requests int64
	rate     float64 // requests per second
	mbps     float64 // MB (10^6 bytes) received per second, heads and bodies
	p50, p99 time.Duration
	hasP99   bool
	cpuPer   time.Duration // server CPU (user+system) per request
	allocs   float64       // server heap allocations per request
	hasAlloc bool          // false for nginx and h2o
	srvCPU   float64       // server CPU time / run's wall time, in cores
	genCPU   float64       // generator CPU time / wall time, in cores
	otherCPU float64       // other processes on CPUs 0-1 / wall time, in cores
	tries    int           // runs made to get one undisturbed enough
	// tlsInfo is the negotiated TLS version, cipher suite and key
	// exchange (-proto https); handshake the handshake generator's counts
	// (its scenario only).
	tlsInfo   string
	handshake *handshakeSummary
}

// runQuiet runs repetition rep of scenario sc on s: it waits for the
// server to be idle and the machine quiet, warms the server up with an
// unmeasured run, measures, and re-runs while other processes disturbed
// the run, keeping the least disturbed result.
func runQuiet(ctx context.Context, s server, sc scenario, rep int, o options, tools *toolSet, fx *fixtures, respSize int, rpt *httpReport) (runResult, error) {
	var best runResult
	runs := 0
	for try := 0; try <= o.retries; try++ {
		if err := settle(ctx, s, "before", sc, rep, rpt); err != nil {
			return best, err
		}
		if busy, err := machine.WaitQuiet(ctx, o.quietWait, quietThreshold); err != nil {
			return best, err
		} else if busy > quietThreshold {
			logf("%s: CPUs 0-1 still %.0f%% busy with other work after %v; measuring anyway", s.impl(), 100*busy, o.quietWait)
		}
		if err := warmUp(ctx, s, sc, o, tools, fx, respSize); err != nil {
			return best, fmt.Errorf("warm-up: %w", err)
		}
		if err := settle(ctx, s, "after the warm-up of", sc, rep, rpt); err != nil {
			return best, err
		}
		r, err := measure(ctx, s, sc, o, tools, fx, respSize)
		if err != nil {
			return best, err
		}
		r.rep = rep
		p99 := "–"
		if r.hasP99 {
			p99 = fmt.Sprintf("%.0f µs", report.Micros(r.p99))
		}
		logf("%-8s %-40s [%d/%d]: %10.0f req/s  %8.1f MB/s  p99 %s  srv %.2f µs/req  %.2f allocs/req  other CPU %.0f%%",
			s.impl(), sc.title, rep, o.count, r.rate, r.mbps, p99, report.Micros(r.cpuPer), r.allocs, 100*r.otherCPU)
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

// settle waits until s holds no more descriptors than with no client, so
// a run starts with the previous one's connections gone. A server still
// holding some after settleTimeout is noted, not failed.
func settle(ctx context.Context, s server, when string, sc scenario, rep int, rpt *httpReport) error {
	end := time.Now().Add(settleTimeout)
	for {
		n, err := s.fds(ctx)
		if err != nil {
			return err
		}
		if n <= s.baseFds() {
			return nil
		}
		if time.Now().After(end) {
			rpt.notes = append(rpt.notes, fmt.Sprintf("%s: %s %s (repetition %d) the server still held %d descriptors over its idle count after %v",
				displayName(s.impl()), when, sc.title, rep, n-s.baseFds(), settleTimeout))
			return nil
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// warmUp runs a shorter, unmeasured copy of the scenario; it must succeed
// like a measured run.
func warmUp(ctx context.Context, s server, sc scenario, o options, tools *toolSet, fx *fixtures, respSize int) error {
	n, d := sc.warmup(o)
	_, err := runLoad(ctx, s, sc, o, tools, fx, respSize, n, d, "", nil)
	return err
}

// runLoad runs sc's generator against s: n requests (h2load, the
// handshake generator) or d of wrk, logging h2load's requests to logPath
// unless it is "".
func runLoad(ctx context.Context, s server, sc scenario, o options, tools *toolSet, fx *fixtures, respSize, n int, d time.Duration, logPath string, sampleAfter func() error) (loadResult, error) {
	url := scheme(o.proto) + "://" + s.address() + sc.path
	switch sc.tool {
	case toolWrk:
		return runWrk(ctx, tools, url, sc.conns, d, fx.wrkLua, respSize, sampleAfter)
	case toolHandshake:
		j := handshakeJob{addr: s.address(), path: sc.path, n: n, c: sc.conns, body: plaintextBody, certFile: fx.cert.certFile}
		return runHandshakeJob(ctx, tools, j, sampleAfter)
	}
	return runH2load(ctx, tools, sc.job(o, url, n, logPath), sampleAfter)
}

// measure runs the scenario once with the server's counters read right
// before the generator starts and right after it exits.
func measure(ctx context.Context, s server, sc scenario, o options, tools *toolSet, fx *fixtures, respSize int) (runResult, error) {
	res := runResult{impl: s.impl(), scenario: sc.id}
	before, err := s.sample(ctx)
	if err != nil {
		return res, err
	}
	busy0, self0, t0 := machine.BusyNs(), machine.SelfCPUNs(), time.Now()
	var after counters
	var wall time.Duration
	var busy1, self1 int64
	sampleAfter := func() error {
		wall = time.Since(t0)
		busy1, self1 = machine.BusyNs(), machine.SelfCPUNs()
		var err error
		after, err = s.sample(ctx)
		return err
	}
	lr, err := runLoad(ctx, s, sc, o, tools, fx, respSize, sc.scaled(o), o.duration, fx.h2Log, sampleAfter)
	if err != nil {
		return res, err
	}
	if after.procs != before.procs {
		return res, fmt.Errorf("the server's processes changed during the run (PIDs %s, then %s): one died and was replaced", before.procs, after.procs)
	}
	if lr.requests <= 0 || lr.elapsed <= 0 {
		return res, errors.New("no request completed")
	}
	srv := after.cpu - before.cpu
	res.requests = lr.requests
	res.rate = lr.rate
	res.mbps = float64(lr.bytes) / lr.elapsed.Seconds() / 1e6
	res.p50, res.p99, res.hasP99 = lr.p50, lr.p99, lr.hasP99
	res.cpuPer = srv / time.Duration(lr.requests)
	if before.hasMallocs {
		calib, _ := statsAllocs(s)
		m := int64(after.mallocs-before.mallocs) - int64(calib)
		res.allocs, res.hasAlloc = max(0, float64(m)/float64(lr.requests)), true
	}
	res.tlsInfo, res.handshake = lr.tlsInfo, lr.handshake
	res.srvCPU = float64(srv) / float64(wall)
	res.genCPU = float64(lr.genCPU) / float64(wall)
	other := float64(busy1-busy0) - float64(srv) - float64(lr.genCPU) - float64(self1-self0)
	res.otherCPU = max(0, other/float64(wall))
	return res, nil
}
