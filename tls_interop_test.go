package golws

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	ctls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golws/golws/tls"
)

// TLS conformance and interop: h2spec over TLS, real clients (curl,
// nghttp, h2load, openssl, Go's net/http and crypto/tls) against
// ListenTLS; ALPN, SNI, session resumption, client certificates and
// certificate reload.

// tlsPeers is the server of the TLS interop tests and what it serves.
type tlsPeers struct {
	addr, port string // ListenTLS's address and its port
	plain      string // Listen's address
	certFile   string // the self-signed certificate (localhost, 127.0.0.1, ::1)
	pool       *x509.CertPool
	ctx        *Context
	big        []byte // /big.bin, 3 MB
	large      []byte // /large.bin, 5 MiB of random octets
	upload     string // a file of 10 MiB to POST
	uploadSum  [32]byte
	uploadLen  int
}

// tlsInfo answers with what the request's TLS state says.
func tlsInfo(w *Response, r *Request) {
	w.ContentType("text/plain")
	st := r.TLSState()
	if st == nil {
		w.WriteString("plaintext")
		return
	}
	fmt.Fprintf(w, "%s alpn=%s sni=%s proto=%s", ctls.VersionName(st.Version), st.NegotiatedProtocol, st.ServerName, r.Proto())
	if len(st.PeerCertificates) > 0 {
		fmt.Fprintf(w, " peer=%s", st.PeerCertificates[0].Subject.CommonName)
	}
}

// tlsPeerServer serves /plaintext, /echo, /mirror, /tlsinfo and a static
// tree with large files over TLS (and plaintext).
func tlsPeerServer(t *testing.T, cfg Config) *tlsPeers {
	t.Helper()
	p := &tlsPeers{}
	root, big := staticTree(t)
	p.big = big
	p.large = make([]byte, 5<<20)
	rand.Read(p.large)
	if err := os.WriteFile(filepath.Join(root, "large.bin"), p.large, 0o644); err != nil {
		t.Fatal(err)
	}
	up := make([]byte, 10<<20)
	rand.Read(up)
	p.upload = filepath.Join(t.TempDir(), "upload.bin")
	if err := os.WriteFile(p.upload, up, 0o644); err != nil {
		t.Fatal(err)
	}
	p.uploadSum, p.uploadLen = sha256.Sum256(up), len(up)
	certFile, keyFile, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p.certFile = certFile
	if cfg.MaxBodySize == 0 {
		cfg.MaxBodySize = 16 << 20
	}
	p.plain, p.ctx = testServer(t, cfg, func(c *Context, v *Vhost) {
		if err := v.TLS(certFile, keyFile, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		v.HandleFunc("/plaintext", hello)
		v.HandleFunc("/echo", echoBody)
		v.HandleFunc("/mirror", mirror)
		v.HandleFunc("/tlsinfo", tlsInfo)
		v.ServeDir("/", root, DirOptions{})
	})
	a, err := p.ctx.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = a.String()
	p.port = strconv.Itoa(a.(*net.TCPAddr).Port)
	p.pool = certPool(t, certFile)
	return p
}

// certPool is a pool trusting the certificates in files.
func certPool(t testing.TB, files ...string) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !pool.AppendCertsFromPEM(b) {
			t.Fatalf("no certificate in %s", f)
		}
	}
	return pool
}

// tlsClient is a net/http client for the server's certificate, over h2 or
// HTTP/1.1 only.
func tlsClient(pool *x509.CertPool, h2 bool) (*http.Client, *http.Transport) {
	tr := &http.Transport{TLSClientConfig: &ctls.Config{RootCAs: pool, ServerName: "localhost"}, MaxConnsPerHost: 1}
	if h2 {
		tr.ForceAttemptHTTP2 = true
	} else {
		tr.TLSClientConfig.NextProtos = []string{"http/1.1"}
		tr.TLSNextProto = map[string]func(string, *ctls.Conn) http.RoundTripper{}
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}, tr
}

// TestTLSH2Spec runs h2spec's 146 cases (strict mode) over TLS (ALPN h2):
// every one must pass.
func TestTLSH2Spec(t *testing.T) {
	tool := h2specTool(t)
	// runH2spec has no TLS flag: a wrapper adds -t (TLS) and -k (do not
	// verify the self-signed certificate).
	wrapper := filepath.Join(t.TempDir(), "h2spec-tls")
	script := "#!/bin/sh\nexec '" + tool + "' -t -k \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("h2spec wants DATA frames. "), 4096/26+1)[:4096]
	addr, _, _ := tlsServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", func(w *Response, r *Request) {
			w.ContentType("text/plain")
			w.Write(body)
		})
	})
	_, port, _ := net.SplitHostPort(addr)
	r := runH2spec(t, wrapper, port)
	t.Logf("h2spec -t -k -S: %d cases, %d passed", r.total, r.passed)
	if r.total != 146 || r.passed != 146 || len(r.failed) != 0 || len(r.skipped) != 0 {
		t.Fatalf("h2spec over TLS: %d cases, %d passed, failed %v, skipped %v\n%s\n%s",
			r.total, r.passed, r.failed, r.skipped, r.failures(), r.output)
	}
}

// TestTLSCurl: curl over HTTP/1.1 and HTTP/2 (ALPN), verifying the
// certificate by name: GET, keep-alive, HEAD, 5 MiB down, 10 MiB up.
func TestTLSCurl(t *testing.T) {
	curl := peer(t, "curl")
	p := tlsPeerServer(t, Config{})
	dir := t.TempDir()
	base := "https://localhost:" + p.port
	tlsArgs := []string{"--cacert", p.certFile, "--resolve", "localhost:" + p.port + ":127.0.0.1"}
	args := func(a ...string) []string { return append(append([]string(nil), tlsArgs...), a...) }
	for _, v := range []struct{ name, flag, status, alpn string }{
		{"HTTP1.1", "--http1.1", "< HTTP/1.1 200", "http/1.1"},
		{"HTTP2", "--http2", "< HTTP/2 200", "h2"},
	} {
		t.Run(v.name, func(t *testing.T) {
			out, trace := runPeer(t, curl, args("-sv", v.flag, base+"/tlsinfo")...)
			if !strings.HasPrefix(out, "TLS 1.3 alpn="+v.alpn+" sni=localhost") || !strings.Contains(trace, v.status) ||
				!strings.Contains(trace, "ALPN: server accepted "+v.alpn) || !strings.Contains(trace, "SSL certificate verify ok") {
				t.Fatalf("GET: %q\n%s", out, trace)
			}
			// Keep-alive: two URLs on one connection.
			out, trace = runPeer(t, curl, args("-sv", v.flag, base+"/plaintext", base+"/sub/deeper/a.txt")...)
			if out != "Hello, World!deep file" || !strings.Contains(trace, "Re-using existing connection") || strings.Count(trace, v.status) != 2 {
				t.Fatalf("keep-alive: %q\n%s", out, trace)
			}
			// HEAD.
			_, trace = runPeer(t, curl, args("-sv", "-I", v.flag, base+"/big.bin")...)
			if !strings.Contains(trace, v.status) || !regexp.MustCompile(fmt.Sprintf(`(?i)< content-length: %d\r?\n`, len(p.big))).MatchString(trace) {
				t.Fatalf("HEAD:\n%s", trace)
			}
			// 5 MiB down.
			f := filepath.Join(dir, v.name+"-large")
			_, trace = runPeer(t, curl, args("-sv", v.flag, "-o", f, base+"/large.bin")...)
			if got, _ := os.ReadFile(f); sha256.Sum256(got) != sha256.Sum256(p.large) || !strings.Contains(trace, v.status) {
				t.Fatalf("GET large.bin: %d octets, digest differs\n%s", len(got), trace)
			}
			// 10 MiB up, digested by the server.
			out, trace = runPeer(t, curl, args("-sv", v.flag, "--data-binary", "@"+p.upload, base+"/echo")...)
			if want := echoWant(p.uploadLen, p.uploadSum); out != want || !strings.Contains(trace, v.status) {
				t.Fatalf("POST /echo: %q want %q\n%s", out, want, trace)
			}
			// And mirrored whole (HTTP/2 only: over HTTP/1.1 a 10 MiB
			// chunked answer loses its end, see
			// TestTLSH1LargeChunkedResponse).
			if v.alpn == "h2" {
				f = filepath.Join(dir, v.name+"-mirror")
				_, trace = runPeer(t, curl, args("-sv", v.flag, "--data-binary", "@"+p.upload, "-o", f, base+"/mirror")...)
				if got, _ := os.ReadFile(f); len(got) != p.uploadLen || sha256.Sum256(got) != p.uploadSum || !strings.Contains(trace, v.status) {
					t.Fatalf("POST /mirror: %d octets back, want %d\n%s", len(got), p.uploadLen, trace)
				}
			}
			// TLS 1.2 as well.
			out, trace = runPeer(t, curl, args("-sv", v.flag, "--tlsv1.2", "--tls-max", "1.2", base+"/tlsinfo")...)
			if !strings.HasPrefix(out, "TLS 1.2 alpn="+v.alpn) || !strings.Contains(trace, v.status) {
				t.Fatalf("TLS 1.2: %q\n%s", out, trace)
			}
		})
	}
	// A name the certificate does not cover fails verification.
	_, trace, err := runPeerErr(t, curl, "-sv", "--cacert", p.certFile, "--resolve", "other.test:"+p.port+":127.0.0.1", "https://other.test:"+p.port+"/plaintext")
	if err == nil || !strings.Contains(trace, "other.test") {
		t.Fatalf("wrong name verified:\n%s", trace)
	}
}

// TestTLSNghttp: nghttp over TLS (ALPN h2): GET, 5 MiB down, 10 MiB up.
func TestTLSNghttp(t *testing.T) {
	nghttp := peer(t, "nghttp")
	p := tlsPeerServer(t, Config{})
	base := "https://127.0.0.1:" + p.port
	out, _ := runPeer(t, nghttp, "-v", base+"/plaintext")
	id := requestStream(t, out)
	for _, want := range []string{
		"The negotiated protocol: h2", "recv SETTINGS frame", "recv (stream_id=" + id + ") :status: 200",
		"recv (stream_id=" + id + ") content-length: 13", "Hello, World!",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("GET: no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "RST_STREAM") || strings.Contains(out, "recv GOAWAY") {
		t.Fatalf("GET: reset or GOAWAY:\n%s", out)
	}
	body, _ := runPeer(t, nghttp, base+"/large.bin")
	if sha(body) != sha256.Sum256(p.large) {
		t.Fatalf("GET large.bin: %d octets, digest differs", len(body))
	}
	body, _ = runPeer(t, nghttp, "-d", p.upload, base+"/mirror")
	if len(body) != p.uploadLen || sha(body) != p.uploadSum {
		t.Fatalf("POST /mirror: %d octets back, want %d", len(body), p.uploadLen)
	}
	body, _ = runPeer(t, nghttp, "-d", p.upload, base+"/echo")
	if want := echoWant(p.uploadLen, p.uploadSum); body != want {
		t.Fatalf("POST /echo: %q want %q", body, want)
	}
	// Many streams at once on one TLS connection.
	out, _ = runPeer(t, nghttp, "-n", "-s", "-m", "50", base+"/sub/deeper/a.txt")
	if n := len(regexp.MustCompile(`(?m)\s200\s+9\s+/sub/deeper/a.txt$`).FindAllString(out, -1)); n != 50 {
		t.Fatalf("50 streams: %d answered\n%s", n, out)
	}
}

// h2loadTLS requires n requests to have succeeded with 2xx over proto.
func h2loadTLS(t *testing.T, out string, n int, proto string) {
	t.Helper()
	h2loadSucceeded(t, out, n)
	m := regexp.MustCompile(`status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx`).FindStringSubmatch(out)
	if m == nil || m[1] != strconv.Itoa(n) {
		t.Fatalf("h2load: want %d 2xx\n%s", n, out)
	}
	if !strings.Contains(out, "Application protocol: "+proto+"\n") {
		t.Fatalf("h2load did not speak %s:\n%s", proto, out)
	}
	if !strings.Contains(out, "TLS Protocol: TLSv1.3") {
		t.Fatalf("h2load: not TLS 1.3:\n%s", out)
	}
}

// TestTLSH2load: h2load over https, HTTP/2 (10 connections, 10 streams
// each) and HTTP/1.1.
func TestTLSH2load(t *testing.T) {
	h2load := peer(t, "h2load")
	p := tlsPeerServer(t, Config{})
	base := "https://127.0.0.1:" + p.port
	out, _ := runPeer(t, h2load, "-n", "10000", "-c", "10", "-m", "10", base+"/plaintext")
	h2loadTLS(t, out, 10000, "h2")
	out, _ = runPeer(t, h2load, "--h1", "-n", "10000", "-c", "10", base+"/plaintext")
	h2loadTLS(t, out, 10000, "http/1.1")
	// Bodies beyond the windows, many streams sharing a TLS connection.
	out, _ = runPeer(t, h2load, "-n", "40", "-c", "2", "-m", "10", base+"/big.bin")
	h2loadTLS(t, out, 40, "h2")
	if want := fmt.Sprintf("(%d) data", 40*len(p.big)); !strings.Contains(out, want) {
		t.Fatalf("h2load: want %s\n%s", want, out)
	}
}

// TestTLSGoClient: net/http over h2 and over HTTP/1.1 only: keep-alive,
// 5 MiB down, 10 MiB up, concurrent requests.
func TestTLSGoClient(t *testing.T) {
	p := tlsPeerServer(t, Config{})
	up, err := os.ReadFile(p.upload)
	if err != nil {
		t.Fatal(err)
	}
	for _, h2 := range []bool{true, false} {
		name := map[bool]string{true: "h2", false: "http1.1"}[h2]
		t.Run(name, func(t *testing.T) {
			cl, tr := tlsClient(p.pool, h2)
			defer tr.CloseIdleConnections()
			wantMajor := map[bool]int{true: 2, false: 1}[h2]
			var conns sync.Map
			do := func(method, path string, body []byte) ([]byte, *http.Response) {
				t.Helper()
				var rd io.Reader
				if body != nil {
					rd = bytes.NewReader(body)
				}
				trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { conns.Store(info.Conn.LocalAddr().String(), true) }}
				req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), method, "https://"+p.addr+path, rd)
				resp, err := cl.Do(req)
				if err != nil {
					t.Error(err)
					return nil, nil
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || resp.ProtoMajor != wantMajor || resp.TLS == nil {
					t.Errorf("%s %s: %v, %d over %s", method, path, err, resp.StatusCode, resp.Proto)
				}
				return b, resp
			}
			b, resp := do("GET", "/tlsinfo", nil)
			alpn := map[bool]string{true: "h2", false: "http/1.1"}[h2]
			if want := "TLS 1.3 alpn=" + alpn + " sni=localhost"; !strings.HasPrefix(string(b), want) || resp.TLS.NegotiatedProtocol != alpn {
				t.Fatalf("tlsinfo: %q, want %q", b, want)
			}
			if b, _ := do("GET", "/large.bin", nil); sha(string(b)) != sha256.Sum256(p.large) {
				t.Fatalf("large.bin: %d octets, digest differs", len(b))
			}
			if h2 { // HTTP/1.1: TestTLSH1LargeChunkedResponse
				if b, _ := do("POST", "/mirror", up); len(b) != len(up) || sha(string(b)) != p.uploadSum {
					t.Fatalf("POST /mirror: %d octets back, want %d", len(b), len(up))
				}
			}
			if b, _ := do("POST", "/echo", up); string(b) != echoWant(p.uploadLen, p.uploadSum) {
				t.Fatalf("POST /echo: %q", b)
			}
			// Concurrent requests: over h2 they share the connection.
			var wg sync.WaitGroup
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if b, _ := do("GET", "/big.bin", nil); !bytes.Equal(b, p.big) {
						t.Errorf("big.bin: %d octets", len(b))
					}
				}()
			}
			wg.Wait()
			n := 0
			conns.Range(func(any, any) bool { n++; return true })
			if n != 1 {
				t.Fatalf("%d connections used, want 1 (MaxConnsPerHost 1)", n)
			}
		})
	}
}

// TestTLSALPN: the protocol follows what the client offers: h2 (the
// server's preference) when offered, HTTP/1.1 when only it is offered or
// nothing is; a client offering only unknown protocols is refused
// (no_application_protocol, RFC 7301 §3.2). With DisableHTTP2, h2 is
// never chosen.
func TestTLSALPN(t *testing.T) {
	p := tlsPeerServer(t, Config{})
	p1, _, _ := tlsServer(t, Config{DisableHTTP2: true}, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	for _, v := range []struct {
		name  string
		addr  string
		offer []string
		want  string // negotiated; "" for none
		h2    bool   // the server speaks h2 on the connection
	}{
		{"http1.1-only", p.addr, []string{"http/1.1"}, "http/1.1", false},
		{"h2-only", p.addr, []string{"h2"}, "h2", true},
		{"both", p.addr, []string{"h2", "http/1.1"}, "h2", true},
		{"both-http1.1-first", p.addr, []string{"http/1.1", "h2"}, "h2", true},
		{"none", p.addr, nil, "", false},
		{"DisableHTTP2/both", p1, []string{"h2", "http/1.1"}, "http/1.1", false},
		{"DisableHTTP2/none", p1, nil, "", false},
	} {
		t.Run(v.name, func(t *testing.T) {
			c, err := ctls.Dial("tcp4", v.addr, &ctls.Config{RootCAs: p.pool, InsecureSkipVerify: v.addr == p1, ServerName: "localhost", NextProtos: v.offer})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if got := c.ConnectionState().NegotiatedProtocol; got != v.want {
				t.Fatalf("negotiated %q, want %q", got, v.want)
			}
			if v.h2 {
				// The client preface; the server's SETTINGS comes first.
				io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
				var hdr [9]byte
				if _, err := io.ReadFull(c, hdr[:]); err != nil || hdr[3] != 4 || hdr[4] != 0 {
					t.Fatalf("h2: first frame % x, %v; want SETTINGS", hdr, err)
				}
				return
			}
			io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.ProtoMajor != 1 || resp.ProtoMinor != 1 || resp.StatusCode != 200 {
				t.Fatalf("HTTP/1.1: %s %d", resp.Proto, resp.StatusCode)
			}
		})
	}
	t.Run("unknown-only", func(t *testing.T) {
		c, err := ctls.Dial("tcp4", p.addr, &ctls.Config{RootCAs: p.pool, ServerName: "localhost", NextProtos: []string{"spdy/3.1"}})
		if err == nil {
			c.Close()
			t.Fatal("handshake offering only spdy/3.1 succeeded")
		}
		if !strings.Contains(err.Error(), "no application protocol") {
			t.Fatalf("handshake: %v, want no_application_protocol", err)
		}
	})
	// curl both ways.
	t.Run("curl", func(t *testing.T) {
		curl := peer(t, "curl")
		args := []string{"-sv", "--cacert", p.certFile, "--resolve", "localhost:" + p.port + ":127.0.0.1"}
		for flag, want := range map[string]string{"--http1.1": "http/1.1", "--http2": "h2"} {
			out, trace := runPeer(t, curl, append(args, flag, "https://localhost:"+p.port+"/tlsinfo")...)
			if !strings.Contains(out, "alpn="+want) || !strings.Contains(trace, "ALPN: server accepted "+want) {
				t.Fatalf("curl %s: %q\n%s", flag, out, trace)
			}
		}
	})
}

// certSerial is the serial number of a connection's leaf certificate.
func certSerial(st *ctls.ConnectionState) string {
	if st == nil || len(st.PeerCertificates) == 0 {
		return "<none>"
	}
	return st.PeerCertificates[0].SerialNumber.String()
}

// leafSerial is the serial number of the certificate in a PEM file.
func leafSerial(t testing.TB, certFile string) string {
	t.Helper()
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("no PEM in %s", certFile)
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert.SerialNumber.String()
}

// TestTLSSNI: two vhosts with their own certificates; SNI picks the
// certificate and the Host header the handler; an unknown name and no
// name get the first vhost's.
func TestTLSSNI(t *testing.T) {
	certA, keyA, err := tls.SelfSigned(t.TempDir(), "a.test")
	if err != nil {
		t.Fatal(err)
	}
	certB, keyB, err := tls.SelfSigned(t.TempDir(), "b.test")
	if err != nil {
		t.Fatal(err)
	}
	serialA, serialB := leafSerial(t, certA), leafSerial(t, certB)
	_, c := testServer(t, Config{}, func(c *Context, v *Vhost) {
		// The first vhost, with no host names: its certificate's name.
		if err := v.TLS(certA, keyA, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		v.HandleFunc("/", func(w *Response, r *Request) {
			fmt.Fprintf(w, "vhost a sni=%s", r.TLSState().ServerName)
		})
		b := c.Vhost("b", "b.test")
		if err := b.TLS(certB, keyB, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		b.HandleFunc("/", func(w *Response, r *Request) {
			fmt.Fprintf(w, "vhost b sni=%s", r.TLSState().ServerName)
		})
	})
	a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := a.String()
	pool := certPool(t, certA, certB)
	for _, v := range []struct {
		sni, serial, body string
	}{
		{"a.test", serialA, "vhost a sni=a.test"},
		{"b.test", serialB, "vhost b sni=b.test"},
		{"B.TEST", serialB, ""}, // names are case-insensitive
		{"unknown.test", serialA, ""},
		{"", serialA, ""},
	} {
		t.Run("sni="+v.sni, func(t *testing.T) {
			cfg := &ctls.Config{ServerName: v.sni, InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}}
			if v.sni == "" {
				// No SNI: ServerName empty needs InsecureSkipVerify.
				cfg.ServerName = ""
			}
			conn, err := ctls.Dial("tcp4", addr, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			st := conn.ConnectionState()
			if got := certSerial(&st); got != v.serial {
				t.Fatalf("certificate serial %s, want %s (a %s, b %s)", got, v.serial, serialA, serialB)
			}
			if st.ServerName != "" && st.ServerName != v.sni {
				t.Fatalf("ServerName %q", st.ServerName)
			}
		})
		if v.body == "" {
			continue
		}
		// With verification, over both protocols: the handler is the
		// vhost's.
		for _, h2 := range []bool{false, true} {
			t.Run(fmt.Sprintf("sni=%s/h2=%v", v.sni, h2), func(t *testing.T) {
				tr := &http.Transport{
					TLSClientConfig: &ctls.Config{RootCAs: pool},
					DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
						return (&net.Dialer{}).DialContext(ctx, network, addr)
					},
					ForceAttemptHTTP2: h2,
				}
				if !h2 {
					tr.TLSNextProto = map[string]func(string, *ctls.Conn) http.RoundTripper{}
				}
				defer tr.CloseIdleConnections()
				resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get("https://" + v.sni + "/")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(body) != v.body || certSerial(resp.TLS) != v.serial || (resp.ProtoMajor == 2) != h2 {
					t.Fatalf("%s: %q over %s, serial %s; want %q, serial %s", v.sni, body, resp.Proto, certSerial(resp.TLS), v.body, v.serial)
				}
			})
		}
	}
	// Verification of a.test's certificate under b.test's name fails: b's
	// certificate was served, not a's.
	if _, err := ctls.Dial("tcp4", addr, &ctls.Config{RootCAs: certPool(t, certA), ServerName: "b.test"}); err == nil {
		t.Fatal("b.test verified against a.test's certificate")
	}
}

// TestTLSResumption: a client with a session cache resumes its session on
// the next connection, over TLS 1.3 and TLS 1.2, and the resumed
// connection serves requests; openssl s_client -reconnect reuses too.
func TestTLSResumption(t *testing.T) {
	p := tlsPeerServer(t, Config{})
	for _, v := range []struct {
		name string
		max  uint16
	}{{"TLS1.3", ctls.VersionTLS13}, {"TLS1.2", ctls.VersionTLS12}} {
		t.Run(v.name, func(t *testing.T) {
			cfg := &ctls.Config{RootCAs: p.pool, ServerName: "localhost", MaxVersion: v.max,
				ClientSessionCache: ctls.NewLRUClientSessionCache(8), NextProtos: []string{"http/1.1"}}
			for i := 0; i < 3; i++ {
				c, err := ctls.Dial("tcp4", p.addr, cfg)
				if err != nil {
					t.Fatal(err)
				}
				c.SetDeadline(time.Now().Add(5 * time.Second))
				// A request: TLS 1.3 tickets come after the handshake,
				// the client takes them as it reads.
				io.WriteString(c, "GET /tlsinfo HTTP/1.1\r\nHost: localhost\r\n\r\n")
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					c.Close()
					t.Fatalf("connection %d: %v", i, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				st := c.ConnectionState()
				c.Close()
				if st.Version != v.max || !strings.HasPrefix(string(body), ctls.VersionName(v.max)+" ") {
					t.Fatalf("connection %d: version %s, %q", i, ctls.VersionName(st.Version), body)
				}
				if st.DidResume != (i > 0) {
					t.Fatalf("connection %d: DidResume %v", i, st.DidResume)
				}
			}
		})
	}
	t.Run("openssl", func(t *testing.T) {
		openssl := peer(t, "openssl")
		args := []string{"s_client", "-connect", "127.0.0.1:" + p.port, "-servername", "localhost", "-CAfile", p.certFile}
		// TLS 1.2: -reconnect connects 6 times with the first session.
		// (runPeerErr's command reads stdin from /dev/null.)
		out, _ := runPeer(t, openssl, append(args, "-reconnect", "-tls1_2")...)
		reused := strings.Count(out, "Reused, TLSv1.2")
		t.Logf("openssl s_client -reconnect -tls1_2: %d of 6 connections Reused", reused)
		if reused != 5 || !strings.Contains(out, "Verify return code: 0 (ok)") {
			t.Fatalf("openssl -reconnect -tls1_2: %d reused:\n%.6000s", reused, out)
		}
		// TLS 1.3: OpenSSL 3.0's -reconnect drops each connection before
		// the ticket (sent after the handshake) arrives, against any
		// server (Go's net/http too), so it never shows Reused there. A
		// session saved by one s_client and offered by the next does.
		sess := filepath.Join(t.TempDir(), "session.pem")
		out, _ = runPeer(t, openssl, append(args, "-tls1_3", "-sess_out", sess)...)
		if !strings.Contains(out, "New, TLSv1.3") || !strings.Contains(out, "Verify return code: 0 (ok)") {
			t.Fatalf("openssl -tls1_3 -sess_out:\n%.6000s", out)
		}
		out, _ = runPeer(t, openssl, append(args, "-tls1_3", "-sess_in", sess)...)
		if !strings.Contains(out, "Reused, TLSv1.3") {
			t.Fatalf("openssl -tls1_3 -sess_in: not reused:\n%.6000s", out)
		}
		t.Logf("openssl s_client -tls1_3 -sess_in: Reused")
	})
}

// testPKI is a CA that signs client certificates.
type testPKI struct {
	cert   *x509.Certificate
	key    *ecdsa.PrivateKey
	caFile string
}

func newTestPKI(t testing.TB, cn string) *testPKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	f := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return &testPKI{cert: cert, key: key, caFile: f}
}

// client signs a client certificate for cn.
func (ca *testPKI) client(t testing.TB, cn string) ctls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return ctls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// TestTLSClientCert: mTLS. With RequireClientCert a client with a
// certificate from the CA is served and the handler sees it; one without,
// or with a certificate from another CA, is refused. Without
// RequireClientCert a client without a certificate is served too.
func TestTLSClientCert(t *testing.T) {
	ca := newTestPKI(t, "golws test CA")
	other := newTestPKI(t, "another CA")
	good := ca.client(t, "alice")
	// Go's client sends only a certificate from a CA the server names:
	// a stranger's is forced out with GetClientCertificate.
	strangerCert := other.client(t, "mallory")
	stranger := &strangerCert
	certFile, keyFile, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pool := certPool(t, certFile)
	serve := func(require bool) string {
		_, c := testServer(t, Config{}, func(c *Context, v *Vhost) {
			if err := v.TLS(certFile, keyFile, TLSOptions{ClientCAFile: ca.caFile, RequireClientCert: require}); err != nil {
				t.Fatal(err)
			}
			v.HandleFunc("/", tlsInfo)
		})
		a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return a.String()
	}
	get := func(addr string, certs []ctls.Certificate, h2 bool, max uint16) (string, error) {
		cfg := &ctls.Config{RootCAs: pool, ServerName: "localhost", MaxVersion: max}
		if len(certs) == 1 && certs[0].Leaf == stranger.Leaf {
			cfg.GetClientCertificate = func(*ctls.CertificateRequestInfo) (*ctls.Certificate, error) { return stranger, nil }
		} else {
			cfg.Certificates = certs
		}
		tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: h2}
		if !h2 {
			tr.TLSNextProto = map[string]func(string, *ctls.Conn) http.RoundTripper{}
		}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get("https://" + addr + "/")
		if err != nil {
			return "", err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(body), err
	}
	required := serve(true)
	optional := serve(false)
	for _, max := range []uint16{ctls.VersionTLS13, ctls.VersionTLS12} {
		for _, h2 := range []bool{false, true} {
			name := fmt.Sprintf("%s/h2=%v", ctls.VersionName(max), h2)
			t.Run("Require/"+name, func(t *testing.T) {
				body, err := get(required, []ctls.Certificate{good}, h2, max)
				if err != nil || !strings.HasSuffix(body, " peer=alice") {
					t.Fatalf("with a certificate: %v, %q", err, body)
				}
				body, err = get(required, nil, h2, max)
				if err == nil {
					t.Fatalf("without a certificate: served %q", body)
				}
				t.Logf("without a certificate: %v", err)
				body, err = get(required, []ctls.Certificate{*stranger}, h2, max)
				if err == nil {
					t.Fatalf("with another CA's certificate: served %q", body)
				}
				t.Logf("another CA's certificate: %v", err)
			})
			t.Run("IfGiven/"+name, func(t *testing.T) {
				body, err := get(optional, nil, h2, max)
				if err != nil || !strings.HasPrefix(body, ctls.VersionName(max)) || strings.Contains(body, "peer=") {
					t.Fatalf("without a certificate: %v, %q", err, body)
				}
				body, err = get(optional, []ctls.Certificate{good}, h2, max)
				if err != nil || !strings.HasSuffix(body, " peer=alice") {
					t.Fatalf("with a certificate: %v, %q", err, body)
				}
				// A certificate that does not verify is refused even when
				// optional.
				if body, err = get(optional, []ctls.Certificate{*stranger}, h2, max); err == nil {
					t.Fatalf("with another CA's certificate: served %q", body)
				}
			})
		}
	}
	// The handshake itself fails without a certificate (TLS 1.2: the
	// server's alert ends the handshake; TLS 1.3: the first read).
	c, err := ctls.Dial("tcp4", required, &ctls.Config{RootCAs: pool, ServerName: "localhost", MaxVersion: ctls.VersionTLS12})
	if err == nil {
		c.Close()
		t.Fatal("TLS 1.2 handshake without a client certificate succeeded")
	}
	t.Logf("TLS 1.2 handshake without a certificate: %v", err)
}

// replaceFile writes data to path atomically.
func replaceFile(t testing.TB, path string, data []byte) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestTLSReloadCertificates: after new certificate files and
// ReloadCertificates, open keep-alive connections (HTTP/1.1 and h2) go on
// working with the certificate they had, and new connections get the new
// one.
func TestTLSReloadCertificates(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, err := tls.SelfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	newCert, newKey, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	oldSerial, newSerial := leafSerial(t, certFile), leafSerial(t, newCert)
	if oldSerial == newSerial {
		t.Fatal("two certificates with one serial")
	}
	pool := certPool(t, certFile, newCert)
	_, c := testServer(t, Config{}, func(c *Context, v *Vhost) {
		if err := v.TLS(certFile, keyFile, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		v.HandleFunc("/", tlsInfo)
	})
	a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := a.String()
	type client struct {
		cl *http.Client
		tr *http.Transport
	}
	get := func(cl client, wantReused bool, wantSerial string) {
		t.Helper()
		reused := false
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", "https://"+addr+"/", nil)
		resp, err := cl.cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "TLS 1.3") || certSerial(resp.TLS) != wantSerial || reused != wantReused {
			t.Fatalf("%s: %d %q, serial %s (want %s), reused %v (want %v)", resp.Proto, resp.StatusCode, body, certSerial(resp.TLS), wantSerial, reused, wantReused)
		}
	}
	var open []client
	for _, h2 := range []bool{false, true} {
		cl, tr := tlsClient(pool, h2)
		defer tr.CloseIdleConnections()
		open = append(open, client{cl, tr})
		get(open[len(open)-1], false, oldSerial)
		get(open[len(open)-1], true, oldSerial)
	}
	// New files in place of the old, then the reload.
	for _, f := range [][2]string{{newCert, certFile}, {newKey, keyFile}} {
		b, err := os.ReadFile(f[0])
		if err != nil {
			t.Fatal(err)
		}
		replaceFile(t, f[1], b)
	}
	if err := c.ReloadCertificates(); err != nil {
		t.Fatal(err)
	}
	// The open connections go on, with the old certificate.
	for _, cl := range open {
		for i := 0; i < 3; i++ {
			get(cl, true, oldSerial)
		}
	}
	// New connections see the new one.
	for _, h2 := range []bool{false, true} {
		cl, tr := tlsClient(pool, h2)
		defer tr.CloseIdleConnections()
		get(client{cl, tr}, false, newSerial)
		get(client{cl, tr}, true, newSerial)
	}
	// The old connections still work after new handshakes happened.
	for _, cl := range open {
		get(cl, true, oldSerial)
	}
	// A reload with nothing changed changes nothing.
	if err := c.ReloadCertificates(); err != nil {
		t.Fatal(err)
	}
	cl, tr := tlsClient(pool, true)
	defer tr.CloseIdleConnections()
	get(client{cl, tr}, false, newSerial)
	// A broken file keeps the pair in service (and says so).
	replaceFile(t, certFile, []byte("not a certificate"))
	if err := c.ReloadCertificates(); err == nil {
		t.Fatal("reload of a broken certificate file: no error")
	}
	cl, tr = tlsClient(pool, false)
	defer tr.CloseIdleConnections()
	get(client{cl, tr}, false, newSerial)
}

// TestTLSBodyRightAfterHandshake: a client that sends a request body
// right after its Finished (TLS 1.3 lets it: curl, net/http, h2 clients
// with the initial 64 KiB window do) must be served. The loop reads
// what comes before the connection returns to it from the handshake pool
// into the handshake's input, which MaxHandshakeInput (64 KiB) bounds:
// past it the connection is reset though the handshake was done.
func TestTLSBodyRightAfterHandshake(t *testing.T) {
	addr, pool, _ := tlsServer(t, Config{MaxBodySize: 16 << 20}, func(c *Context, v *Vhost) { v.HandleFunc("/echo", echoBody) })
	body := bytes.Repeat([]byte("right after the handshake "), (300<<10)/26)
	want := echoWant(len(body), sha256.Sum256(body))
	failed := 0
	var first error
	for i := 0; i < 30; i++ {
		// Go's client, HTTP/1.1: no Expect, the body follows the head.
		cl, tr := tlsClient(pool, false)
		resp, err := cl.Post("https://"+addr+"/echo", "application/octet-stream", bytes.NewReader(body))
		if err == nil {
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(got) != want {
				err = fmt.Errorf("answer %q", got)
			}
		}
		tr.CloseIdleConnections()
		// And a raw TLS 1.3 client writing head and body in one go.
		if err == nil {
			err = func() error {
				c, err := ctls.Dial("tcp4", addr, &ctls.Config{RootCAs: pool, ServerName: "localhost", NextProtos: []string{"http/1.1"}})
				if err != nil {
					return err
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				req := fmt.Sprintf("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n", len(body))
				if _, err := c.Write(append([]byte(req), body...)); err != nil {
					return err
				}
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					return err
				}
				got, _ := io.ReadAll(resp.Body)
				if string(got) != want {
					return fmt.Errorf("answer %q", got)
				}
				return nil
			}()
		}
		if err != nil {
			failed++
			if first == nil {
				first = err
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of 30 connections failed, first: %v", failed, first)
	}
}

// TestTLSH1LargeChunkedResponse: a handler writing 10 MiB at once over
// HTTP/1.1 (chunked, no length) gets the whole answer to the client,
// over TLS and plaintext: the chunk's CRLF and the last chunk are
// framing and must not be dropped when the output is over
// Config.Loop.MaxBuffered.
func TestTLSH1LargeChunkedResponse(t *testing.T) {
	p := tlsPeerServer(t, Config{})
	up, err := os.ReadFile(p.upload)
	if err != nil {
		t.Fatal(err)
	}
	for _, tlsOn := range []bool{true, false} {
		t.Run(map[bool]string{true: "TLS", false: "plaintext"}[tlsOn], func(t *testing.T) {
			cl, tr := tlsClient(p.pool, false)
			defer tr.CloseIdleConnections()
			cl.Timeout = 10 * time.Second
			url := "https://" + p.addr + "/mirror"
			if !tlsOn {
				url = "http://" + p.plain + "/mirror"
			}
			resp, err := cl.Post(url, "application/octet-stream", bytes.NewReader(up))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || len(got) != len(up) || sha(string(got)) != p.uploadSum {
				t.Fatalf("POST /mirror: %v, %d octets back of %d (chunked %v)", err, len(got), len(up), resp.TransferEncoding)
			}
		})
	}
}

// TestTLSReloadCertificatesConcurrent: reloads racing with handshakes
// (run it under -race): every handshake gets one of the two pairs whole,
// and the last reload's pair is served after.
func TestTLSReloadCertificatesConcurrent(t *testing.T) {
	certFile, keyFile, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	otherCert, otherKey, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var pems [2][2][]byte // pair, cert/key
	for i, f := range [][2]string{{certFile, keyFile}, {otherCert, otherKey}} {
		for j := range f {
			if pems[i][j], err = os.ReadFile(f[j]); err != nil {
				t.Fatal(err)
			}
		}
	}
	serials := map[string]bool{leafSerial(t, certFile): true, leafSerial(t, otherCert): true}
	pool := certPool(t, certFile, otherCert)
	_, c := testServer(t, Config{Logger: quietLogger()}, func(c *Context, v *Vhost) {
		if err := v.TLS(certFile, keyFile, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		v.HandleFunc("/", hello)
	})
	a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var handshakes sync.Map
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				conn, err := ctls.Dial("tcp4", a.String(), &ctls.Config{RootCAs: pool, ServerName: "localhost", NextProtos: []string{"http/1.1"}})
				if err != nil {
					t.Errorf("handshake during reloads: %v", err)
					return
				}
				st := conn.ConnectionState()
				conn.Close()
				s := certSerial(&st)
				if !serials[s] {
					t.Errorf("served serial %s", s)
					return
				}
				handshakes.Store(s, true)
			}
		}()
	}
	reloads := 0
	for i := 0; i < 40; i++ {
		p := pems[i%2]
		replaceFile(t, certFile, p[0])
		replaceFile(t, keyFile, p[1])
		c.ReloadCertificates() // a pair caught half replaced fails and keeps the old one
		reloads++
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	// The last files written are the second pair's.
	if err := c.ReloadCertificates(); err != nil {
		t.Fatal(err)
	}
	conn, err := ctls.Dial("tcp4", a.String(), &ctls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	st := conn.ConnectionState()
	conn.Close()
	if got, want := certSerial(&st), leafSerial(t, otherCert); got != want {
		t.Fatalf("after the reloads: serial %s, want %s", got, want)
	}
	seen := 0
	handshakes.Range(func(any, any) bool { seen++; return true })
	t.Logf("%d reloads; handshakes saw %d distinct certificates", reloads, seen)
}
