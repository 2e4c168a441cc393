//go:build linux

package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// h2loadSample is h2load 1.52's output for a clean run.
const h2loadSample = `starting benchmark...
spawning thread #0: 10 total client(s). 1000 total requests
Application protocol: http/1.1
progress: 100% done

finished in 11.25ms, 88888.89 req/s, 13.65MB/s
requests: 1000 total, 1000 started, 1000 done, 1000 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 1000 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 157.23KB (161000) total, 106.45KB (109000) headers (space savings 0.00%), 12.70KB (13000) data
                     min         max         mean         sd        +/- sd
time for request:       67us       193us       104us        15us    87.90%
`

func TestParseH2load(t *testing.T) {
	s, err := parseH2load([]byte(h2loadSample))
	if err != nil {
		t.Fatal(err)
	}
	if s.elapsed != 11250*time.Microsecond || s.rate != 88888.89 {
		t.Errorf("elapsed %v rate %v", s.elapsed, s.rate)
	}
	if s.succeeded != 1000 || s.s2xx != 1000 || s.trafficTotal != 161000 || s.trafficData != 13000 {
		t.Errorf("parsed %+v", s)
	}
	if err := s.check(1000, 13, "http/1.1", ""); err != nil {
		t.Errorf("clean run rejected: %v", err)
	}
	if err := s.check(1000, 14, "http/1.1", ""); err == nil {
		t.Error("wrong body size accepted")
	}
	if err := s.check(2000, 13, "http/1.1", ""); err == nil {
		t.Error("missing requests accepted")
	}
	if err := s.check(1000, 13, "h2c", ""); err == nil || !strings.Contains(err.Error(), "application protocol") {
		t.Errorf("HTTP/1.1 run accepted as h2c: %v", err)
	}
	if h2, err := parseH2load([]byte(strings.Replace(h2loadSample, "http/1.1", "h2c", 1))); err != nil || h2.alpn != "h2c" {
		t.Errorf("h2c run: alpn %q, %v", h2.alpn, err)
	}
	if err := s.check(1000, 13, "http/1.1", "TLSv1.3"); err == nil || !strings.Contains(err.Error(), "TLS protocol") {
		t.Errorf("cleartext run accepted as TLS: %v", err)
	}

	// Over TLS h2load names the protocol, cipher and key exchange.
	tlsOut := strings.Replace(h2loadSample, "Application protocol: http/1.1\n",
		"TLS Protocol: TLSv1.3\nCipher: TLS_AES_128_GCM_SHA256\nServer Temp Key: X25519 253 bits\nApplication protocol: h2\n", 1)
	ts, err := parseH2load([]byte(tlsOut))
	if err != nil {
		t.Fatal(err)
	}
	if ts.tlsProto != "TLSv1.3" || ts.cipher != "TLS_AES_128_GCM_SHA256" || ts.tempKey != "X25519 253 bits" || ts.alpn != "h2" {
		t.Errorf("TLS lines: %+v", ts)
	}
	if err := ts.check(1000, 13, "h2", "TLSv1.3"); err != nil {
		t.Errorf("clean TLS run rejected: %v", err)
	}
	if err := ts.check(1000, 13, "h2", ""); err == nil {
		t.Error("TLS run accepted as cleartext")
	}
	if v12, _ := parseH2load([]byte(strings.Replace(tlsOut, "TLSv1.3", "TLSv1.2", 1))); v12.check(1000, 13, "h2", "TLSv1.3") == nil {
		t.Error("TLSv1.2 run accepted")
	}
	j := h2loadJob{proto: protoH2, tls: true}
	if j.wantALPN() != "h2" || j.wantTLS() != "TLSv1.3" {
		t.Errorf("https h2 job wants %q over %q", j.wantALPN(), j.wantTLS())
	}
	j = h2loadJob{proto: protoH2}
	if j.wantALPN() != "h2c" || j.wantTLS() != "" {
		t.Errorf("h2c job wants %q over %q", j.wantALPN(), j.wantTLS())
	}

	// h2load exits 0 here too: the failures must be caught from the text.
	bad := strings.NewReplacer(
		"1000 succeeded, 0 failed", "990 succeeded, 10 failed",
		"1000 2xx, 0 3xx, 0 4xx", "990 2xx, 0 3xx, 10 4xx",
	).Replace(h2loadSample)
	s, err = parseH2load([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.check(1000, 13, "", ""); err == nil || !strings.Contains(err.Error(), "10 failed") {
		t.Errorf("failed requests: got %v", err)
	}

	if _, err := parseH2load([]byte("finished in 1.5s, 10 req/s, 1MB/s\n")); err == nil {
		t.Error("output without a requests line accepted")
	}
	s, err = parseH2load([]byte(strings.Replace(h2loadSample, "11.25ms", "2.50s", 1)))
	if err != nil || s.elapsed != 2500*time.Millisecond {
		t.Errorf("seconds: %v, %v", s.elapsed, err)
	}
}

func TestH2loadLatencies(t *testing.T) {
	log := "1795601636055153\t200\t162\n1795601636055159\t200\t174\n1795601636055164\t200\t100\n"
	lat, err := h2loadLatencies(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) != 3 || lat[0] != 100*time.Microsecond || lat[2] != 174*time.Microsecond {
		t.Errorf("got %v", lat)
	}
	if _, err := h2loadLatencies(strings.NewReader("1\t404\t10\n")); err == nil {
		t.Error("a 404 was accepted")
	}
	if _, err := h2loadLatencies(strings.NewReader("1\t200\n")); err == nil {
		t.Error("a short line was accepted")
	}
}

func TestPercentile(t *testing.T) {
	var v []time.Duration
	for i := 1; i <= 1000; i++ {
		v = append(v, time.Duration(i))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500}, {0.99, 990}, {1, 1000}, {0, 1}} {
		if got := percentile(v, c.q); got != c.want {
			t.Errorf("percentile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("empty input")
	}
}

func TestParseWrk(t *testing.T) {
	out := "Running 5s test @ http://127.0.0.1:1/plaintext\n" +
		"HTTPBENCH requests=1000 bytes=130000 duration_us=5000000 connect=0 read=0 write=0 status=0 timeout=0 p50_us=900 p99_us=2000\n"
	s, err := parseWrk([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if s.requests != 1000 || s.bytes != 130000 || s.p99Us != 2000 {
		t.Errorf("parsed %+v", s)
	}
	if err := s.check(130); err != nil {
		t.Errorf("clean run rejected: %v", err)
	}
	if err := s.check(150); err == nil {
		t.Error("wrong response size accepted")
	}
	s.statusErr = 3
	if err := s.check(130); err == nil {
		t.Error("error statuses accepted")
	}
	s.statusErr, s.readErr = 0, 1
	if err := s.check(130); err == nil {
		t.Error("socket errors accepted")
	}
	if _, err := parseWrk([]byte("HTTPBENCH requests=1\n")); err == nil {
		t.Error("short line accepted")
	}
	if _, err := parseWrk([]byte("Requests/sec: 10\n")); err == nil {
		t.Error("output without the script's line accepted")
	}
}

func TestCountHeads(t *testing.T) {
	req := "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, c := range []struct {
		in      string
		n, used int
	}{
		{"", 0, 0},
		{req[:10], 0, 0},
		{req, 1, len(req)},
		{req + req + req[:5], 2, 2 * len(req)},
	} {
		n, used := countHeads([]byte(c.in))
		if n != c.n || used != c.used {
			t.Errorf("countHeads(%q) = %d, %d; want %d, %d", c.in, n, used, c.n, c.used)
		}
	}
	if r := gnetResponse(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); !strings.Contains(string(r), "Date: Fri, 02 Jan 2026 03:04:05 GMT\r\n") ||
		!strings.HasSuffix(string(r), "\r\n\r\n"+plaintextBody) {
		t.Errorf("gnet response %q", r)
	}
}

// testFiles makes a fixture directory as the harness does.
func testFiles(t *testing.T) *fixtures {
	t.Helper()
	fx, err := newFixtures()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.remove)
	return fx
}

// TestGoServers starts each Go server in this process and runs the
// harness's preflight against it: pipelined plaintext and both files, and
// for the servers with an h2c mode the same over HTTP/2.
func TestGoServers(t *testing.T) {
	fx := testFiles(t)
	files := [][]byte{fx.small, fx.big}
	paths := []string{"/files/4k.bin", "/files/1m.bin"}
	for _, impl := range goServers {
		t.Run(impl, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			var bound string
			switch impl {
			case implGolws:
				bound, err = serveGolws(addr, fx.filesDir, protoH1, certPair{})
			case implNetHTTP:
				bound, err = serveNetHTTP(addr, fx.filesDir, protoH1, certPair{})
			case implFasthttp:
				bound, err = serveFasthttp(addr, fx.filesDir)
			case implGnet:
				bound, err = serveGnet(addr)
			}
			if err != nil {
				t.Fatal(err)
			}
			f, p := files, paths
			if !servesFiles(impl) {
				f, p = nil, nil
			}
			size, err := preflight(context.Background(), protoH1, bound, nil, f, p)
			if err != nil {
				t.Fatal(err)
			}
			if size < 40 || size > 400 {
				t.Errorf("one plaintext response is %d bytes", size)
			}
		})
	}
}

// TestPreflightCatchesErrors checks that a wrong body or status fails.
func TestPreflightCatchesErrors(t *testing.T) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/plaintext" {
			w.Write([]byte("Hello, World?"))
			return
		}
		http.NotFound(w, r)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	if _, err := checkPipelined(context.Background(), plainDial, ln.Addr().String(), 4); err == nil {
		t.Error("wrong plaintext body accepted")
	}
	tr := newTransport(protoH1, nil)
	defer tr.tr.CloseIdleConnections()
	if err := checkFile(context.Background(), tr, ln.Addr().String(), "/files/x", []byte("x")); err == nil {
		t.Error("404 accepted")
	}
	// An HTTP/1.1-only server fails the h2 preflight.
	if _, err := preflight(context.Background(), protoH2, ln.Addr().String(), nil, nil, nil); err == nil {
		t.Error("h2 preflight passed against an HTTP/1.1-only server")
	}
}

// TestGenerators runs the real h2load and wrk (when installed) against a
// local server with the harness's own command lines, script and parsers.
func TestGenerators(t *testing.T) {
	h2load, errH := exec.LookPath("h2load")
	wrk, errW := exec.LookPath("wrk")
	taskset, errT := exec.LookPath("taskset")
	if errH != nil || errW != nil || errT != nil {
		t.Skip("h2load, wrk or taskset not installed")
	}
	if _, err := os.Stat("/sys/devices/system/cpu/cpu1"); err != nil {
		t.Skip("no CPU 1 to pin the generators to")
	}
	fx := testFiles(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	bound, err := serveNetHTTP(addr, fx.filesDir, protoH1, certPair{})
	if err != nil {
		t.Fatal(err)
	}
	respSize, err := checkPipelined(context.Background(), plainDial, bound, pipelineDepth)
	if err != nil {
		t.Fatal(err)
	}
	tools := &toolSet{taskset: taskset, h2load: h2load, wrk: wrk}
	ctx := context.Background()
	sampled := 0
	after := func() error { sampled++; return nil }
	logPath := filepath.Join(fx.root, "test.log")
	r, err := runH2load(ctx, tools, h2loadJob{url: "http://" + bound + "/files/4k.bin", proto: protoH1, n: 200, c: 4, body: smallFileSize, logPath: logPath}, after)
	if err != nil {
		t.Fatal(err)
	}
	if r.requests != 200 || !r.hasP99 || r.p99 < r.p50 || r.bytes < 200*smallFileSize {
		t.Errorf("h2load result %+v", r)
	}
	if _, err := runH2load(ctx, tools, h2loadJob{url: "http://" + bound + "/nothing", proto: protoH1, n: 50, c: 2}, nil); err == nil {
		t.Error("h2load run of 404s accepted")
	}
	// An HTTP/1.1-only server: every h2c request fails.
	if _, err := runH2load(ctx, tools, h2loadJob{url: "http://" + bound + "/plaintext", proto: protoH2, n: 50, c: 2, streams: 5, body: len(plaintextBody)}, nil); err == nil {
		t.Error("h2load h2c run against an HTTP/1.1-only server accepted")
	}
	script := filepath.Join(fx.root, "test.lua")
	if err := os.WriteFile(script, []byte(wrkScript(pipelineDepth, 4)), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := runWrk(ctx, tools, "http://"+bound+"/plaintext", 4, time.Second, script, respSize, after)
	if err != nil {
		t.Fatal(err)
	}
	if w.requests <= 0 || w.rate <= 0 || !w.hasP99 || w.p99 < w.p50 {
		t.Errorf("wrk result %+v", w)
	}
	if sampled != 2 {
		t.Errorf("sampleAfter called %d times, want 2", sampled)
	}
}

// TestGoServersH2 starts golws and net/http in their h2c modes and runs
// the h2 preflight; an HTTP/1.1 request to them must not be answered as
// one (both listen for prior-knowledge HTTP/2 only).
func TestGoServersH2(t *testing.T) {
	fx := testFiles(t)
	files := [][]byte{fx.small, fx.big}
	paths := []string{"/files/4k.bin", "/files/1m.bin"}
	for _, impl := range []string{implGolws, implNetHTTP} {
		t.Run(impl, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			serve := serveGolws
			if impl == implNetHTTP {
				serve = serveNetHTTP
			}
			bound, err := serve(addr, fx.filesDir, protoH2, certPair{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := preflight(context.Background(), protoH2, bound, nil, files, paths); err != nil {
				t.Fatal(err)
			}
			if _, err := checkPipelined(context.Background(), plainDial, bound, 1); err == nil {
				t.Error("an HTTP/1.1 request was answered on the h2c listener")
			}
		})
	}
}

// TestGeneratorH2 runs the real h2load over h2c against net/http's h2c
// mode, multiplexed, with the harness's command line and parsers.
func TestGeneratorH2(t *testing.T) {
	h2load, errH := exec.LookPath("h2load")
	taskset, errT := exec.LookPath("taskset")
	if errH != nil || errT != nil {
		t.Skip("h2load or taskset not installed")
	}
	if _, err := os.Stat("/sys/devices/system/cpu/cpu1"); err != nil {
		t.Skip("no CPU 1 to pin the generator to")
	}
	fx := testFiles(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	bound, err := serveNetHTTP(addr, fx.filesDir, protoH2, certPair{})
	if err != nil {
		t.Fatal(err)
	}
	tools := &toolSet{taskset: taskset, h2load: h2load}
	j := h2loadJob{url: "http://" + bound + "/plaintext", proto: protoH2, n: 400, c: 2, streams: 20, body: len(plaintextBody), logPath: filepath.Join(fx.root, "h2.log")}
	if args := strings.Join(h2loadArgs(tools, j), " "); !strings.Contains(args, " -m 20 ") || strings.Contains(args, "--h1") {
		t.Errorf("h2load command line %q", args)
	}
	r, err := runH2load(context.Background(), tools, j, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.requests != 400 || !r.hasP99 || r.p99 < r.p50 {
		t.Errorf("h2load result %+v", r)
	}
	// The same server refuses HTTP/1.1: an --h1 run must fail.
	j.proto, j.logPath = protoH1, ""
	if _, err := runH2load(context.Background(), tools, j, nil); err == nil {
		t.Error("h2load --h1 run against an h2c-only server accepted")
	}
}
