//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
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
// each 200 with exactly the body. Then every file a selected scenario
// fetches must come back byte for byte, in proto. It returns the size of
// one whole HTTP/1.1 plaintext response, heads included, which the wrk
// run checks its byte count against (0 for h2, which has no wrk run).
func preflight(ctx context.Context, proto, addr string, files [][]byte, paths []string) (respSize int, err error) {
	ctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	tr := newTransport(proto)
	defer tr.CloseIdleConnections()
	if proto == protoH2 {
		if err := checkMultiplexed(ctx, tr, addr, pipelineDepth); err != nil {
			return 0, err
		}
	} else if respSize, err = checkPipelined(ctx, addr, pipelineDepth); err != nil {
		return 0, err
	}
	for i, p := range paths {
		if err := checkFile(ctx, tr, addr, p, files[i]); err != nil {
			return 0, err
		}
	}
	return respSize, nil
}

// newTransport is an HTTP client transport speaking proto: HTTP/1.1, or
// for h2 HTTP/2 with prior knowledge on http:// URLs (h2c) and nothing
// else.
func newTransport(proto string) *http.Transport {
	tr := &http.Transport{DisableCompression: true}
	if proto == protoH2 {
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetUnencryptedHTTP2(true)
	}
	return tr
}

// get fetches path and returns its status and body, checking that the
// response came in the transport's protocol.
func get(ctx context.Context, tr *http.Transport, addr, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+path, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s: body: %w", path, err)
	}
	wantMajor := 1
	if tr.Protocols != nil && tr.Protocols.UnencryptedHTTP2() {
		wantMajor = 2
	}
	if resp.ProtoMajor != wantMajor {
		return 0, nil, fmt.Errorf("GET %s: answered in %s, want HTTP/%d", path, resp.Proto, wantMajor)
	}
	return resp.StatusCode, body, nil
}

// checkMultiplexed sends one GET /plaintext, which opens the connection,
// then n concurrent ones, which the HTTP/2 transport multiplexes on it.
func checkMultiplexed(ctx context.Context, tr *http.Transport, addr string, n int) error {
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
func checkPipelined(ctx context.Context, addr string, depth int) (int, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
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
func checkFile(ctx context.Context, tr *http.Transport, addr, path string, want []byte) error {
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
