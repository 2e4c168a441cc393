package interop_test

// Go's HTTP/2 clients against a golws server over cleartext HTTP/2 with
// prior knowledge: net/http's Transport (Protocols with only unencrypted
// HTTP/2) and golang.org/x/net/http2's Transport (AllowHTTP), on both
// kinds of listener (Listen, which also takes HTTP/1.1, and ListenH2C).

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	lws "github.com/golws/golws"
	"github.com/golws/golws/loop"
	"golang.org/x/net/http2"
)

// h2Site is the server and what it serves.
type h2Site struct {
	shared, h2only string // Listen's and ListenH2C's addresses
	big            []byte // /big.bin: 5 MiB, beyond every flow-control window in play
	barrier        *barrier
}

// barrier holds requests until n are in flight at once, then answers them
// all, and records the connections (remote addresses) they came on.
type barrier struct {
	n     int
	mu    sync.Mutex
	held  []*lws.Response
	conns map[string]int
}

func (b *barrier) Serve(w *lws.Response, r *lws.Request) {
	w.Hold()
	b.mu.Lock()
	b.conns[r.RemoteAddr().String()]++
	b.held = append(b.held, w)
	var all []*lws.Response
	if len(b.held) == b.n {
		all, b.held = b.held, nil
	}
	b.mu.Unlock()
	for _, w := range all {
		w.Post(func(w *lws.Response, err error) {
			if err == nil {
				w.ContentType("text/plain")
				w.WriteString("released")
				w.End()
			}
		})
	}
}

// takeConns returns the connections seen since the last call.
func (b *barrier) takeConns() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conns
	b.conns = map[string]int{}
	return c
}

func newH2Site(t *testing.T) *h2Site {
	t.Helper()
	root := t.TempDir()
	s := &h2Site{big: make([]byte, 5<<20), barrier: &barrier{n: 100, conns: map[string]int{}}}
	rand.Read(s.big)
	if err := os.WriteFile(filepath.Join(root, "big.bin"), s.big, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := lws.New(lws.Config{MaxBodySize: 16 << 20, Loop: loop.Config{Loops: 2}})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Vhost("test")
	v.HandleFunc("/plaintext", func(w *lws.Response, r *lws.Request) {
		w.ContentType("text/plain")
		w.WriteString("Hello, World! " + r.Proto())
	})
	v.HandleFunc("/echo", func(w *lws.Response, r *lws.Request) {
		w.ContentType("application/octet-stream")
		w.Write(r.Body())
	})
	v.Handle("/barrier", s.barrier)
	if err := v.ServeDir("/", root, lws.DirOptions{}); err != nil {
		t.Fatal(err)
	}
	a, err := c.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.shared = a.String()
	if a, err = c.ListenH2C("tcp4", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	s.h2only = a.String()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Shutdown(ctx)
	})
	return s
}

// h2Clients are the clients under test; each counts the connections it
// dials.
var h2Clients = []struct {
	name string
	make func(dials *atomic.Int32) (http.RoundTripper, func())
}{
	{"net/http", func(dials *atomic.Int32) (http.RoundTripper, func()) {
		tr := &http.Transport{DialContext: countingDial(dials), Protocols: new(http.Protocols)}
		tr.Protocols.SetUnencryptedHTTP2(true)
		return tr, tr.CloseIdleConnections
	}},
	{"net/http-small-windows", func(dials *atomic.Int32) (http.RoundTripper, func()) {
		// Receive windows of 64 KiB a stream and 1 MiB the connection
		// (the smallest net/http takes) instead of 4 MiB and 1 GiB.
		tr := &http.Transport{DialContext: countingDial(dials), Protocols: new(http.Protocols),
			HTTP2: &http.HTTP2Config{MaxReceiveBufferPerStream: 64 << 10, MaxReceiveBufferPerConnection: 1 << 20}}
		tr.Protocols.SetUnencryptedHTTP2(true)
		return tr, tr.CloseIdleConnections
	}},
	{"x/net/http2", func(dials *atomic.Int32) (http.RoundTripper, func()) {
		dial := countingDial(dials)
		// x/net's own client, deprecated in favour of net/http's (which
		// wraps the same code) but still what many programs use.
		//lint:ignore SA1019 the client under test
		tr := &http2.Transport{AllowHTTP: true, DialTLSContext: func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			return dial(ctx, network, addr)
		}}
		//lint:ignore SA1019 the client under test
		return tr, tr.CloseIdleConnections
	}},
}

func countingDial(dials *atomic.Int32) func(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}
}

// TestGoHTTP2Client runs GET, HEAD, a 10 MiB POST echoed back, 100
// concurrent streams and a 5 MiB download through each Go client against
// each listener, all on one connection.
func TestGoHTTP2Client(t *testing.T) {
	s := newH2Site(t)
	upload := make([]byte, 10<<20)
	rand.Read(upload)
	for _, cl := range h2Clients {
		for _, port := range []struct{ name, addr string }{{"Listen", s.shared}, {"ListenH2C", s.h2only}} {
			t.Run(cl.name+"/"+port.name, func(t *testing.T) {
				var dials atomic.Int32
				rt, closeIdle := cl.make(&dials)
				defer closeIdle()
				client := &http.Client{Transport: rt, Timeout: 60 * time.Second}
				base := "http://" + port.addr
				do := func(method, path string, body []byte) (*http.Response, []byte) {
					t.Helper()
					ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
					defer cancel()
					var rd io.Reader
					if body != nil {
						rd = bytes.NewReader(body)
					}
					req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
					if err != nil {
						t.Fatal(err)
					}
					resp, err := client.Do(req)
					if err != nil {
						t.Fatalf("%s %s: %v", method, path, err)
					}
					defer resp.Body.Close()
					b, err := io.ReadAll(resp.Body)
					if err != nil {
						t.Fatalf("%s %s: reading the body: %v", method, path, err)
					}
					if resp.ProtoMajor != 2 || resp.StatusCode != 200 {
						t.Fatalf("%s %s: %s %s", method, path, resp.Proto, resp.Status)
					}
					return resp, b
				}

				// GET.
				if _, b := do("GET", "/plaintext", nil); string(b) != "Hello, World! HTTP/2.0" {
					t.Fatalf("GET: %q", b)
				}
				// HEAD: the length of the body, none of it.
				resp, b := do("HEAD", "/big.bin", nil)
				if resp.ContentLength != int64(len(s.big)) || len(b) != 0 || resp.Header.Get("Accept-Ranges") != "bytes" {
					t.Fatalf("HEAD: length %d, %d body octets, header %v", resp.ContentLength, len(b), resp.Header)
				}
				// POST 10 MiB (ten times the server's stream window),
				// echoed back whole.
				if _, b = do("POST", "/echo", upload); len(b) != len(upload) || sha256.Sum256(b) != sha256.Sum256(upload) {
					t.Fatalf("POST: %d octets back of %d, digest equal %v", len(b), len(upload), sha256.Sum256(b) == sha256.Sum256(upload))
				}
				// A response beyond the client's windows.
				if _, b = do("GET", "/big.bin", nil); sha256.Sum256(b) != sha256.Sum256(s.big) {
					t.Fatalf("GET big.bin: %d octets of %d, digest differs", len(b), len(s.big))
				}

				// 100 streams open at once: the barrier answers none before
				// all 100 have arrived.
				s.barrier.takeConns()
				var reused atomic.Int32
				errs := make(chan error, 100)
				for range 100 {
					go func() {
						ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
						defer cancel()
						ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
							if i.Reused {
								reused.Add(1)
							}
						}})
						req, _ := http.NewRequestWithContext(ctx, "GET", base+"/barrier", nil)
						resp, err := client.Do(req)
						if err != nil {
							errs <- err
							return
						}
						b, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						if err == nil && (resp.StatusCode != 200 || string(b) != "released") {
							err = fmt.Errorf("%s %q", resp.Status, b)
						}
						errs <- err
					}()
				}
				for range 100 {
					if err := <-errs; err != nil {
						t.Errorf("concurrent stream: %v", err)
					}
				}
				if t.Failed() {
					t.FailNow()
				}
				if conns := s.barrier.takeConns(); len(conns) != 1 {
					t.Fatalf("100 concurrent streams came on %d connections: %v", len(conns), conns)
				}
				if n := reused.Load(); n != 100 {
					t.Fatalf("%d of 100 concurrent requests reused the connection", n)
				}
				if n := dials.Load(); n != 1 {
					t.Fatalf("%d connections dialed, want 1", n)
				}
			})
		}
	}
}
