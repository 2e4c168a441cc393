//go:build linux

package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// freeAddr is a 127.0.0.1 address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestGoServersTLS starts golws and net/http in their https modes, runs
// the https preflight (HTTP/1.1 pipelined and h2 multiplexed over TLS
// 1.3, both files over h2) and the handshake generator against each.
func TestGoServersTLS(t *testing.T) {
	fx := testFiles(t)
	if err := fx.makeCert(); err != nil {
		t.Fatal(err)
	}
	pair := certPair{fx.cert.certFile, fx.cert.keyFile}
	files := [][]byte{fx.small, fx.big}
	paths := []string{"/files/4k.bin", "/files/1m.bin"}
	for _, impl := range []string{implGolws, implNetHTTP} {
		t.Run(impl, func(t *testing.T) {
			serve := serveGolws
			if impl == implNetHTTP {
				serve = serveNetHTTP
			}
			bound, err := serve(freeAddr(t), fx.filesDir, protoHTTPS, pair)
			if err != nil {
				t.Fatal(err)
			}
			size, err := preflight(context.Background(), protoHTTPS, bound, fx.cert, files, paths)
			if err != nil {
				t.Fatal(err)
			}
			if size < 40 || size > 400 {
				t.Errorf("one plaintext response is %d bytes", size)
			}
			// Cleartext on a TLS port fails.
			if _, err := checkPipelined(context.Background(), plainDial, bound, 1); err == nil {
				t.Error("a cleartext request was answered on the TLS listener")
			}
			j := handshakeJob{addr: bound, path: "/plaintext", n: 60, c: 5, body: plaintextBody}
			s := runHandshakes(context.Background(), j, fx.cert.leaf)
			if err := s.check(60); err != nil {
				t.Fatalf("%v\n%s", err, s)
			}
			if s.tickets < 60 {
				t.Errorf("%d session tickets for 60 connections", s.tickets)
			}
			// The summary survives its own output.
			back, err := parseHandshake([]byte(s.String()))
			if err != nil || back.check(60) != nil || back.tlsInfo() != "TLSv1.3, TLS_AES_128_GCM_SHA256, X25519" {
				t.Errorf("parsed back: %+v, %v; tls %q", back, err, back.tlsInfo())
			}
		})
	}
}

// TestHandshakeFailures checks that the handshake generator and its
// checks catch a wrong certificate, a cleartext server and a summary with
// resumed or missing connections.
func TestHandshakeFailures(t *testing.T) {
	fx := testFiles(t)
	if err := fx.makeCert(); err != nil {
		t.Fatal(err)
	}
	bound, err := serveNetHTTP(freeAddr(t), fx.filesDir, protoHTTPS, certPair{fx.cert.certFile, fx.cert.keyFile})
	if err != nil {
		t.Fatal(err)
	}
	j := handshakeJob{addr: bound, path: "/plaintext", n: 20, c: 2, body: plaintextBody}
	if s := runHandshakes(context.Background(), j, []byte("another certificate")); s.check(20) == nil || !strings.Contains(s.firstErr, "another certificate") {
		t.Errorf("wrong certificate accepted: %s", s)
	}
	j.path = "/nothing"
	if s := runHandshakes(context.Background(), j, fx.cert.leaf); s.check(20) == nil {
		t.Errorf("404s accepted: %s", s)
	}
	plain, err := serveNetHTTP(freeAddr(t), fx.filesDir, protoH1, certPair{})
	if err != nil {
		t.Fatal(err)
	}
	j = handshakeJob{addr: plain, path: "/plaintext", n: 20, c: 2, body: plaintextBody}
	if s := runHandshakes(context.Background(), j, fx.cert.leaf); s.check(20) == nil || s.errors == 0 {
		t.Errorf("cleartext server accepted: %s", s)
	}

	good := handshakeSummary{connections: 10, handshakes: 10, full: 10, requests: 10, ok: 10, closed: 10, tls: []string{"TLSv1.3, TLS_AES_128_GCM_SHA256, X25519: 10"}}
	if err := good.check(10); err != nil {
		t.Errorf("clean summary rejected: %v", err)
	}
	for name, bad := range map[string]handshakeSummary{
		"resumed":    {connections: 10, handshakes: 10, full: 8, resumed: 2, requests: 10, ok: 10, closed: 10, tls: good.tls},
		"short":      {connections: 9, handshakes: 9, full: 9, requests: 9, ok: 9, closed: 9, tls: good.tls},
		"not closed": {connections: 10, handshakes: 10, full: 10, requests: 10, ok: 10, closed: 7, tls: good.tls},
		"two suites": {connections: 10, handshakes: 10, full: 10, requests: 10, ok: 10, closed: 10, tls: []string{"TLSv1.3, TLS_AES_128_GCM_SHA256, X25519: 5", "TLSv1.3, TLS_AES_256_GCM_SHA384, X25519: 5"}},
		"TLS 1.2":    {connections: 10, handshakes: 10, full: 10, requests: 10, ok: 10, closed: 10, tls: []string{"TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, X25519: 10"}},
	} {
		if err := bad.check(10); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := parseHandshake([]byte(handshakeLine + "connections=1\n")); err == nil {
		t.Error("short summary accepted")
	}
}

// TestGeneratorsTLS runs the real h2load over https (h2 and --h1) and the
// handshake generator as the harness runs it (this test binary cannot be
// re-executed as httpbench, so the generator runs in process) against
// net/http, with the harness's command lines and parsers.
func TestGeneratorsTLS(t *testing.T) {
	h2load, errH := exec.LookPath("h2load")
	taskset, errT := exec.LookPath("taskset")
	if errH != nil || errT != nil {
		t.Skip("h2load or taskset not installed")
	}
	if _, err := os.Stat("/sys/devices/system/cpu/cpu1"); err != nil {
		t.Skip("no CPU 1 to pin the generator to")
	}
	fx := testFiles(t)
	if err := fx.makeCert(); err != nil {
		t.Fatal(err)
	}
	bound, err := serveNetHTTP(freeAddr(t), fx.filesDir, protoHTTPS, certPair{fx.cert.certFile, fx.cert.keyFile})
	if err != nil {
		t.Fatal(err)
	}
	tools := &toolSet{taskset: taskset, h2load: h2load}
	o := options{proto: protoHTTPS}
	for _, sc := range httpsScenarios {
		if sc.tool != toolH2load || sc.file {
			continue
		}
		j := sc.job(o, "https://"+bound+sc.path, 10*sc.conns*sc.inFlight(), filepath.Join(fx.root, sc.id+".log"))
		j.c = 2
		r, err := runH2load(context.Background(), tools, j, nil)
		if err != nil {
			t.Fatalf("%s: %v", sc.id, err)
		}
		if r.requests != int64(j.n) || !r.hasP99 || !strings.HasPrefix(r.tlsInfo, "TLSv1.3, ") {
			t.Errorf("%s: result %+v", sc.id, r)
		}
	}
	// Over cleartext the TLS check fails the run.
	plain, err := serveNetHTTP(freeAddr(t), fx.filesDir, protoH1, certPair{})
	if err != nil {
		t.Fatal(err)
	}
	j := h2loadJob{url: "http://" + plain + "/plaintext", proto: protoH1, tls: true, n: 20, c: 2, body: len(plaintextBody)}
	if _, err := runH2load(context.Background(), tools, j, nil); err == nil || !strings.Contains(err.Error(), "TLS protocol") {
		t.Errorf("cleartext run accepted as TLS: %v", err)
	}
}
