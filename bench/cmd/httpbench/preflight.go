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
// what the scenarios expect: pipelineDepth pipelined GET /plaintext on
// one connection each get 200 and exactly the plaintext body, and every
// file a selected scenario fetches comes back byte for byte. It returns
// the size of one whole plaintext response, heads included, which the
// wrk run checks its byte count against.
func preflight(ctx context.Context, addr string, files [][]byte, paths []string) (respSize int, err error) {
	ctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	if respSize, err = checkPipelined(ctx, addr, pipelineDepth); err != nil {
		return 0, err
	}
	for i, p := range paths {
		if err := checkFile(ctx, addr, p, files[i]); err != nil {
			return 0, err
		}
	}
	return respSize, nil
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
func checkFile(ctx context.Context, addr, path string, want []byte) error {
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+path, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("GET %s: body: %w", path, err)
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	if !bytes.Equal(body, want) {
		return fmt.Errorf("GET %s: %d bytes that differ from the %d-byte file", path, len(body), len(want))
	}
	return nil
}
