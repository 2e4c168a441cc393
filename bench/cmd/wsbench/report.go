//go:build linux

package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golws/golws/bench/internal/report"
)

// serverInfo is what the header says about each server process.
type serverInfo struct {
	impl        string
	affinity    string
	statsAllocs uint64
}

// wsReport collects the run's results and renders them as markdown.
type wsReport struct {
	opts    options
	started time.Time
	servers []serverInfo
	points  []pointResult
	idle    []idleResult
	notes   []string
	loadavg string // /proc/loadavg at start: was the machine already busy?
	// lwsVersion is libwebsockets' version (pkg-config) when lws ran.
	lwsVersion string
}

// otherCPUWarn is the share of a core used by other processes during a
// window above which the report flags the row.
const otherCPUWarn = 0.15

func (r *wsReport) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# wsbench: WebSocket echo\n\n")
	report.WriteMachine(&b, r.started)
	fmt.Fprintf(&b, "- pinning: server `taskset -c 0`, GOMAXPROCS=1 (lws: one lws service thread plus an idle control thread); load generator sched_setaffinity CPU 1, GOMAXPROCS=1\n")
	fmt.Fprintf(&b, "- per run: %v warm-up, then a %v measured window; each connection is a goroutine doing send one binary message → read the whole echo → verify (stamp and body)\n", r.opts.warmup, r.opts.duration)
	fmt.Fprintf(&b, "- client: this binary's raw-frame generator (pre-masked bodies; with deflate, pre-compressed bodies behind a stored block carrying the stamp; offers `%s`)\n", deflateOffer)
	fmt.Fprintf(&b, "- versions: %s\n", versions(r.lwsVersion))
	fmt.Fprintf(&b, "- runs: every point measured %d times per implementation, interleaved (each repetition runs every implementation once, the order rotating by one per repetition); all servers run for the whole run, idle when not measured\n", r.opts.count)
	fmt.Fprintf(&b, "- shared-machine guard: wait up to %v for CPUs 0-1 to be quiet before each run; re-run a window up to %d times while other processes take over %.0f%% of a core\n", r.opts.quietWait, r.opts.retries, 100*otherCPUWarn)
	var cal []string
	for _, s := range r.servers {
		if noAllocCount(s.impl) {
			cal = append(cal, s.impl+" n/a")
			continue
		}
		cal = append(cal, fmt.Sprintf("%s %d", s.impl, s.statsAllocs))
	}
	fmt.Fprintf(&b, "- server mallocs per stats call (subtracted): %s\n", strings.Join(cal, ", "))

	// One block per point, implementations side by side, each row the
	// medians of its -count runs.
	sums := summarize(r.points)
	fmt.Fprintf(&b, "\n## Echo throughput and server cost\n\n")
	ranged := r.opts.count > 1
	cpuHead := "server CPU µs/msg"
	if ranged {
		fmt.Fprintf(&b, "Each row is the median of %d runs; server CPU µs/msg also gives the lowest and highest run, other CPU is the most disturbed run's.\n\n", r.opts.count)
		cpuHead += " (min–max)"
	}
	fmt.Fprintf(&b, "| impl | deflate | size | conns | msg/s | p50 µs | p99 µs | %s | server allocs/msg | server CPU | generator CPU | other CPU |\n", cpuHead)
	fmt.Fprintf(&b, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, p := range sums {
		allocs := fmt.Sprintf("%.3f", p.allocs)
		if noAllocCount(p.impl) {
			allocs = "n/a"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %.1f | %.1f | %s | %s | %.0f%% | %.0f%% | %.0f%% |\n",
			p.impl, onOff(p.deflate), report.SizeName(p.size), p.conns, report.Thousands(p.rate), p.p50, p.p99,
			report.WithRange(p.cpu, p.cpuMin, p.cpuMax, "%.2f", ranged),
			allocs, 100*p.srvCPU, 100*p.genCPU, 100*p.otherMax)
	}
	r.writeVersus(&b, sums)

	if len(r.idle) > 0 {
		fmt.Fprintf(&b, "\n## Idle memory (user space, after GC + FreeOSMemory)\n\n")
		fmt.Fprintf(&b, "| impl | idle conns | ΔRSS B/conn | Δheap_inuse B/conn | Δstack_inuse B/conn | server fds |\n")
		fmt.Fprintf(&b, "|---|--:|--:|--:|--:|--:|\n")
		for _, i := range r.idle {
			heap, stack := fmt.Sprintf("%.0f", i.heapPerConn), fmt.Sprintf("%.0f", i.stackPerConn)
			if i.impl == implLws {
				heap, stack = "n/a", "n/a" // C: no Go heap or goroutine stacks; RSS after malloc_trim
			}
			fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %d |\n", i.impl, i.conns, i.rssPerConn, heap, stack, i.serverFds)
		}
	}
	notes := slices.Clone(r.notes)
	var busy, retried []string
	for _, p := range r.points {
		if p.otherCPU > otherCPUWarn {
			busy = append(busy, fmt.Sprintf("%s (%.0f%%)", runName(p), 100*p.otherCPU))
		}
		if p.tries > 1 {
			retried = append(retried, fmt.Sprintf("%s (%d windows)", runName(p), p.tries))
		}
	}
	if len(retried) > 0 {
		notes = append(notes, "re-run because other processes disturbed the window (least disturbed window kept): "+strings.Join(retried, ", "))
	}
	if len(busy) > 0 {
		notes = append(notes, fmt.Sprintf("other processes used more than %.0f%% of a core on CPUs 0-1 during: %s; those runs measure contention as much as the servers", 100*otherCPUWarn, strings.Join(busy, ", ")))
	}
	if r.loadavg != "" {
		notes = append(notes, "load average when the run started: "+r.loadavg)
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\n## Notes\n\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if r.opts.count > 1 {
		r.writeRuns(&b)
	}
	return b.String()
}

// writeVersus writes the "golws vs peers" table: per point, golws's median
// over each peer's median, for server CPU per message (below 1: golws
// spends less) and msg/s (above 1: golws echoes more). With several runs
// the parentheses give the lowest and highest of the same ratio taken run
// by run, each golws run against the peer's run of the same repetition.
func (r *wsReport) writeVersus(b *strings.Builder, sums []summary) {
	if !slices.Contains(r.opts.impls, "golws") {
		return
	}
	var peers []string
	for _, impl := range allImpls {
		if impl != "golws" && slices.Contains(r.opts.impls, impl) {
			peers = append(peers, impl)
		}
	}
	if len(peers) == 0 {
		return
	}
	find := func(k pointKey) (summary, bool) {
		i := slices.IndexFunc(sums, func(s summary) bool { return s.pointKey == k })
		if i < 0 {
			return summary{}, false
		}
		return sums[i], true
	}
	ranged := r.opts.count > 1

	fmt.Fprintf(b, "\n## golws vs peers\n\n")
	fmt.Fprintf(b, "golws's median over the peer's median. Server CPU µs/msg: below 1 golws uses less CPU per message. msg/s: above 1 golws echoes more.")
	if ranged {
		fmt.Fprintf(b, " In parentheses, the lowest and highest of the %d run-by-run ratios (golws's run in repetition i against the peer's run in the same repetition, seconds apart).", r.opts.count)
	}
	fmt.Fprintf(b, "\n\n| deflate | size | conns |")
	for _, p := range peers {
		fmt.Fprintf(b, " CPU/msg vs %s |", p)
	}
	for _, p := range peers {
		fmt.Fprintf(b, " msg/s vs %s |", p)
	}
	fmt.Fprintf(b, "\n|---|--:|--:|%s\n", strings.Repeat("--:|", 2*len(peers)))

	for _, g := range sums {
		if g.impl != "golws" {
			continue
		}
		var cpu, rate []string
		for _, p := range peers {
			ps, ok := find(pointKey{p, g.deflate, g.size, g.conns})
			c := compare(g, ps)
			if !ok || !c.ok {
				cpu, rate = append(cpu, "–"), append(rate, "–")
				continue
			}
			cpu = append(cpu, report.WithRange(c.cpu, c.cpuLo, c.cpuHi, "%.2f", ranged))
			rate = append(rate, report.WithRange(c.rate, c.rateLo, c.rateHi, "%.2f", ranged))
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %s |\n", onOff(g.deflate), report.SizeName(g.size), g.conns, strings.Join(cpu, " | "), strings.Join(rate, " | "))
	}
}

// writeRuns lists every run in the order it ran, for checking what the
// medians hide.
func (r *wsReport) writeRuns(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Every run, in the order they ran\n\n")
	fmt.Fprintf(b, "| # | impl | deflate | size | conns | rep | msg/s | p50 µs | p99 µs | server CPU µs/msg | server allocs/msg | server CPU | generator CPU | other CPU | windows |\n")
	fmt.Fprintf(b, "|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for i, p := range r.points {
		allocs := fmt.Sprintf("%.3f", p.allocPerMsg)
		if noAllocCount(p.impl) {
			allocs = "n/a"
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s | %d | %d | %s | %s | %s | %.2f | %s | %.0f%% | %.0f%% | %.0f%% | %d |\n",
			i+1, p.impl, onOff(p.deflate), report.SizeName(p.size), p.conns, p.rep, report.Thousands(p.rate), fmtMicros(p.p50), fmtMicros(p.p99),
			report.Micros(p.cpuPerMsg), allocs, 100*p.srvCPU, 100*p.genCPU, 100*p.otherCPU, p.tries)
	}
}

// runName names one run in the notes, e.g. "golws 64 B×100 #2".
func runName(p pointResult) string {
	return fmt.Sprintf("%s %s×%d%s #%d", p.impl, report.SizeName(p.size), p.conns, deflateTag(p.deflate), p.rep)
}

// fmtMicros formats d in microseconds with one decimal.
func fmtMicros(d time.Duration) string {
	return strconv.FormatFloat(report.Micros(d), 'f', 1, 64)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// versions lists the peers' module versions as built into this binary.
func versions(lws string) string {
	var vs []string
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			switch m.Path {
			case "github.com/gorilla/websocket", "github.com/coder/websocket", "github.com/gobwas/ws", "github.com/lesismal/nbio":
				vs = append(vs, m.Path+" "+m.Version)
			}
		}
	}
	if lws != "" {
		vs = append(vs, "libwebsockets "+lws+" (lws-echo, bench/lws-echo/echo.c, cc -O2)")
	}
	return runtime.Version() + "; " + strings.Join(vs, ", ")
}
