//go:build linux

package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golws/golws/bench/internal/report"
)

// serverInfo is what the header says about each server.
type serverInfo struct {
	impl        string
	affinity    string
	goServer    bool
	statsAllocs uint64
}

// httpReport collects the run's results and renders them as markdown.
type httpReport struct {
	opts    options
	tools   *toolSet
	started time.Time
	wall    time.Duration
	servers []serverInfo
	runs    []runResult
	notes   []string
	loadavg string // /proc/loadavg at start: was the machine already busy?
	// tlsSeen is, per server, every distinct TLS negotiation its runs
	// reported (-proto https), with what reported it.
	tlsSeen map[string][]string
}

// noteTLS records the TLS negotiation a run reported.
func (r *httpReport) noteTLS(impl string, sc scenario, res runResult) {
	if res.tlsInfo == "" {
		return
	}
	by := "h2load"
	if sc.tool == toolHandshake {
		by = "handshake generator"
	}
	entry := res.tlsInfo + " (" + by + ")"
	if r.tlsSeen == nil {
		r.tlsSeen = map[string][]string{}
	}
	if !slices.Contains(r.tlsSeen[impl], entry) {
		r.tlsSeen[impl] = append(r.tlsSeen[impl], entry)
	}
}

func (r *httpReport) markdown() string {
	var b strings.Builder
	o := r.opts
	h2 := o.proto == protoH2
	switch o.proto {
	case protoH2:
		fmt.Fprintf(&b, "# httpbench -proto h2: HTTP/2 over cleartext TCP (h2c) servers side by side\n\n")
	case protoHTTPS:
		fmt.Fprintf(&b, "# httpbench -proto https: TLS 1.3 servers side by side (HTTP/2, HTTP/1.1, full handshakes)\n\n")
	default:
		fmt.Fprintf(&b, "# httpbench: HTTP/1.1 servers side by side\n\n")
	}
	report.WriteMachine(&b, r.started)
	fmt.Fprintf(&b, "- tools: %s\n", strings.Join(r.tools.versions, ", "))
	if o.proto == protoHTTPS {
		fmt.Fprintf(&b, "- certificate: one ECDSA P-256 self-signed certificate and key (golws's `tls.SelfSigned`), the same two files for every server; TLS 1.3 with each server's default cipher suites, groups and session-ticket settings\n")
		for _, s := range r.servers {
			if seen := r.tlsSeen[s.impl]; len(seen) > 0 {
				fmt.Fprintf(&b, "- negotiated with %s: %s\n", displayName(s.impl), strings.Join(seen, "; "))
			}
		}
		fmt.Fprintf(&b, "- pinning: every server `taskset -c 0` (Go servers GOMAXPROCS=1, nginx one worker, h2o one thread); h2load, the handshake generator and the harness on CPU 1\n")
		fmt.Fprintf(&b, "- load: h2load `-n N -c C -m M` on `https://` URIs (ALPN offers h2 alone) and `--h1 -n N -c C` (ALPN http/1.1 alone); the handshake scenario from `httpbench handshake` (see Full handshakes); h2load's default windows (2³⁰-1) and 16 KiB frames\n")
	} else if h2 {
		fmt.Fprintf(&b, "- pinning: every server `taskset -c 0` (Go servers GOMAXPROCS=1, nginx one worker, h2o one thread); h2load and the harness on CPU 1\n")
		fmt.Fprintf(&b, "- load: h2load `-n N -c C -m M` on `http://` URIs: HTTP/2 with prior knowledge (h2c), M streams in flight per connection; h2load's default windows (stream and connection 2³⁰-1) and 16 KiB frames\n")
	} else {
		fmt.Fprintf(&b, "- pinning: every server `taskset -c 0` (Go servers GOMAXPROCS=1, nginx one worker, h2o one thread); h2load, wrk and the harness on CPU 1\n")
		fmt.Fprintf(&b, "- load: h2load `--h1 -n N -c C` (one request in flight per connection); wrk `-t1 -c 100 -d %v`, %d requests pipelined per write\n", o.duration, pipelineDepth)
	}
	fmt.Fprintf(&b, "- runs: every server and scenario measured %d times, interleaved (each repetition runs every server once, the order rotating by one per repetition), each after an unmeasured warm-up of a tenth of its size; all servers run for the whole run, idle when not measured\n", o.count)
	fmt.Fprintf(&b, "- shared-machine guard: wait up to %v for CPUs 0-1 to be quiet before each run; re-run up to %d times while other processes take over %.0f%% of a core\n", o.quietWait, o.retries, 100*otherCPUWarn)
	var cal []string
	for _, s := range r.servers {
		if s.goServer {
			cal = append(cal, fmt.Sprintf("%s %d", displayName(s.impl), s.statsAllocs))
		}
	}
	if len(cal) > 0 {
		fmt.Fprintf(&b, "- Go server mallocs per stats call (subtracted): %s\n", strings.Join(cal, ", "))
	}
	fmt.Fprintf(&b, "- wall time of the whole run: %v\n", r.wall.Round(time.Second))

	sums := summarize(r.runs)
	ranged := o.count > 1
	fmt.Fprintf(&b, "\n## Throughput and server cost\n\n")
	cpuHead := "server CPU µs/req"
	if ranged {
		fmt.Fprintf(&b, "Each row is the median of %d runs; server CPU µs/req also gives the lowest and highest run, other CPU is the most disturbed run's. MB/s counts %s received, in 10⁶ bytes.\n\n", o.count, bytesCounted(o.proto))
		cpuHead += " (min–max)"
	}
	fmt.Fprintf(&b, "| scenario | server | req/s | MB/s | p50 µs | p99 µs | %s | server allocs/req | server CPU | generator CPU | other CPU |\n", cpuHead)
	fmt.Fprintf(&b, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, s := range sums {
		fmt.Fprintf(&b, "| %s | %s | %s | %.1f | %.0f | %s | %s | %s | %.0f%% | %.0f%% | %.0f%% |\n",
			scenarioTitle(s.scenario), displayName(s.impl), report.Thousands(s.rate), s.mbps, s.p50, p99Cell(s),
			report.WithRange(s.cpu, s.cpuMin, s.cpuMax, "%.2f", ranged), allocCell(s),
			100*s.srvCPU, 100*s.genCPU, 100*s.otherMax)
	}
	r.writeHandshakes(&b, sums)
	r.writeVersus(&b, sums)
	r.writeTargets(&b, sums)
	r.writeNotes(&b)
	if ranged {
		r.writeRuns(&b)
	}
	return b.String()
}

func p99Cell(s summary) string {
	if !s.hasP99 {
		return "–"
	}
	return fmt.Sprintf("%.0f", s.p99)
}

func allocCell(s summary) string {
	if !s.hasAlloc {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", s.allocs)
}

func scenarioTitle(id string) string {
	for _, list := range scenarioLists {
		if i := slices.IndexFunc(list, func(s scenario) bool { return s.id == id }); i >= 0 {
			return list[i].title
		}
	}
	return id
}

// peers are the selected servers other than golws, in report order.
func (r *httpReport) peers() []string {
	var p []string
	for _, impl := range r.opts.servers {
		if impl != implGolws {
			p = append(p, impl)
		}
	}
	return p
}

// writeVersus writes the "golws vs peers" tables: per scenario, golws's
// median over each peer's median, for server CPU per request (below 1:
// golws spends less) and for req/s (above 1: golws serves more). With
// several runs the parentheses give the lowest and highest of the same
// ratio taken run by run.
func (r *httpReport) writeVersus(b *strings.Builder, sums []summary) {
	peers := r.peers()
	if !slices.Contains(r.opts.servers, implGolws) || len(peers) == 0 {
		return
	}
	ranged := r.opts.count > 1
	fmt.Fprintf(b, "\n## golws vs peers\n\n")
	fmt.Fprintf(b, "golws's median over the peer's median.")
	if ranged {
		fmt.Fprintf(b, " In parentheses, the lowest and highest of the %d run-by-run ratios (golws's run in repetition i against the peer's run in the same repetition); a range straddling 1 is too close to call on this machine.", r.opts.count)
	}
	fmt.Fprintf(b, " – where the peer does not run the scenario.\n")
	for _, table := range []struct {
		title string
		pick  func(cpu, rate ratio) ratio
	}{
		{"Server CPU per request (below 1: golws spends less)", func(cpu, _ ratio) ratio { return cpu }},
		{"Requests per second (above 1: golws serves more)", func(_, rate ratio) ratio { return rate }},
	} {
		fmt.Fprintf(b, "\n### %s\n\n| scenario |", table.title)
		for _, p := range peers {
			fmt.Fprintf(b, " vs %s |", displayName(p))
		}
		fmt.Fprintf(b, "\n|---|%s\n", strings.Repeat("--:|", len(peers)))
		for _, g := range sums {
			if g.impl != implGolws {
				continue
			}
			fmt.Fprintf(b, "| %s |", scenarioTitle(g.scenario))
			for _, p := range peers {
				cell := "–"
				if ps, ok := find(sums, runKey{g.scenario, p}); ok {
					if x := table.pick(compare(g, ps)); x.ok {
						cell = report.WithRange(x.mid, x.lo, x.hi, "%.2f", ranged)
					}
				}
				fmt.Fprintf(b, " %s |", cell)
			}
			fmt.Fprintf(b, "\n")
		}
	}
}

// target is one of golws's goals against a peer: server CPU per request
// at most factor times the peer's, or req/s at least factor times the
// peer's.
type target struct {
	scenario, peer string
	cpu            bool // true: CPU per request; false: req/s
	factor         float64
}

// targets are the comparisons golws aims to win, checked on the medians.
var targets = []target{
	{"plain-c1", implNginx, true, 1}, {"plain-c1", implGnet, true, 1.1},
	{"plain-c10", implNginx, true, 1}, {"plain-c10", implGnet, true, 1.1},
	{"plain-c100", implNginx, true, 1}, {"plain-c100", implGnet, true, 1.1},
	{"pipelined", implGnet, false, 1},
	{"file-4k", implH2O, false, 1},
	{"file-1m", implNginx, false, 1}, {"file-1m", implNginx, true, 1},
}

// writeTargets checks each target whose two servers ran.
func (r *httpReport) writeTargets(b *strings.Builder, sums []summary) {
	var rows []string
	for _, t := range targets {
		g, ok1 := find(sums, runKey{t.scenario, implGolws})
		p, ok2 := find(sums, runKey{t.scenario, t.peer})
		if !ok1 || !ok2 {
			continue
		}
		cpu, rate := compare(g, p)
		var goal, gv, pv string
		var met bool
		x := rate
		if t.cpu {
			x = cpu
			goal = fmt.Sprintf("CPU/req ≤ %s", factorOf(t.factor, displayName(t.peer)))
			gv, pv = fmt.Sprintf("%.2f µs", g.cpu), fmt.Sprintf("%.2f µs", p.cpu)
			met = g.cpu <= t.factor*p.cpu
		} else {
			goal = fmt.Sprintf("req/s ≥ %s", factorOf(t.factor, displayName(t.peer)))
			gv, pv = report.Thousands(g.rate), report.Thousands(p.rate)
			met = g.rate >= t.factor*p.rate
		}
		verdict := "met"
		if !met {
			verdict = "**missed**"
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %s |", scenarioTitle(t.scenario), goal, gv, pv,
			report.WithRange(x.mid, x.lo, x.hi, "%.2f", r.opts.count > 1), verdict))
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## Targets\n\ngolws's goals against its strongest peers, judged on the medians; the ratio is golws over the peer, with its run-by-run range.\n\n")
	fmt.Fprintf(b, "| scenario | goal | golws | peer | ratio | |\n|---|---|--:|--:|--:|---|\n%s\n", strings.Join(rows, "\n"))
}

func factorOf(f float64, peer string) string {
	if f == 1 {
		return peer + "'s"
	}
	return fmt.Sprintf("%g × %s's", f, peer)
}

// bytesCounted says what MB/s counts.
func bytesCounted(proto string) string {
	switch proto {
	case protoH2:
		return "every byte (frame headers, HPACK-compressed heads, bodies)"
	case protoHTTPS:
		return "the decrypted bytes (for h2 frame headers, HPACK-compressed heads and bodies, for HTTP/1.1 heads and bodies; not the TLS records' own overhead)"
	}
	return "heads and bodies"
}

// writeHandshakes writes the full-handshake scenario's own table: a
// request there is a connection and a full handshake, so its req/s and
// CPU per request are handshakes per second and CPU per handshake.
func (r *httpReport) writeHandshakes(b *strings.Builder, sums []summary) {
	var rows []string
	ranged := r.opts.count > 1
	for _, s := range sums {
		if sc := scenarioByID(s.scenario); sc.tool != toolHandshake {
			continue
		}
		var tickets, announced []string
		for _, run := range s.runs {
			if h := run.handshake; h != nil && h.handshakes > 0 {
				tickets = appendUnique(tickets, fmt.Sprintf("%.2f", float64(h.tickets)/float64(h.handshakes)))
				announced = appendUnique(announced, fmt.Sprintf("%.0f%%", 100*float64(h.announced)/float64(h.ok)))
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %.0f | %.0f | %s | %s | %s | %.0f%% | %.0f%% |",
			displayName(s.impl), report.Thousands(s.rate), report.WithRange(s.cpu, s.cpuMin, s.cpuMax, "%.1f", ranged),
			s.p50, s.p99, allocCell(s), strings.Join(tickets, ", "), strings.Join(announced, ", "), 100*s.srvCPU, 100*s.genCPU))
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## Full handshakes\n\n")
	fmt.Fprintf(b, "The %s scenario: every request on a new TCP connection with a full TLS 1.3 handshake (the generator keeps no session, so none is resumed; it checks that each of the N connections made one handshake, got its 200 and was then closed by the server). Handshakes/s and server CPU per handshake are that scenario's req/s and CPU per request: they include the connection's accept, its one request and its close. Connection p50 / p99 is the time from dialing to the end of the response. Tickets/connection is how many session tickets the server sent per connection (the generator counts and drops them); \"Connection: close\" echoed is the share of responses that said so.\n\n",
		scenarioTitle("tls-handshake-c50"))
	fmt.Fprintf(b, "| server | handshakes/s | server CPU µs/handshake%s | connection p50 µs | p99 µs | server allocs/handshake | tickets/connection | \"Connection: close\" echoed | server CPU | generator CPU |\n", map[bool]string{true: " (min–max)"}[ranged])
	fmt.Fprintf(b, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n%s\n", strings.Join(rows, "\n"))
}

func appendUnique(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// scenarioByID finds a scenario in any list (the zero scenario if none).
func scenarioByID(id string) scenario {
	for _, list := range scenarioLists {
		if i := slices.IndexFunc(list, func(s scenario) bool { return s.id == id }); i >= 0 {
			return list[i]
		}
	}
	return scenario{}
}

func (r *httpReport) writeNotes(b *strings.Builder) {
	o := r.opts
	notes := []string{
		"server CPU is the CPU time of the server's processes (user and system, all threads; nginx's master and worker, h2o and its idle backtrace helper) between a reading right before the generator starts and one right after it exits, divided by the requests. It is read from each process's kernel CPU clock (clock_gettime on clock_getcpuclockid's clock, in ns), the same for every server. Loopback TCP work done in softirq is charged to whichever process it interrupts, nearly always the server or the generator.",
	}
	if o.proto == protoHTTPS {
		notes = append(notes, httpsNotes(o)...)
	} else if o.proto == protoH2 {
		notes = append(notes,
			"p50 and p99 come from h2load's per-request log: the time from sending a request (its HEADERS frame) to the end of its response. With M streams in flight on a connection it includes the wait behind the other streams' responses.",
			"every request must succeed: h2load's counts (all sent, done, succeeded, 2xx, none failed, errored or timed out), exactly the body bytes expected, h2load's \"Application protocol: h2c\" (it really spoke HTTP/2), and a 2xx status on every line of its log. Before any measurement each server answered one and then 16 concurrent GET /plaintext, multiplexed on one h2c connection by Go's HTTP/2 client, and every served file byte for byte, all over HTTP/2.",
			"how each server takes h2c: golws `ListenH2C` (prior knowledge only; a `Listen` port would also take it after sniffing the preface); net/http an `http.Server` whose `Protocols` hold only `UnencryptedHTTP2`; nginx `listen 127.0.0.1:PORT http2;` without TLS (prior knowledge only); h2o its ordinary plain listener, which takes the HTTP/2 preface as well as HTTP/1.1.",
			"every server keeps its own HTTP/2 defaults: SETTINGS_MAX_CONCURRENT_STREAMS is 128 for golws and nginx, 100 for h2o and 250 for net/http, all at least the 100 streams of the c=1 scenario; DATA frames are at most 16 KiB (h2load's SETTINGS_MAX_FRAME_SIZE), so a 1 MiB file is 64 or more frames, and how a server fills them (nginx's http2_chunk_size is 8 KiB) is part of what is measured.",
		)
		if slices.Contains(o.servers, implNginx) {
			notes = append(notes, "nginx serves files without sendfile over HTTP/2 (`sendfile off`, its built-in default) and no open_file_cache (its default): with `sendfile on`, as httpbench configures it for HTTP/1.1, nginx 1.22's HTTP/2 output stalls for tens of milliseconds at a time on the 1 MiB file (measured on this machine: a third of the rate, requests up to 55 ms instead of 10 ms). Every server keeps its own defaults for file serving.")
		}
	} else {
		notes = append(notes,
			"p50 and p99 come from h2load's per-request log (time from sending a request to the end of its response) and, for the pipelined scenario, from wrk's histogram (time from writing a batch of 16 to each of its responses). wrk 4.1 adds synthetic samples to that histogram to correct for coordinated omission, which with pipelining swamp the measured ones; the script undoes the correction and reports percentiles of the measured latencies (see wrkScript in load.go). – where that reconstruction failed its check.",
			"every request must succeed: h2load's counts (all sent, done, succeeded, 2xx, none failed, errored or timed out), exactly the body bytes expected, and a 2xx status on every line of its log; wrk no socket error, no status above 399 and bytes per response matching the size of one response measured before the run. Before any measurement each server answered 16 pipelined /plaintext requests and every served file byte for byte.",
		)
		if slices.Contains(o.servers, implGnet) {
			notes = append(notes, "gnet is a hand-written plaintext responder (it looks for the end of each request head and answers a fixed response with a cached Date), as in gnet's own HTTP benchmarks: it runs the plaintext and pipelined scenarios only.")
		}
		notes = append(notes, "nginx serves files as configured above, `sendfile on` and no open_file_cache (its default); every server keeps its own defaults for file serving.")
	}
	if slices.Contains(r.opts.servers, implH2O) {
		if r.tools.h2oMruby {
			notes = append(notes, "h2o answers /plaintext from an mruby handler (`[200, {\"content-type\" => \"text/plain\"}, [\"Hello, World!\"]]`): this Debian build has mruby, and h2o has no other way to return a fixed string, so its plaintext figures include the mruby call.")
		} else {
			notes = append(notes, "h2o answers /plaintext from a 13-byte file (`file.file`): this build has no mruby, which h2o needs to return a fixed string, so its plaintext figures are those of a tiny static file.")
		}
	}
	for _, s := range r.tools.skipped {
		notes = append(notes, fmt.Sprintf("%s is not installed on this machine and was left out of this run.", s))
	}
	notes = append(notes, r.notes...)
	var busy, retried []string
	for _, p := range r.runs {
		if p.otherCPU > otherCPUWarn {
			busy = append(busy, fmt.Sprintf("%s (%.0f%%)", runName(p), 100*p.otherCPU))
		}
		if p.tries > 1 {
			retried = append(retried, fmt.Sprintf("%s (%d runs)", runName(p), p.tries))
		}
	}
	if len(retried) > 0 {
		notes = append(notes, "re-run because other processes disturbed the run (least disturbed kept): "+strings.Join(retried, ", "))
	}
	if len(busy) > 0 {
		notes = append(notes, fmt.Sprintf("other processes used more than %.0f%% of a core on CPUs 0-1 during: %s; those runs measure contention as much as the servers", 100*otherCPUWarn, strings.Join(busy, ", ")))
	}
	if r.loadavg != "" {
		notes = append(notes, "load average when the run started: "+r.loadavg)
	}
	fmt.Fprintf(b, "\n## Notes\n\n")
	for _, n := range notes {
		fmt.Fprintf(b, "- %s\n", n)
	}
}

// writeRuns lists every run in the order it ran.
func (r *httpReport) writeRuns(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Every run, in the order they ran\n\n")
	fmt.Fprintf(b, "| # | scenario | server | rep | req/s | MB/s | p50 µs | p99 µs | server CPU µs/req | server allocs/req | server CPU | generator CPU | other CPU | runs |\n")
	fmt.Fprintf(b, "|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for i, p := range r.runs {
		p99, allocs := "–", "n/a"
		if p.hasP99 {
			p99 = fmt.Sprintf("%.0f", report.Micros(p.p99))
		}
		if p.hasAlloc {
			allocs = fmt.Sprintf("%.2f", p.allocs)
		}
		fmt.Fprintf(b, "| %d | %s | %s | %d | %s | %.1f | %.0f | %s | %.2f | %s | %.0f%% | %.0f%% | %.0f%% | %d |\n",
			i+1, scenarioTitle(p.scenario), displayName(p.impl), p.rep, report.Thousands(p.rate), p.mbps,
			report.Micros(p.p50), p99, report.Micros(p.cpuPer), allocs, 100*p.srvCPU, 100*p.genCPU, 100*p.otherCPU, p.tries)
	}
}

// runName names one run in the notes, e.g. "golws plaintext c=100 #2".
func runName(p runResult) string {
	return fmt.Sprintf("%s %s #%d", displayName(p.impl), scenarioTitle(p.scenario), p.rep)
}

// httpsNotes are the notes of a -proto https report.
func httpsNotes(o options) []string {
	notes := []string{
		"p50 and p99 come from h2load's per-request log (time from sending a request to the end of its response; with M streams in flight on a connection it includes the wait behind the others) and, for the handshake scenario, from the generator's own timing of each connection, from dialing to the end of the response.",
		"every request must succeed: h2load's counts (all sent, done, succeeded, 2xx, none failed, errored or timed out), exactly the body bytes expected, a 2xx status on every line of its log, its \"TLS Protocol: TLSv1.3\" line and its \"Application protocol:\" line saying h2 or http/1.1 as the scenario asks (h2load offers only that one in ALPN, so a server that cannot speak it fails). The handshake generator's counts must show N connections, N full handshakes (none resumed), N requests answered 200 with the exact body and N connections closed by the server afterwards, all on TLS 1.3 with one cipher suite and key exchange throughout, each server presenting the run's certificate byte for byte. Before any measurement each server answered 16 pipelined /plaintext requests over TLS with ALPN http/1.1, one and then 16 concurrent GET /plaintext multiplexed on one TLS h2 connection, and every served file byte for byte over h2, all trusting only the run's certificate.",
		"how each server takes TLS: golws `Vhost.TLS(cert, key, golws.TLSOptions{})` and `ListenTLS` (handshakes in golws's own pool of goroutines, off the event loop; ALPN h2 and http/1.1); net/http `ServeTLS` with a `tls.Config` holding the certificate and nothing else (ALPN h2 and http/1.1); nginx `listen 127.0.0.1:PORT ssl http2;` with `ssl_certificate`, `ssl_certificate_key` and `ssl_protocols TLSv1.2 TLSv1.3` (nginx 1.22's default list stops at TLSv1.2: without it h2load negotiated TLSv1.2), `sendfile off` (nginx does not use sendfile over TLS without kTLS anyway); h2o an `ssl` section with `certificate-file` and `key-file` and `ocsp-update-interval: 0` (no OCSP updater process: the certificate names no responder). Cipher suites, groups, session caches and tickets are every server's defaults.",
		"the full-handshake scenario is not h2load: h2load 1.52 with `-H 'Connection: close'` does make a new connection per request, but keeps each client's TLS session and resumes it on the next connection (measured against net/http: 18 of 20 connections resumed with -n 20 -c 2). nginx, h2o and net/http can be told to refuse resumption, golws cannot (golws.TLSOptions has no session-ticket switch), so `httpbench handshake` (this binary, pinned to CPU 1 like h2load) makes the connections instead, with crypto/tls: no session cache (it never offers a ticket), ALPN http/1.1 only, X25519 only (what h2load's OpenSSL 3.0 negotiates with every server here; Go's default would add X25519MLKEM768, which the OpenSSL servers lack), the certificate compared byte for byte instead of verified (h2load does not verify it either; the handshake signature is checked as always), one `GET /plaintext` with `Connection: close`, then it waits for the server's close and sends close_notify as h2load's SSL_shutdown does.",
		"every server keeps its HTTP/2 defaults (see results/h2.md); DATA frames are at most 16 KiB (h2load's SETTINGS_MAX_FRAME_SIZE) and TLS records carry what each server writes at a time, so a 1 MiB file is 64 or more frames and some number of records, and how a server packs them is part of what is measured.",
	}
	return notes
}
