//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// preflightTimeout bounds each correctness check before the measurements.
const preflightTimeout = 10 * time.Second

// preflight checks, before anything is measured, that a server answers
// what the scenarios expect, in proto. HTTP/1.1: pipelineDepth pipelined
// GET /plaintext on one connection each get 200 and exactly the plaintext
// body. h2: one GET /plaintext, then pipelineDepth concurrent ones,
// multiplexed on the same connection, over h2c with prior knowledge,
// each 200 with exactly the body. https: both, over TLS 1.3 with the
// run's certificate (cert), HTTP/1.1 and h2 as ALPN picks them when the
// client offers only one. Then every file a selected scenario fetches
// must come back byte for byte (over h2 for https). It returns the size
// of one whole HTTP/1.1 plaintext response, heads included, which the wrk
// run checks its byte count against (0 for h2, which has no wrk run).
func preflight(ctx context.Context, proto, addr string, cert *certFiles, files [][]byte, paths []string) (respSize int, err error) {
	ctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	tr := newTransport(proto, cert)
	defer tr.tr.CloseIdleConnections()
	if proto == protoH2 || proto == protoHTTPS {
		if err := checkMultiplexed(ctx, tr, addr, pipelineDepth); err != nil {
			return 0, err
		}
	}
	if proto != protoH2 {
		dial := plainDial
		if proto == protoHTTPS {
			dial = tlsDial(cert, "http/1.1")
		}
		if respSize, err = checkPipelined(ctx, dial, addr, pipelineDepth); err != nil {
			return 0, err
		}
	}
	for i, p := range paths {
		if err := checkFile(ctx, tr, addr, p, files[i]); err != nil {
			return 0, err
		}
	}
	return respSize, nil
}

// dialFunc opens a connection for checkPipelined.
type dialFunc func(ctx context.Context, addr string) (net.Conn, error)

func plainDial(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

// tlsDial dials TLS 1.3 trusting cert only, offering alpn alone, and
// checks that the server agreed on both.
func tlsDial(cert *certFiles, alpn string) dialFunc {
	return func(ctx context.Context, addr string) (net.Conn, error) {
		d := tls.Dialer{Config: &tls.Config{RootCAs: cert.pool, NextProtos: []string{alpn}, MinVersion: tls.VersionTLS13}}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, err
		}
		if st := c.(*tls.Conn).ConnectionState(); st.NegotiatedProtocol != alpn {
			c.Close()
			return nil, fmt.Errorf("TLS: ALPN %q negotiated, want %q", st.NegotiatedProtocol, alpn)
		}
		return c, nil
	}
}

// client is an HTTP client transport and what it must speak.
type client struct {
	tr    *http.Transport
	https bool // https:// URLs, TLS 1.3
	major int  // the HTTP major version every response must come in
}

// newTransport is an HTTP client speaking proto: HTTP/1.1, or for h2
// HTTP/2 with prior knowledge on http:// URLs (h2c) and nothing else, or
// for https HTTP/2 over TLS 1.3 alone, trusting cert only.
func newTransport(proto string, cert *certFiles) *client {
	tr := &http.Transport{DisableCompression: true}
	c := &client{tr: tr, major: 1}
	switch proto {
	case protoH2:
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetUnencryptedHTTP2(true)
		c.major = 2
	case protoHTTPS:
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetHTTP2(true)
		tr.TLSClientConfig = &tls.Config{RootCAs: cert.pool, MinVersion: tls.VersionTLS13}
		c.https, c.major = true, 2
	}
	return c
}

// get fetches path and returns its status and body, checking that the
// response came in the transport's protocol (and over TLS 1.3 for a TLS
// transport).
func get(ctx context.Context, c *client, addr, path string) (int, []byte, error) {
	scheme := "http"
	if c.https {
		scheme = "https"
	}
	req, err := http.NewRequestWithContext(ctx, "GET", scheme+"://"+addr+path, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := (&http.Client{Transport: c.tr}).Do(req)
	if err != nil {
		return 0, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s: body: %w", path, err)
	}
	if resp.ProtoMajor != c.major {
		return 0, nil, fmt.Errorf("GET %s: answered in %s, want HTTP/%d", path, resp.Proto, c.major)
	}
	if c.https && (resp.TLS == nil || resp.TLS.Version != tls.VersionTLS13) {
		return 0, nil, fmt.Errorf("GET %s: not over TLS 1.3", path)
	}
	return resp.StatusCode, body, nil
}

// checkMultiplexed sends one GET /plaintext, which opens the connection,
// then n concurrent ones, which the HTTP/2 transport multiplexes on it.
func checkMultiplexed(ctx context.Context, tr *client, addr string, n int) error {
	one := func(i int) error {
		status, body, err := get(ctx, tr, addr, "/plaintext")
		if err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		if status != 200 || string(body) != plaintextBody {
			return fmt.Errorf("request %d: status %d, body %q; want 200, %q", i, status, body, plaintextBody)
		}
		return nil
	}
	if err := one(0); err != nil {
		return err
	}
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- one(i + 1) }()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// checkPipelined writes depth requests for /plaintext in one write and
// reads the depth responses, in order, on the same connection.
func checkPipelined(ctx context.Context, dial dialFunc, addr string, depth int) (int, error) {
	c, err := dial(ctx, addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	req := "GET /plaintext HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"
	if _, err := io.WriteString(c, strings.Repeat(req, depth)); err != nil {
		return 0, fmt.Errorf("write %d pipelined requests: %w", depth, err)
	}
	cr := &countingReader{r: c}
	br := bufio.NewReader(cr)
	for i := range depth {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return 0, fmt.Errorf("pipelined response %d of %d: %w", i+1, depth, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, fmt.Errorf("pipelined response %d of %d: body: %w", i+1, depth, err)
		}
		if resp.StatusCode != 200 || string(body) != plaintextBody {
			return 0, fmt.Errorf("pipelined response %d of %d: status %d, body %q; want 200, %q", i+1, depth, resp.StatusCode, body, plaintextBody)
		}
	}
	if br.Buffered() > 0 {
		return 0, fmt.Errorf("%d unexpected bytes after %d pipelined responses", br.Buffered(), depth)
	}
	return cr.n / depth, nil
}

// checkFile fetches path and compares the body with want.
func checkFile(ctx context.Context, tr *client, addr, path string, want []byte) error {
	status, body, err := get(ctx, tr, addr, path)
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("GET %s: status %d", path, status)
	}
	if !bytes.Equal(body, want) {
		return fmt.Errorf("GET %s: %d bytes that differ from the %d-byte file", path, len(body), len(want))
	}
	return nil
}
