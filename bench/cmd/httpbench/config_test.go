//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestNginxConfig(t *testing.T) {
	conf := nginxConfig("/tmp/p", "/tmp/f", 8080, protoH1, certPair{})
	for _, want := range []string{
		"worker_processes 1;", "daemon off;", "master_process on;", "access_log off;",
		"keepalive_requests 1000000;", "listen 127.0.0.1:8080;",
		`location = /plaintext {`, `return 200 "Hello, World!";`, "default_type text/plain;",
		"location /files/ {", "alias /tmp/f/;", "sendfile on;",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("nginx config lacks %q", want)
		}
	}
	if h2 := nginxConfig("/tmp/p", "/tmp/f", 8080, protoH2, certPair{}); !strings.Contains(h2, "listen 127.0.0.1:8080 http2;") || !strings.Contains(h2, "sendfile off;") || strings.Contains(h2, "ssl") {
		t.Errorf("h2 nginx config lacks the http2 listener:\n%s", h2)
	}
	https := nginxConfig("/tmp/p", "/tmp/f", 8080, protoHTTPS, certPair{"/tmp/c.pem", "/tmp/k.pem"})
	for _, want := range []string{"listen 127.0.0.1:8080 ssl http2;", "ssl_certificate /tmp/c.pem;", "ssl_certificate_key /tmp/k.pem;", "ssl_protocols TLSv1.2 TLSv1.3;", "sendfile off;"} {
		if !strings.Contains(https, want) {
			t.Errorf("https nginx config lacks %q:\n%s", want, https)
		}
	}
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx not installed: config not checked with nginx -t")
	}
	pair := testCert(t)
	for _, proto := range []string{protoH1, protoH2, protoHTTPS} {
		dir := t.TempDir()
		path := filepath.Join(dir, "nginx.conf")
		if err := os.WriteFile(path, []byte(nginxConfig(dir, dir, 1, proto, pair)), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(nginx, "-t", "-q", "-p", dir+"/", "-c", path, "-e", "stderr").CombinedOutput(); err != nil {
			t.Errorf("%s: nginx -t: %v\n%s", proto, err, out)
		}
	}
}

func TestH2OConfig(t *testing.T) {
	with := h2oConfig("/tmp/f", 8081, true, protoH1, certPair{})
	without := h2oConfig("/tmp/f", 8081, false, protoH2, certPair{})
	https := h2oConfig("/tmp/f", 8081, true, protoHTTPS, certPair{"/tmp/c.pem", "/tmp/k.pem"})
	for _, want := range []string{"  ssl:\n    certificate-file: /tmp/c.pem\n    key-file: /tmp/k.pem\n", "ocsp-update-interval: 0", "port: 8081"} {
		if !strings.Contains(https, want) {
			t.Errorf("https h2o config lacks %q:\n%s", want, https)
		}
	}
	if strings.Contains(with, "ssl") || strings.Contains(without, "ssl") {
		t.Error("cleartext h2o config has an ssl section")
	}
	for _, c := range []string{with, without} {
		for _, want := range []string{"num-threads: 1", "port: 8081", "file.dir: /tmp/f"} {
			if !strings.Contains(c, want) {
				t.Errorf("h2o config lacks %q:\n%s", want, c)
			}
		}
		if strings.Contains(c, "access-log") {
			t.Error("h2o config has an access log")
		}
	}
	if !strings.Contains(with, "mruby.handler") || !strings.Contains(with, `["Hello, World!"]`) {
		t.Errorf("mruby config:\n%s", with)
	}
	if !strings.Contains(without, "file.file: /tmp/f/plaintext") || strings.Contains(without, "mruby") {
		t.Errorf("file config:\n%s", without)
	}
	h2o, err := exec.LookPath("h2o")
	if err != nil {
		t.Skip("h2o not installed: config not checked with h2o -t")
	}
	out, _ := exec.Command(h2o, "--version").CombinedOutput()
	mruby := strings.Contains(string(out), "mruby: YES")
	pair := testCert(t)
	for _, proto := range []string{protoH1, protoHTTPS} {
		dir := t.TempDir()
		path := filepath.Join(dir, "h2o.conf")
		if err := os.WriteFile(path, []byte(h2oConfig(dir, 1, mruby, proto, pair)), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(h2o, "-t", "-c", path).CombinedOutput(); err != nil {
			t.Errorf("%s: h2o -t: %v\n%s", proto, err, out)
		}
	}
}

// testCert makes a certificate as the harness does, for the servers'
// configuration checks.
func testCert(t *testing.T) certPair {
	t.Helper()
	fx := testFiles(t)
	if err := fx.makeCert(); err != nil {
		t.Fatal(err)
	}
	return certPair{fx.cert.certFile, fx.cert.keyFile}
}
