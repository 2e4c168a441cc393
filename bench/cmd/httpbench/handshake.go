//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/bench/internal/machine"
)

// The handshake generator: `httpbench handshake -addr HOST:PORT -n N -c C
// -path PATH -cert CERT`, run by the harness under `taskset -c 1` like
// h2load, for the -proto https scenario of new connections.
//
// Why not h2load: with `-H 'Connection: close'` h2load does open a new
// connection per request, but it keeps each client's OpenSSL session
// object across them, so from the second connection of a client on it
// offers the server's session ticket and resumes (against net/http's
// TLS server, h2load 1.52 -n 20 -c 2 resumed 18 of 20 connections). nginx,
// h2o and net/http can be told to refuse resumption; golws cannot (its
// TLSOptions have no switch for session tickets), and h2load has no
// option to stop offering them. So this generator does what h2load would
// without the session: c workers, each in a loop taking the next of n
// requests, dialing a new TCP connection, running a full TLS 1.3
// handshake (no session cache: it never offers a ticket), sending one
// `GET PATH` with `Connection: close`, reading and checking the response,
// waiting for the server to close, and closing its side.
//
// It mirrors h2load's TLS client where it matters to the server: ALPN
// offers http/1.1 alone (as --h1), X25519 only (what OpenSSL 3.0's
// client, h2load's, gets from every server here; Go's default would add
// X25519MLKEM768, which the OpenSSL 3.0 servers lack), and the server's
// certificate chain is not verified (h2load does not verify either), but
// it must be the run's certificate, byte for byte, and its signature over
// the handshake is checked as in any TLS 1.3 handshake.

// handshakeLine starts the generator's summary line; handshakeTLSLine
// one line per distinct (version, cipher, key exchange) it negotiated;
// handshakeErrLine the first error, if any.
const (
	handshakeLine    = "HTTPBENCH-HANDSHAKE "
	handshakeTLSLine = "HTTPBENCH-HANDSHAKE-TLS "
	handshakeErrLine = "HTTPBENCH-HANDSHAKE-ERROR "
)

// handshakeIOTimeout bounds each connection, from dial to the server's
// close; handshakeCloseWait bounds the wait for that close once the
// response is in.
const (
	handshakeIOTimeout = 10 * time.Second
	handshakeCloseWait = 2 * time.Second
)

// handshakeJob is one run of the generator.
type handshakeJob struct {
	addr, path string
	n, c       int
	body       string // the exact body every response must carry
	certFile   string // the certificate the server must present
}

func handshakeArgs(tools *toolSet, j handshakeJob) []string {
	return []string{tools.self, "handshake", "-addr", j.addr, "-path", j.path,
		"-n", strconv.Itoa(j.n), "-c", strconv.Itoa(j.c), "-cert", j.certFile}
}

// handshakeSummary is what the generator counted.
type handshakeSummary struct {
	connections int64 // TCP connections dialed
	handshakes  int64 // TLS handshakes completed
	full        int64 // of those, full (not resumed)
	resumed     int64
	requests    int64 // requests sent
	ok          int64 // 200 with exactly the expected body
	errors      int64
	tickets     int64 // session tickets received (never used)
	announced   int64 // responses carrying "Connection: close"
	closed      int64 // connections the server closed after the response
	bytes       int64 // response bytes (heads and bodies), after decryption
	durationUs  int64
	p50Us       int64
	p99Us       int64
	tls         []string // "version, cipher, group: count"
	firstErr    string
}

// handshakeMain runs the generator and prints its summary. It exits 0 when
// it could run at all, whatever the connections did: the harness judges
// the counts (as it does h2load's).
func handshakeMain(args []string) int {
	fs := flag.NewFlagSet("handshake", flag.ContinueOnError)
	var j handshakeJob
	fs.StringVar(&j.addr, "addr", "", "server address, HOST:PORT")
	fs.StringVar(&j.path, "path", "/plaintext", "request target")
	fs.IntVar(&j.n, "n", 1000, "connections (one request each)")
	fs.IntVar(&j.c, "c", 50, "connections at a time")
	fs.StringVar(&j.certFile, "cert", "", "PEM certificate the server must present")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	j.body = plaintextBody
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "httpbench handshake: %v\n", err)
		return 1
	}
	if j.addr == "" || j.certFile == "" || j.n < 1 || j.c < 1 {
		return fail(errors.New("need -addr, -cert, -n ≥ 1 and -c ≥ 1"))
	}
	// One core: taskset gives it CPU 1 alone, as h2load gets.
	runtime.GOMAXPROCS(1)
	if _, err := machine.RaiseNofile(); err != nil {
		return fail(err)
	}
	cert, err := loadCertFiles(j.certFile, "")
	if err != nil {
		return fail(err)
	}
	s := runHandshakes(context.Background(), j, cert.leaf)
	fmt.Print(s.String())
	return 0
}

// String is the generator's output, as parseHandshake reads it.
func (s handshakeSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%sconnections=%d handshakes=%d full=%d resumed=%d requests=%d ok=%d errors=%d tickets=%d announced_close=%d server_closed=%d bytes=%d duration_us=%d p50_us=%d p99_us=%d\n",
		handshakeLine, s.connections, s.handshakes, s.full, s.resumed, s.requests, s.ok, s.errors, s.tickets, s.announced, s.closed, s.bytes, s.durationUs, s.p50Us, s.p99Us)
	for _, t := range s.tls {
		fmt.Fprintf(&b, "%s%s\n", handshakeTLSLine, t)
	}
	if s.firstErr != "" {
		fmt.Fprintf(&b, "%s%s\n", handshakeErrLine, strings.ReplaceAll(s.firstErr, "\n", " "))
	}
	return b.String()
}

// ticketCounter is a ClientSessionCache that keeps nothing: Get never
// finds a session, so no handshake is resumed, and Put counts the tickets
// servers send.
type ticketCounter struct{ n atomic.Int64 }

func (t *ticketCounter) Get(string) (*tls.ClientSessionState, bool) { return nil, false }
func (t *ticketCounter) Put(_ string, cs *tls.ClientSessionState) {
	if cs != nil {
		t.n.Add(1)
	}
}

// runHandshakes runs j: c workers, n connections in all. It stops at the
// first error (the run has failed; no point in waiting out the rest).
func runHandshakes(ctx context.Context, j handshakeJob, leaf []byte) handshakeSummary {
	tickets := &ticketCounter{}
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS13,
		NextProtos:         []string{"http/1.1"},
		CurvePreferences:   []tls.CurveID{tls.X25519},
		InsecureSkipVerify: true, // as h2load; the certificate is compared below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 || !bytes.Equal(cs.PeerCertificates[0].Raw, leaf) {
				return errors.New("the server presented another certificate than the run's")
			}
			return nil
		},
		ClientSessionCache: tickets,
	}
	req := []byte("GET " + j.path + " HTTP/1.1\r\nHost: " + j.addr + "\r\nUser-Agent: httpbench\r\nAccept: */*\r\nConnection: close\r\n\r\n")

	var (
		next, connections, handshakes, full, resumed   atomic.Int64
		requests, ok, errs, announced, closed, bytesIn atomic.Int64
		mu                                             sync.Mutex
		firstErr                                       string
		tlsSeen                                        = map[string]int64{}
		lat                                            = make([]time.Duration, 0, j.n)
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fail := func(i int, err error) {
		errs.Add(1)
		mu.Lock()
		if firstErr == "" {
			firstErr = fmt.Sprintf("connection %d: %v", i, err)
		}
		mu.Unlock()
		cancel()
	}
	one := func(i int) {
		t0 := time.Now()
		var d net.Dialer
		raw, err := d.DialContext(ctx, "tcp", j.addr)
		if err != nil {
			fail(i, err)
			return
		}
		connections.Add(1)
		defer raw.Close()
		raw.SetDeadline(t0.Add(handshakeIOTimeout))
		c := tls.Client(raw, cfg)
		if err := c.HandshakeContext(ctx); err != nil {
			fail(i, fmt.Errorf("handshake: %w", err))
			return
		}
		handshakes.Add(1)
		st := c.ConnectionState()
		if st.DidResume {
			resumed.Add(1)
		} else {
			full.Add(1)
		}
		key := fmt.Sprintf("%s, %s, %s", tlsVersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), st.CurveID)
		mu.Lock()
		tlsSeen[key]++
		mu.Unlock()
		if st.Version != tls.VersionTLS13 || st.NegotiatedProtocol != "http/1.1" {
			fail(i, fmt.Errorf("negotiated %s with ALPN %q, want TLSv1.3 and http/1.1", tlsVersionName(st.Version), st.NegotiatedProtocol))
			return
		}
		requests.Add(1)
		if _, err := c.Write(req); err != nil {
			fail(i, fmt.Errorf("write request: %w", err))
			return
		}
		cr := &countingReader{r: c}
		br := bufio.NewReaderSize(cr, 4096)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			fail(i, fmt.Errorf("response: %w", err))
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			fail(i, fmt.Errorf("response body: %w", err))
			return
		}
		if resp.StatusCode != 200 || string(body) != j.body {
			fail(i, fmt.Errorf("status %d, body %q; want 200, %q", resp.StatusCode, body, j.body))
			return
		}
		ok.Add(1)
		if resp.Close {
			announced.Add(1)
		}
		// The server must close now. What ends the stream is its
		// close_notify (io.EOF) or, from a server that sends none, the
		// TCP FIN; anything else (more data, a timeout) is an error.
		raw.SetReadDeadline(time.Now().Add(handshakeCloseWait))
		var extra [1]byte
		n, err := br.Read(extra[:])
		var ne net.Error
		switch {
		case n > 0:
			fail(i, errors.New("bytes after the response"))
			return
		case errors.As(err, &ne) && ne.Timeout():
			fail(i, fmt.Errorf("the server kept the connection open %v after a Connection: close response", handshakeCloseWait))
			return
		}
		closed.Add(1)
		bytesIn.Add(int64(cr.n))
		d2 := time.Since(t0)
		c.Close() // close_notify, as h2load's SSL_shutdown
		mu.Lock()
		lat = append(lat, d2)
		mu.Unlock()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range min(j.c, j.n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1))
				if i > j.n {
					return
				}
				one(i)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	s := handshakeSummary{
		connections: connections.Load(), handshakes: handshakes.Load(), full: full.Load(), resumed: resumed.Load(),
		requests: requests.Load(), ok: ok.Load(), errors: errs.Load(), tickets: tickets.n.Load(),
		announced: announced.Load(), closed: closed.Load(), bytes: bytesIn.Load(),
		durationUs: elapsed.Microseconds(), firstErr: firstErr,
	}
	slices.Sort(lat)
	s.p50Us, s.p99Us = percentile(lat, 0.50).Microseconds(), percentile(lat, 0.99).Microseconds()
	for k, v := range tlsSeen {
		s.tls = append(s.tls, fmt.Sprintf("%s: %d", k, v))
	}
	sort.Strings(s.tls)
	return s
}

func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLSv1.3"
	case tls.VersionTLS12:
		return "TLSv1.2"
	}
	return fmt.Sprintf("TLS 0x%04x", v)
}

// parseHandshake reads the generator's output.
func parseHandshake(out []byte) (handshakeSummary, error) {
	var s handshakeSummary
	i := bytes.Index(out, []byte(handshakeLine))
	if i < 0 {
		return s, fmt.Errorf("the handshake generator printed no summary:\n%s", tail(out, 2000))
	}
	line, _, _ := bytes.Cut(out[i+len(handshakeLine):], []byte("\n"))
	fields := map[string]*int64{
		"connections": &s.connections, "handshakes": &s.handshakes, "full": &s.full, "resumed": &s.resumed,
		"requests": &s.requests, "ok": &s.ok, "errors": &s.errors, "tickets": &s.tickets,
		"announced_close": &s.announced, "server_closed": &s.closed, "bytes": &s.bytes,
		"duration_us": &s.durationUs, "p50_us": &s.p50Us, "p99_us": &s.p99Us,
	}
	seen := 0
	for _, kv := range strings.Fields(string(line)) {
		k, v, found := strings.Cut(kv, "=")
		dst := fields[k]
		if !found || dst == nil {
			return s, fmt.Errorf("handshake summary: unexpected field %q", kv)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s, fmt.Errorf("handshake summary: %q: %w", kv, err)
		}
		*dst = n
		seen++
	}
	if seen != len(fields) {
		return s, fmt.Errorf("handshake summary has %d of %d fields: %q", seen, len(fields), line)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if t, ok := strings.CutPrefix(l, handshakeTLSLine); ok {
			s.tls = append(s.tls, t)
		}
		if e, ok := strings.CutPrefix(l, handshakeErrLine); ok && s.firstErr == "" {
			s.firstErr = e
		}
	}
	return s, nil
}

// check fails unless all n connections were made, each with a full TLS
// 1.3 handshake and one successful request, the server closed each after
// its response, and one version, cipher and key exchange served them all.
func (s handshakeSummary) check(n int) error {
	var bad []string
	want := int64(n)
	if s.connections != want || s.handshakes != want || s.full != want || s.requests != want || s.ok != want {
		bad = append(bad, fmt.Sprintf("%d connections asked: %d made, %d handshakes (%d full), %d requests, %d answered correctly",
			n, s.connections, s.handshakes, s.full, s.requests, s.ok))
	}
	if s.resumed != 0 {
		bad = append(bad, fmt.Sprintf("%d handshakes resumed a session", s.resumed))
	}
	if s.errors != 0 {
		bad = append(bad, fmt.Sprintf("%d errors, the first: %s", s.errors, s.firstErr))
	}
	if s.closed != want {
		bad = append(bad, fmt.Sprintf("the server closed %d of %d connections after the response", s.closed, n))
	}
	if len(s.tls) != 1 || !strings.HasPrefix(s.tls[0], "TLSv1.3, ") {
		bad = append(bad, fmt.Sprintf("negotiated %q, want TLSv1.3 with one cipher suite and key exchange throughout", s.tls))
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// tlsInfo is the one negotiated (version, cipher, key exchange), without
// its count.
func (s handshakeSummary) tlsInfo() string {
	if len(s.tls) == 0 {
		return ""
	}
	info, _, _ := strings.Cut(s.tls[0], ": ")
	return info
}

// runHandshakeJob runs the generator once and checks it; sampleAfter is
// as for runH2load.
func runHandshakeJob(ctx context.Context, tools *toolSet, j handshakeJob, sampleAfter func() error) (loadResult, error) {
	var res loadResult
	run, err := runTool(ctx, tools, h2loadTimeout, handshakeArgs(tools, j)...)
	res.genCPU = run.genCPU
	if err != nil {
		return res, err
	}
	if sampleAfter != nil {
		if err := sampleAfter(); err != nil {
			return res, err
		}
	}
	sum, err := parseHandshake(run.out)
	if err != nil {
		return res, err
	}
	if err := sum.check(j.n); err != nil {
		return res, fmt.Errorf("httpbench handshake -n %d -c %d %s%s: not every connection succeeded: %w", j.n, j.c, j.addr, j.path, err)
	}
	res.handshake = &sum
	res.requests, res.bytes = sum.ok, sum.bytes
	res.elapsed = time.Duration(sum.durationUs) * time.Microsecond
	res.rate = float64(sum.ok) / res.elapsed.Seconds()
	res.p50 = time.Duration(sum.p50Us) * time.Microsecond
	res.p99 = time.Duration(sum.p99Us) * time.Microsecond
	res.hasP99 = true
	res.tlsInfo = sum.tlsInfo()
	return res, nil
}
