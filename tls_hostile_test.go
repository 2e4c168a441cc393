package golws

import (
	"bufio"
	"bytes"
	ctls "crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golws/golws/tls"
)

// Hostile input on TLS listeners: what is not TLS, handshakes that never
// end, floods of them, garbage after the handshake; and what an idle TLS
// connection costs.

// clientHello is a real ClientHello record from crypto/tls (offering h2
// and http/1.1, for serverName).
func clientHello(t testing.TB, serverName string) []byte {
	t.Helper()
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	go ctls.Client(c1, &ctls.Config{ServerName: serverName, InsecureSkipVerify: true, NextProtos: []string{"h2", "http/1.1"}}).Handshake()
	c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(c2, hdr); err != nil {
		t.Fatal(err)
	}
	if hdr[0] != 0x16 {
		t.Fatalf("not a handshake record: % x", hdr)
	}
	body := make([]byte, int(hdr[3])<<8|int(hdr[4]))
	if _, err := io.ReadFull(c2, body); err != nil {
		t.Fatal(err)
	}
	return append(hdr, body...)
}

// readUntilClosed reads c until the peer closes it (EOF or reset) or
// limit passes: what came, when the end came (since start), and whether
// it did.
func readUntilClosed(c net.Conn, start time.Time, limit time.Duration) (got []byte, at time.Duration, closed bool) {
	c.SetReadDeadline(start.Add(limit))
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return got, time.Since(start), false
			}
			return got, time.Since(start), true
		}
	}
}

// tlsHostileServer is a TLS server answering "Hello, World!" at /, with
// its plaintext address too.
func tlsHostileServer(t *testing.T, cfg Config) (tlsAddr, plainAddr string, c *Context) {
	t.Helper()
	certFile, keyFile, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	plainAddr, c = testServer(t, cfg, func(c *Context, v *Vhost) {
		if err := v.TLS(certFile, keyFile, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		v.HandleFunc("/", hello)
	})
	a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return a.String(), plainAddr, c
}

// TestTLSHostileNotTLS: input that is not TLS (a plaintext HTTP request,
// random octets, malformed records) gets no HTTP answer and is closed
// within a second (HandshakeTimeout is 10 s: the close is crypto/tls's
// error, not the timeout); at most an alert comes back. The server goes
// on serving.
func TestTLSHostileNotTLS(t *testing.T) {
	addr, _, _ := tlsHostileServer(t, Config{})
	rng := rand.New(rand.NewChaCha8([32]byte{'g', 'o', 'l', 'w', 's'}))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	noise := random(1024)
	noise[0] |= 0x80 // not a record type (0x14-0x18): no length to wait for
	hello := clientHello(t, "localhost")
	cases := []struct {
		name string
		in   []byte
	}{
		{"plaintext-HTTP", []byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")},
		{"plaintext-HTTP-POST", []byte("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")},
		{"HTTP2-preface", []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")},
		{"random", noise},
		{"random-64KiB", append([]byte{0x47}, random(64<<10)...)},
		// A handshake record holding a ClientHello of garbage.
		{"garbage-ClientHello", append([]byte{0x16, 0x03, 0x01, 0x00, 0x44, 0x01, 0x00, 0x00, 0x40}, random(0x40)...)},
		// A record longer than TLS allows.
		{"oversized-record", append([]byte{0x16, 0x03, 0x01, 0xff, 0xff}, random(1024)...)},
		// A handshake message of 16 MiB announced.
		{"huge-handshake-message", []byte{0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xff, 0xff, 0xff}},
		// A record of an unknown type.
		{"unknown-record-type", append([]byte{0x42, 0x03, 0x03, 0x00, 0x10}, random(0x10)...)},
		// An application-data record before any handshake.
		{"application-data-first", append([]byte{0x17, 0x03, 0x03, 0x00, 0x20}, random(0x20)...)},
		// A fatal alert from the client.
		{"alert", []byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28}},
		// SSL 2.0's ClientHello.
		{"SSLv2-ClientHello", append([]byte{0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10}, random(0x25)...)},
		// A good ClientHello, then garbage for the client's second flight.
		{"ClientHello-then-garbage", append(append([]byte(nil), hello...), append([]byte{0x16, 0x03, 0x03, 0x00, 0x20}, random(0x20)...)...)},
		// A ClientHello whose version field is SSL 3.0 only.
		{"SSL3-only", sslv3Hello(hello)},
	}
	for _, v := range cases {
		t.Run(v.name, func(t *testing.T) {
			c, err := net.Dial("tcp4", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			if _, err := c.Write(v.in); err != nil {
				t.Logf("write: %v", err)
			}
			got, at, closed := readUntilClosed(c, start, 3*time.Second)
			t.Logf("%d octets in: %d back (% .12x), closed after %v", len(v.in), len(got), got, at.Round(time.Millisecond))
			if !closed || at > time.Second {
				t.Fatalf("not closed within a second (closed %v after %v)", closed, at)
			}
			if bytes.Contains(got, []byte("HTTP/")) {
				t.Fatalf("an HTTP answer: %q", got)
			}
		})
	}
	// A client that closes its side before saying anything.
	t.Run("FIN-first", func(t *testing.T) {
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		c.(*net.TCPConn).CloseWrite()
		got, at, closed := readUntilClosed(c, start, 3*time.Second)
		if !closed || at > time.Second || len(got) != 0 {
			t.Fatalf("closed %v after %v, %q", closed, at, got)
		}
	})
	// Still serving.
	cl := &http.Client{Transport: &http.Transport{TLSClientConfig: &ctls.Config{InsecureSkipVerify: true}}, Timeout: 5 * time.Second}
	resp, err := cl.Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// sslv3Hello is hello with its versions set to SSL 3.0 and no
// supported_versions worth reading: the record and ClientHello version
// fields say 3.0 (crypto/tls answers protocol_version).
func sslv3Hello(hello []byte) []byte {
	h := append([]byte(nil), hello...)
	h[1], h[2] = 3, 0  // record version
	h[9], h[10] = 3, 0 // client_version
	// Drop the extensions: supported_versions would override.
	sidLen := int(h[5+4+2+32])
	p := 5 + 4 + 2 + 32 + 1 + sidLen
	csLen := int(h[p])<<8 | int(h[p+1])
	p += 2 + csLen
	cmLen := int(h[p])
	p += 1 + cmLen // the extensions start here
	h = h[:p]
	body := p - 9
	h[6], h[7], h[8] = byte(body>>16), byte(body>>8), byte(body)
	h[3], h[4] = byte((p-5)>>8), byte(p-5)
	return h
}

// TestTLSHostileGarbageAfterHandshake: a record that does not decrypt,
// after a good handshake, closes the connection (HTTP/1.1 and h2), and
// other connections go on.
func TestTLSHostileGarbageAfterHandshake(t *testing.T) {
	addr, _, _ := tlsHostileServer(t, Config{})
	for _, proto := range []string{"http/1.1", "h2"} {
		t.Run(proto, func(t *testing.T) {
			raw, err := net.Dial("tcp4", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			raw.SetDeadline(time.Now().Add(5 * time.Second))
			tc := ctls.Client(raw, &ctls.Config{InsecureSkipVerify: true, NextProtos: []string{proto}})
			if err := tc.Handshake(); err != nil {
				t.Fatal(err)
			}
			if got := tc.ConnectionState().NegotiatedProtocol; got != proto {
				t.Fatalf("ALPN %q", got)
			}
			// An application-data record of 64 random octets, under no key.
			rec := append([]byte{0x17, 0x03, 0x03, 0x00, 0x40}, bytes.Repeat([]byte{0xa5}, 0x40)...)
			start := time.Now()
			if _, err := raw.Write(rec); err != nil {
				t.Fatal(err)
			}
			got, at, closed := readUntilClosed(raw, start, 3*time.Second)
			t.Logf("garbage record: %d octets back, closed after %v", len(got), at.Round(time.Millisecond))
			if !closed || at > time.Second {
				t.Fatalf("not closed within a second (closed %v after %v)", closed, at)
			}
			if bytes.Contains(got, []byte("HTTP/")) {
				t.Fatalf("an HTTP answer in the clear: %q", got)
			}
		})
	}
	// A truncated record, then the client goes away: nothing breaks.
	raw, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	tc := ctls.Client(raw, &ctls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	raw.Write([]byte{0x17, 0x03, 0x03, 0x40, 0x00, 1, 2, 3})
	raw.Close()
	cl := &http.Client{Transport: &http.Transport{TLSClientConfig: &ctls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}, Timeout: 5 * time.Second}
	for i := 0; i < 3; i++ {
		resp, err := cl.Get("https://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
}

// TestTLSHostileTrickledHello: a ClientHello sent one octet every 100 ms
// is cut off by HandshakeTimeout (1 s here), counted from the accept.
func TestTLSHostileTrickledHello(t *testing.T) {
	const timeout = time.Second
	addr, _, c := tlsHostileServer(t, Config{TLS: TLSConfig{HandshakeTimeout: timeout}})
	hello := clientHello(t, "localhost")
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	var sent atomic.Int32
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := range hello {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := conn.Write(hello[i : i+1]); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	got, at, closed := readUntilClosed(conn, start, 5*time.Second)
	close(stop)
	<-done
	t.Logf("trickled ClientHello (%d octets, %d sent): closed after %v (HandshakeTimeout %v), %d octets back",
		len(hello), sent.Load(), at.Round(time.Millisecond), timeout, len(got))
	if !closed {
		t.Fatalf("still open after %v", at)
	}
	if at < timeout-50*time.Millisecond || at > timeout+500*time.Millisecond {
		t.Fatalf("closed after %v, want about %v", at, timeout)
	}
	if len(got) != 0 {
		t.Fatalf("answered % x", got)
	}
	// The pool is free again.
	deadline := time.Now().Add(2 * time.Second)
	for {
		run, queued := c.tlsServer.Handshaking()
		if run == 0 && queued == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handshakes still running %d, queued %d", run, queued)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tlsKeepAlive is a raw HTTP/1.1 client on one TLS connection.
type tlsKeepAlive struct {
	c  *ctls.Conn
	br *bufio.Reader
}

func dialKeepAlive(t testing.TB, addr string) *tlsKeepAlive {
	t.Helper()
	c, err := ctls.Dial("tcp4", addr, &ctls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	return &tlsKeepAlive{c: c, br: bufio.NewReader(c)}
}

// get asks for / and reads the answer, without goroutines.
func (k *tlsKeepAlive) get() error {
	k.c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(k.c, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		return err
	}
	resp, err := http.ReadResponse(k.br, nil)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(body) != "Hello, World!" {
		return fmt.Errorf("%v, %q", err, body)
	}
	return nil
}

// plainGet asks for / on a new plaintext connection, without goroutines.
func plainGet(addr string) error {
	c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	out, err := io.ReadAll(c)
	if err != nil || !bytes.HasSuffix(out, []byte("Hello, World!")) {
		return fmt.Errorf("%v, %q", err, out)
	}
	return nil
}

// TestTLSHostileHandshakeFlood: 1,000 handshakes that never finish (TCP
// connections that send nothing, or half a ClientHello) with
// MaxHandshakes 50: the goroutines stay bounded (at most 50 handshakes
// run, the rest wait), the loop goes on serving an open TLS connection
// and new plaintext ones, and after HandshakeTimeout (2 s) every flood
// connection is closed and the goroutines are back to where they were.
func TestTLSHostileHandshakeFlood(t *testing.T) {
	const (
		flood         = 1000
		maxHandshakes = 50
		timeout       = 2 * time.Second
		slack         = 10 // goroutines beyond the pool: the sampler, timers
	)
	addr, plain, c := tlsHostileServer(t, Config{
		TLS:    TLSConfig{MaxHandshakes: maxHandshakes, MaxQueued: 2000, HandshakeTimeout: timeout},
		Logger: quietLogger(),
	})
	half := clientHello(t, "localhost")
	half = half[:len(half)/2]
	ka := dialKeepAlive(t, addr)
	defer ka.c.Close()
	if err := ka.get(); err != nil {
		t.Fatal(err)
	}
	if err := plainGet(plain); err != nil {
		t.Fatal(err)
	}
	baseline := settledGoroutines()
	baseConns := c.engine.Conns()

	// The sampler.
	var maxG, maxRun, maxQueued atomic.Int64
	stopSampler := make(chan struct{})
	samplerDone := make(chan struct{})
	go func() {
		defer close(samplerDone)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			g := int64(runtime.NumGoroutine())
			run, queued := c.tlsServer.Handshaking()
			for _, m := range []struct {
				p *atomic.Int64
				v int64
			}{{&maxG, g}, {&maxRun, int64(run)}, {&maxQueued, int64(queued)}} {
				if m.v > m.p.Load() {
					m.p.Store(m.v)
				}
			}
			select {
			case <-stopSampler:
				return
			case <-tick.C:
			}
		}
	}()

	start := time.Now()
	conns := make([]net.Conn, 0, flood)
	defer func() {
		for _, fc := range conns {
			fc.Close()
		}
	}()
	for i := 0; i < flood; i++ {
		fc, err := net.DialTimeout("tcp4", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("flood connection %d: %v", i, err)
		}
		if i%2 == 1 {
			fc.Write(half)
		}
		conns = append(conns, fc)
	}
	dialed := time.Since(start)
	// While the flood is held: the open TLS connection and new plaintext
	// ones are served.
	served, worst := 0, time.Duration(0)
	for time.Since(start) < timeout-300*time.Millisecond {
		t0 := time.Now()
		if err := ka.get(); err != nil {
			t.Fatalf("keep-alive TLS request during the flood: %v", err)
		}
		if err := plainGet(plain); err != nil {
			t.Fatalf("plaintext request during the flood: %v", err)
		}
		worst = max(worst, time.Since(t0))
		served += 2
		time.Sleep(5 * time.Millisecond)
	}
	during := runtime.NumGoroutine()
	run, queued := c.tlsServer.Handshaking()
	t.Logf("flood: %d connections dialed in %v; %d requests served meanwhile (slowest pair %v); now %d goroutines (baseline %d), handshakes running %d, queued %d",
		flood, dialed.Round(time.Millisecond), served, worst.Round(time.Microsecond), during, baseline, run, queued)

	// After HandshakeTimeout every flood connection is closed.
	var lastClose time.Duration
	open := 0
	for _, fc := range conns {
		_, at, closed := readUntilClosed(fc, start, timeout+3*time.Second)
		if !closed {
			open++
		}
		lastClose = max(lastClose, at)
	}
	if open > 0 {
		t.Fatalf("%d flood connections still open %v after the first", open, lastClose)
	}
	close(stopSampler)
	<-samplerDone
	t.Logf("flood: every connection closed by %v after the first dial (HandshakeTimeout %v); peaks: %d goroutines (baseline %d, +%d), %d handshakes running, %d queued",
		lastClose.Round(time.Millisecond), timeout, maxG.Load(), baseline, maxG.Load()-int64(baseline), maxRun.Load(), maxQueued.Load())
	if maxRun.Load() > maxHandshakes {
		t.Fatalf("%d handshakes ran at once, MaxHandshakes %d", maxRun.Load(), maxHandshakes)
	}
	if maxRun.Load() < maxHandshakes || maxQueued.Load() < flood/2 {
		t.Fatalf("the flood did not fill the pool: %d running, %d queued at most", maxRun.Load(), maxQueued.Load())
	}
	if extra := maxG.Load() - int64(baseline); extra > maxHandshakes+slack {
		t.Fatalf("%d goroutines at the peak, %d over the baseline %d: want at most MaxHandshakes %d + %d", maxG.Load(), extra, baseline, maxHandshakes, slack)
	}
	if lastClose > dialed+timeout+time.Second {
		t.Fatalf("last flood connection closed after %v (dialing took %v, HandshakeTimeout %v)", lastClose, dialed, timeout)
	}
	for _, fc := range conns {
		fc.Close()
	}
	conns = conns[:0]

	// The goroutines and the server's connections return to the baseline.
	deadline := time.Now().Add(5 * time.Second)
	for {
		g := runtime.NumGoroutine()
		run, queued := c.tlsServer.Handshaking()
		nc := c.engine.Conns()
		if g <= baseline && run == 0 && queued == 0 && nc <= baseConns {
			t.Logf("after the flood: %d goroutines (baseline %d), %d server connections (before %d)", g, baseline, nc, baseConns)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the flood: %d goroutines (baseline %d), handshakes %d running %d queued, %d server connections (before %d)", g, baseline, run, queued, nc, baseConns)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// New handshakes go through again.
	if err := ka.get(); err != nil {
		t.Fatal(err)
	}
	ka2 := dialKeepAlive(t, addr)
	defer ka2.c.Close()
	if err := ka2.get(); err != nil {
		t.Fatal(err)
	}
}

// quietLogger drops the server's log lines (a flood fails a thousand
// handshakes).
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestTLSHostileQueueFull: beyond MaxHandshakes running and MaxQueued
// waiting, new connections are reset at once; those admitted wait for
// HandshakeTimeout; an open connection is served throughout.
func TestTLSHostileQueueFull(t *testing.T) {
	const (
		maxRun, maxQueued, flood = 4, 4, 20
		timeout                  = 2 * time.Second
	)
	addr, _, c := tlsHostileServer(t, Config{
		TLS:    TLSConfig{MaxHandshakes: maxRun, MaxQueued: maxQueued, HandshakeTimeout: timeout},
		Logger: quietLogger(),
	})
	ka := dialKeepAlive(t, addr)
	defer ka.c.Close()
	if err := ka.get(); err != nil {
		t.Fatal(err)
	}
	// Each connection is watched by a goroutine of its own: when did the
	// server close it?
	start := time.Now()
	type end struct {
		at     time.Duration
		closed bool
	}
	ends := make(chan end, flood)
	var conns []net.Conn
	defer func() {
		for _, fc := range conns {
			fc.Close()
		}
	}()
	for i := 0; i < flood; i++ {
		fc, err := net.Dial("tcp4", addr)
		if err != nil {
			// Reset before connect returned: refused.
			ends <- end{time.Since(start), true}
			continue
		}
		conns = append(conns, fc)
		go func() {
			_, at, closed := readUntilClosed(fc, start, timeout+2*time.Second)
			ends <- end{at, closed}
		}()
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		run, queued := c.tlsServer.Handshaking()
		if run == maxRun && queued == maxQueued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handshakes: %d running, %d queued", run, queued)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := ka.get(); err != nil {
		t.Fatal(err)
	}
	refused, held := 0, 0
	var lastRefused, firstHeld time.Duration
	for i := 0; i < flood; i++ {
		e := <-ends
		switch {
		case !e.closed:
			t.Fatalf("a connection still open after %v", e.at)
		case e.at < timeout/2:
			refused++
			lastRefused = max(lastRefused, e.at)
		default:
			held++
			if firstHeld == 0 || e.at < firstHeld {
				firstHeld = e.at
			}
		}
	}
	t.Logf("%d connections: %d refused at once (last after %v), %d held until the timeout (first closed after %v)",
		flood, refused, lastRefused.Round(time.Millisecond), held, firstHeld.Round(time.Millisecond))
	if refused != flood-maxRun-maxQueued || held != maxRun+maxQueued {
		t.Fatalf("%d refused, %d held; want %d and %d", refused, held, flood-maxRun-maxQueued, maxRun+maxQueued)
	}
	if err := ka.get(); err != nil {
		t.Fatal(err)
	}
}

// settledGoroutines is runtime.NumGoroutine once it stops falling.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for i := 0; i < 50; i++ {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// TestTLSIdleMemory: the heap an idle TLS connection holds on the server
// after its handshake and one HTTP/1.1 request, against a plaintext one.
// The clients run in a child process (this test binary, as
// TestTLSIdleMemoryClient) so that only the server's heap is measured.
func TestTLSIdleMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation")
	}
	if testing.Short() {
		t.Skip("2 × 2000 connections")
	}
	const n = 2000
	certFile, keyFile, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	plain, c := testServer(t, Config{IdleTimeout: 5 * time.Minute, Logger: quietLogger()}, func(c *Context, v *Vhost) {
		if err := v.TLS(certFile, keyFile, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		v.HandleFunc("/", hello)
	})
	a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	type result struct{ heap, stack float64 }
	measure := func(mode, addr string) result {
		// A few connections first: pools, buffers and session ticket keys
		// are made once.
		runIdleClients(t, mode, addr, certFile, 20, nil)
		waitConns(t, c, 0)
		var before, after runtime.MemStats
		runIdleClients(t, mode, addr, certFile, n, func() {
			waitConns(t, c, n)
			// The handshake goroutines have exited and the pool is idle.
			waitHandshakes(t, c)
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&after)
		}, func() {
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&before)
		})
		waitConns(t, c, 0)
		return result{
			heap:  float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n,
			stack: float64(int64(after.StackInuse)-int64(before.StackInuse)) / n,
		}
	}
	tlsR := measure("tls", a.String())
	plainR := measure("plain", plain)
	t.Logf("idle connection, after one HTTP/1.1 request (%d connections): TLS %.0f B heap (%.1f KiB), %.0f B stack; plaintext %.0f B heap (%.1f KiB), %.0f B stack; TLS costs %.0f B more",
		n, tlsR.heap, tlsR.heap/1024, tlsR.stack, plainR.heap, plainR.heap/1024, plainR.stack, tlsR.heap-plainR.heap)
	if tlsR.heap > 64<<10 {
		t.Fatalf("an idle TLS connection holds %.0f B of heap, want < 64 KiB", tlsR.heap)
	}
	if tlsR.heap <= 0 || plainR.heap <= 0 {
		t.Fatalf("implausible figures: TLS %.0f, plaintext %.0f", tlsR.heap, plainR.heap)
	}
}

// waitConns waits until the server has n connections open.
func waitConns(t *testing.T, c *Context, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for c.engine.Conns() != n {
		if time.Now().After(deadline) {
			t.Fatalf("server connections: %d, want %d", c.engine.Conns(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitHandshakes waits until no handshake runs or waits.
func waitHandshakes(t *testing.T, c *Context) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		run, queued := c.tlsServer.Handshaking()
		if run == 0 && queued == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("handshakes: %d running, %d queued", run, queued)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runIdleClients runs n idle clients in a child process: before runs
// first, then the child connects; once all n have had their answer, idle
// runs while they stay open; then the child closes them and exits.
func runIdleClients(t *testing.T, mode, addr, caFile string, n int, idle func(), before ...func()) {
	t.Helper()
	for _, f := range before {
		f()
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestTLSIdleMemoryClient$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), "GOLWS_IDLE_CLIENT="+strings.Join([]string{mode, addr, strconv.Itoa(n), caFile}, ","))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	sc := bufio.NewScanner(stdout)
	var lines []string
	ready := false
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if sc.Text() == "READY "+strconv.Itoa(n) {
			ready = true
			break
		}
	}
	if !ready {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("idle clients (%s, %d): not ready:\n%s\n%s", mode, n, strings.Join(lines, "\n"), stderr.String())
	}
	if idle != nil {
		idle()
	}
	stdin.Close()
	go io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("idle clients: %v\n%s", err, stderr.String())
	}
}

// TestTLSIdleMemoryClient is the child process of TestTLSIdleMemory: it
// opens the connections, asks one request on each, says READY and keeps
// them open until its stdin closes.
func TestTLSIdleMemoryClient(t *testing.T) {
	spec := os.Getenv("GOLWS_IDLE_CLIENT")
	if spec == "" {
		t.Skip("the client side of TestTLSIdleMemory")
	}
	f := strings.Split(spec, ",")
	mode, addr, caFile := f[0], f[1], f[3]
	n, _ := strconv.Atoi(f[2])
	pool := certPool(t, caFile)
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	var failed atomic.Value
	next := atomic.Int64{}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				var c net.Conn
				var err error
				if mode == "tls" {
					c, err = ctls.Dial("tcp4", addr, &ctls.Config{RootCAs: pool, ServerName: "localhost", NextProtos: []string{"http/1.1"}})
				} else {
					c, err = net.Dial("tcp4", addr)
				}
				if err == nil {
					c.SetDeadline(time.Now().Add(30 * time.Second))
					_, err = io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
				}
				if err == nil {
					var resp *http.Response
					resp, err = http.ReadResponse(bufio.NewReader(c), nil)
					if err == nil {
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if string(body) != "Hello, World!" {
							err = fmt.Errorf("answer %q", body)
						}
					}
				}
				if err != nil {
					failed.Store(fmt.Errorf("connection %d: %w", i, err))
					return
				}
				c.SetDeadline(time.Time{})
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("READY %d\n", n)
	io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
}
