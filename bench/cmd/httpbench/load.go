//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// loadResult is what one generator run measured, already checked to have
// succeeded on every request.
type loadResult struct {
	requests int64         // responses received, all 2xx
	rate     float64       // requests per second, as the tool measured it
	bytes    int64         // bytes received, heads and bodies
	elapsed  time.Duration // the tool's own measured duration
	p50, p99 time.Duration
	hasP99   bool          // false when the tool gave no usable p99
	genCPU   time.Duration // the generator process's user+system time
	// tlsInfo is what was negotiated over TLS (version, cipher suite, key
	// exchange), as the generator reported it; "" over cleartext.
	tlsInfo string
	// handshake is the handshake generator's own summary, for its
	// scenario; nil for h2load and wrk.
	handshake *handshakeSummary
}

// toolRun is a finished generator process: its output and its CPU time.
type toolRun struct {
	out    []byte
	genCPU time.Duration
}

// Deadlines for one generator run. A run that takes longer than these is
// a server that stopped answering.
const (
	h2loadTimeout = 2 * time.Minute
	wrkSlack      = 30 * time.Second // past -duration
)

// runTool runs a generator pinned to CPU 1 and returns its output. It is
// killed by its PID if it outlives timeout or the context. A non-zero exit
// is an error that quotes the output.
func runTool(ctx context.Context, tools *toolSet, timeout time.Duration, argv ...string) (toolRun, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout,
		fmt.Errorf("%s did not finish within %v", filepath.Base(argv[0]), timeout))
	defer cancel()
	cmd := exec.CommandContext(ctx, tools.taskset, append([]string{"-c", "1"}, argv...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.WaitDelay = 5 * time.Second // output pipes: never wait forever
	err := cmd.Run()
	var r toolRun
	r.out = out.Bytes()
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.genCPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	if ctx.Err() != nil {
		return r, fmt.Errorf("%s killed: %w", filepath.Base(argv[0]), context.Cause(ctx))
	}
	if err != nil {
		return r, fmt.Errorf("%s failed (%v):\n%s", argv[0], err, tail(r.out, 2000))
	}
	return r, nil
}

// h2loadJob is one h2load run.
type h2loadJob struct {
	url   string
	proto string // protoH1 or protoH2
	tls   bool   // https: h2load must report TLSv1.3
	n, c  int    // requests, connections
	// streams is -m, the requests in flight per connection, for h2; an
	// HTTP/1.1 run has one per connection.
	streams int
	body    int    // expected body bytes of every response
	logPath string // --log-file, or "" for none
}

// wantALPN is what h2load's "Application protocol:" line must say: the
// protocol it really spoke, so a server that answered something else (or
// an h2load that fell back) fails the run.
func (j h2loadJob) wantALPN() string {
	switch {
	case j.proto == protoH2 && j.tls:
		return "h2"
	case j.proto == protoH2:
		return "h2c"
	}
	return "http/1.1"
}

// wantTLS is what h2load's "TLS Protocol:" line must say: TLSv1.3 over
// https, and no such line over cleartext.
func (j h2loadJob) wantTLS() string {
	if j.tls {
		return "TLSv1.3"
	}
	return ""
}

// h2loadArgs is the command line for j: HTTP/1.1 only (--h1) with one
// request in flight per connection, or HTTP/2 with -m streams (over
// cleartext with prior knowledge for an http:// URI, h2load's default
// there; over TLS for an https:// one, ALPN offering h2 only); with a
// logPath, every request's status and duration are written there. For
// https, --h1 makes h2load offer http/1.1 alone.
func h2loadArgs(tools *toolSet, j h2loadJob) []string {
	args := []string{tools.h2load}
	if j.proto == protoH2 {
		args = append(args, "-m", strconv.Itoa(max(j.streams, 1)))
	} else {
		args = append(args, "--h1")
	}
	args = append(args, "-n", strconv.Itoa(j.n), "-c", strconv.Itoa(j.c))
	if j.logPath != "" {
		args = append(args, "--log-file="+j.logPath)
	}
	return append(args, j.url)
}

// wrkArgs is the command line for one wrk thread over c connections for d,
// sending through script.
func wrkArgs(tools *toolSet, url string, c int, d time.Duration, script string) []string {
	// wrk takes whole seconds only; -duration is checked to be that.
	return []string{tools.wrk, "-t1", "-c", strconv.Itoa(c), "-d", fmt.Sprintf("%ds", int(d.Seconds())),
		"--timeout", "5s", "-s", script, url}
}

// h2loadSummary is h2load's closing report.
type h2loadSummary struct {
	alpn                                                    string // "Application protocol:", "" if none
	tlsProto, cipher, tempKey                               string // "TLS Protocol:", "Cipher:", "Server Temp Key:"; "" over cleartext
	elapsed                                                 time.Duration
	rate                                                    float64
	total, started, done, succeeded, failed, errored, tmout int64
	s2xx, s3xx, s4xx, s5xx                                  int64
	trafficTotal, trafficHeaders, trafficData               int64
}

var (
	h2Finished = regexp.MustCompile(`(?m)^finished in ([0-9.]+)(us|µs|ms|s), ([0-9.]+) req/s`)
	h2Requests = regexp.MustCompile(`(?m)^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout`)
	h2Status   = regexp.MustCompile(`(?m)^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx`)
	h2Traffic  = regexp.MustCompile(`(?m)^traffic: \S+ \((\d+)\) total, \S+ \((\d+)\) headers .*?, \S+ \((\d+)\) data`)
	h2ALPN     = regexp.MustCompile(`(?m)^Application protocol: (\S+)`)
	h2TLS      = regexp.MustCompile(`(?m)^TLS Protocol: (\S+)`)
	h2Cipher   = regexp.MustCompile(`(?m)^Cipher: (\S+)`)
	h2TempKey  = regexp.MustCompile(`(?m)^Server Temp Key: (.+?)\s*$`)
)

// parseH2load reads h2load's summary lines. Every one must be there.
func parseH2load(out []byte) (h2loadSummary, error) {
	var s h2loadSummary
	ints := func(re *regexp.Regexp, what string, dst ...*int64) error {
		m := re.FindSubmatch(out)
		if m == nil {
			return fmt.Errorf("h2load printed no %s line:\n%s", what, tail(out, 2000))
		}
		for i, d := range dst {
			v, err := strconv.ParseInt(string(m[i+1]), 10, 64)
			if err != nil {
				return fmt.Errorf("h2load %s line: %w", what, err)
			}
			*d = v
		}
		return nil
	}
	for re, dst := range map[*regexp.Regexp]*string{h2ALPN: &s.alpn, h2TLS: &s.tlsProto, h2Cipher: &s.cipher, h2TempKey: &s.tempKey} {
		if m := re.FindSubmatch(out); m != nil {
			*dst = string(m[1])
		}
	}
	m := h2Finished.FindSubmatch(out)
	if m == nil {
		return s, fmt.Errorf("h2load printed no \"finished in\" line:\n%s", tail(out, 2000))
	}
	v, err1 := strconv.ParseFloat(string(m[1]), 64)
	rate, err2 := strconv.ParseFloat(string(m[3]), 64)
	if err1 != nil || err2 != nil {
		return s, fmt.Errorf("h2load \"finished in\" line: %q", m[0])
	}
	unit := map[string]time.Duration{"us": time.Microsecond, "µs": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(m[2])]
	s.elapsed, s.rate = time.Duration(v*float64(unit)), rate
	if err := ints(h2Requests, "requests", &s.total, &s.started, &s.done, &s.succeeded, &s.failed, &s.errored, &s.tmout); err != nil {
		return s, err
	}
	if err := ints(h2Status, "status codes", &s.s2xx, &s.s3xx, &s.s4xx, &s.s5xx); err != nil {
		return s, err
	}
	if err := ints(h2Traffic, "traffic", &s.trafficTotal, &s.trafficHeaders, &s.trafficData); err != nil {
		return s, err
	}
	return s, nil
}

// check fails unless all n requests were sent, answered 2xx, and carried
// exactly body bytes each: h2load itself exits 0 whatever happened. With
// a non-empty alpn, h2load must have spoken that protocol; its TLS
// protocol line must say tlsProto ("" for none: cleartext).
func (s h2loadSummary) check(n, body int, alpn, tlsProto string) error {
	var bad []string
	if alpn != "" && s.alpn != alpn {
		bad = append(bad, fmt.Sprintf("application protocol %q, want %q", s.alpn, alpn))
	}
	if s.tlsProto != tlsProto {
		bad = append(bad, fmt.Sprintf("TLS protocol %q, want %q", s.tlsProto, tlsProto))
	}
	if s.total != int64(n) || s.started != int64(n) || s.done != int64(n) || s.succeeded != int64(n) {
		bad = append(bad, fmt.Sprintf("%d requests asked, %d total, %d started, %d done, %d succeeded", n, s.total, s.started, s.done, s.succeeded))
	}
	if s.failed != 0 || s.errored != 0 || s.tmout != 0 {
		bad = append(bad, fmt.Sprintf("%d failed, %d errored, %d timed out", s.failed, s.errored, s.tmout))
	}
	if s.s2xx != int64(n) {
		bad = append(bad, fmt.Sprintf("status codes: %d 2xx, %d 3xx, %d 4xx, %d 5xx", s.s2xx, s.s3xx, s.s4xx, s.s5xx))
	}
	if want := int64(n) * int64(body); s.trafficData != want {
		bad = append(bad, fmt.Sprintf("%d body bytes received, want %d (%d × %d)", s.trafficData, want, n, body))
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// h2loadLatencies reads h2load's --log-file (tab-separated: start time in
// µs since the epoch, HTTP status, duration in µs) and returns the
// durations, sorted. Any status other than 2xx is an error.
func h2loadLatencies(r io.Reader) ([]time.Duration, error) {
	var lat []time.Duration
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("h2load log line %d: %q: want 3 tab-separated fields", line, sc.Text())
		}
		status, err1 := strconv.Atoi(f[1])
		us, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || us < 0 {
			return nil, fmt.Errorf("h2load log line %d: %q", line, sc.Text())
		}
		if status < 200 || status > 299 {
			return nil, fmt.Errorf("h2load log line %d: status %d", line, status)
		}
		lat = append(lat, time.Duration(us)*time.Microsecond)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.Sort(lat)
	return lat, nil
}

// percentile is the nearest-rank q-quantile of sorted values.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(q*float64(len(sorted)) + 0.999999) // ceil, within float error
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// runH2load runs one h2load measurement and checks it. With a logPath it
// also reads the per-request log for p50 and p99. sampleAfter runs as soon
// as h2load has exited, before the output is parsed, so the server's
// counters are read with nothing else in between.
func runH2load(ctx context.Context, tools *toolSet, j h2loadJob, sampleAfter func() error) (loadResult, error) {
	var res loadResult
	n, logPath := j.n, j.logPath
	if logPath != "" {
		os.Remove(logPath)
	}
	run, err := runTool(ctx, tools, h2loadTimeout, h2loadArgs(tools, j)...)
	res.genCPU = run.genCPU
	if err != nil {
		return res, err
	}
	if sampleAfter != nil {
		if err := sampleAfter(); err != nil {
			return res, err
		}
	}
	sum, err := parseH2load(run.out)
	if err != nil {
		return res, err
	}
	if err := sum.check(n, j.body, j.wantALPN(), j.wantTLS()); err != nil {
		return res, fmt.Errorf("%s: not every request succeeded: %w", strings.Join(h2loadArgs(&toolSet{h2load: "h2load"}, j), " "), err)
	}
	res.requests, res.rate, res.elapsed = sum.succeeded, sum.rate, sum.elapsed
	res.bytes = sum.trafficTotal
	if sum.tlsProto != "" {
		res.tlsInfo = fmt.Sprintf("%s, %s, %s", sum.tlsProto, sum.cipher, sum.tempKey)
	}
	if sum.rate > 0 { // more precise than the printed elapsed time
		res.elapsed = time.Duration(float64(sum.done) / sum.rate * float64(time.Second))
	}
	if logPath == "" {
		return res, nil
	}
	f, err := os.Open(logPath)
	if err != nil {
		return res, err
	}
	defer f.Close()
	lat, err := h2loadLatencies(f)
	if err != nil {
		return res, err
	}
	if len(lat) != n {
		return res, fmt.Errorf("h2load logged %d requests, want %d", len(lat), n)
	}
	res.p50, res.p99, res.hasP99 = percentile(lat, 0.50), percentile(lat, 0.99), true
	return res, nil
}

// wrkScript is the Lua script for the pipelined scenario: every write
// carries depth GET requests for the URL's path over conns connections,
// and done prints one line with the totals, the error counts and the
// median and 99th percentile of the measured latencies.
//
// Those percentiles need care. Before done runs, wrk 4.1 "corrects" its
// latency histogram for coordinated omission: with e = duration /
// (responses / connections), the expected time between two responses on
// a connection, every recorded latency n > 2e adds a synthetic sample at
// n-e, n-2e, ... down to just above e. With 16 requests per write, e is a
// sixteenth of a round trip while every response takes about a round
// trip, so most of the corrected histogram is synthetic (and wrk's own
// percentile routine, which counts only from the fastest real response
// up, even answers 0 for high percentiles). Lua can only call that
// routine, but that is enough to undo the correction: by bisection on
// its argument, percentile() gives the cumulative count C(x) of the
// corrected histogram from the fastest response m0 up to x, and as the
// correction adds to bucket m > e exactly what the real histogram holds
// at m+e, m+2e, ..., the real count at m is the corrected count at m less
// the corrected count at m+e. The real cumulative count is therefore
// C(x) for x < a = max(m0, e+1), and C(x) - C(x+e) + C(a+e-1) above. The
// script checks that this is non-decreasing (else it prints 0s, and the
// report shows no percentile) and bisects it for the two percentiles.
func wrkScript(depth, conns int) string {
	return fmt.Sprintf(`-- Generated by httpbench: %[1]d pipelined requests per write.
local batch
local conns = %[2]d

init = function(args)
  local reqs = {}
  for i = 1, %[1]d do
    reqs[i] = wrk.format("GET")
  end
  batch = table.concat(reqs)
end

request = function()
  return batch
end

-- cum(y): share (in percent of wrk's count) of the corrected histogram from
-- its minimum up to y, inclusive; top is the whole of that share.
local function cum(lat, y, top)
  if y < lat.min then return 0 end
  if y >= lat.max then return top end
  local lo, hi = 0, top
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if lat:percentile(mid) <= y then lo = mid else hi = mid end
  end
  return lo
end

-- real(x): the same share of the uncorrected (measured) histogram.
local function realcum(lat, x, e, top, a, base)
  if x < a then return cum(lat, x, top) end
  return cum(lat, x, top) - cum(lat, x + e, top) + base
end

-- The smallest latency whose real cumulative share reaches q of total.
local function quantile(lat, q, total, e, top, a, base)
  local lo, hi = lat.min, lat.max
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if realcum(lat, mid, e, top, a, base) >= q * total then hi = mid else lo = mid + 1 end
  end
  return lo
end

done = function(summary, latency, requests)
  local e = summary.errors
  local p50, p99 = 0, 0
  local per = math.floor(summary.requests / conns)
  if per > 0 and latency.max > 0 then
    local ex = math.floor(summary.duration / per)
    -- top: the highest percentile percentile() answers without running
    -- off the end of its histogram.
    local lo, hi = 0, 100
    for _ = 1, 40 do
      local mid = (lo + hi) / 2
      if latency:percentile(mid) > 0 then lo = mid else hi = mid end
    end
    local top = lo
    local a = math.max(latency.min, ex + 1)
    local base = cum(latency, a + ex - 1, top)
    local total = realcum(latency, latency.max, ex, top, a, base)
    -- Sanity: non-decreasing over a grid, positive in total.
    local ok, prev = total > 0, 0
    for i = 0, 64 do
      local x = latency.min + math.floor((latency.max - latency.min) * i / 64)
      local r = realcum(latency, x, ex, top, a, base)
      if r < prev - 1e-6 * top then ok = false end
      prev = r
    end
    if ok then
      p50 = quantile(latency, 0.50, total, ex, top, a, base)
      p99 = quantile(latency, 0.99, total, ex, top, a, base)
    end
  end
  io.write(string.format(
    "HTTPBENCH requests=%%d bytes=%%d duration_us=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d p50_us=%%d p99_us=%%d\n",
    summary.requests, summary.bytes, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, p50, p99))
end
`, depth, conns)
}

// wrkSummary is the line the script's done hook prints.
type wrkSummary struct {
	requests, bytes, durationUs                       int64
	connectErr, readErr, writeErr, statusErr, timeout int64
	p50Us, p99Us                                      int64 // 0: none (see wrkScript)
}

// parseWrk finds and decodes the script's HTTPBENCH line.
func parseWrk(out []byte) (wrkSummary, error) {
	var s wrkSummary
	i := bytes.Index(out, []byte("HTTPBENCH "))
	if i < 0 {
		return s, fmt.Errorf("wrk printed no HTTPBENCH line (the script's done hook):\n%s", tail(out, 2000))
	}
	line, _, _ := bytes.Cut(out[i+len("HTTPBENCH "):], []byte("\n"))
	fields := map[string]*int64{
		"requests": &s.requests, "bytes": &s.bytes, "duration_us": &s.durationUs,
		"connect": &s.connectErr, "read": &s.readErr, "write": &s.writeErr, "status": &s.statusErr, "timeout": &s.timeout,
		"p50_us": &s.p50Us, "p99_us": &s.p99Us,
	}
	seen := 0
	for _, kv := range strings.Fields(string(line)) {
		k, v, ok := strings.Cut(kv, "=")
		dst := fields[k]
		if !ok || dst == nil {
			return s, fmt.Errorf("wrk HTTPBENCH line: unexpected field %q", kv)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s, fmt.Errorf("wrk HTTPBENCH line: %q: %w", kv, err)
		}
		*dst = n
		seen++
	}
	if seen != len(fields) {
		return s, fmt.Errorf("wrk HTTPBENCH line has %d of %d fields: %q", seen, len(fields), line)
	}
	return s, nil
}

// check fails on any socket error or error status (wrk counts statuses
// above 399), on no completed request, and when the bytes per response
// differ from respSize, the size of one response measured before the run
// (which catches any other status, whose response would differ in size).
func (s wrkSummary) check(respSize int) error {
	var bad []string
	if s.connectErr+s.readErr+s.writeErr+s.timeout > 0 {
		bad = append(bad, fmt.Sprintf("socket errors: %d connect, %d read, %d write, %d timeout", s.connectErr, s.readErr, s.writeErr, s.timeout))
	}
	if s.statusErr > 0 {
		bad = append(bad, fmt.Sprintf("%d responses with a status above 399", s.statusErr))
	}
	if s.requests <= 0 || s.durationUs <= 0 {
		bad = append(bad, "no request completed")
	} else if respSize > 0 {
		// Bytes also count responses still arriving when wrk stopped,
		// at most a pipeline's worth per connection; 1% is far above that.
		per := float64(s.bytes) / float64(s.requests)
		if per < float64(respSize)*0.99 || per > float64(respSize)*1.01 {
			bad = append(bad, fmt.Sprintf("%.1f bytes per response, but one response is %d bytes", per, respSize))
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// runWrk runs one wrk measurement and checks it; sampleAfter is as for
// runH2load.
func runWrk(ctx context.Context, tools *toolSet, url string, c int, d time.Duration, script string, respSize int, sampleAfter func() error) (loadResult, error) {
	var res loadResult
	run, err := runTool(ctx, tools, d+wrkSlack, wrkArgs(tools, url, c, d, script)...)
	res.genCPU = run.genCPU
	if err != nil {
		return res, err
	}
	if sampleAfter != nil {
		if err := sampleAfter(); err != nil {
			return res, err
		}
	}
	sum, err := parseWrk(run.out)
	if err != nil {
		return res, err
	}
	if err := sum.check(respSize); err != nil {
		return res, fmt.Errorf("wrk -c %d %s: not every request succeeded: %w", c, url, err)
	}
	res.requests, res.bytes = sum.requests, sum.bytes
	res.elapsed = time.Duration(sum.durationUs) * time.Microsecond
	res.rate = float64(sum.requests) / res.elapsed.Seconds()
	res.p50 = time.Duration(sum.p50Us) * time.Microsecond
	res.p99 = time.Duration(sum.p99Us) * time.Microsecond
	res.hasP99 = sum.p99Us > 0 && sum.p99Us >= sum.p50Us
	return res, nil
}

// tail is the last n bytes of b, as text.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
