package golws

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// peer finds an interop client; without it the test is skipped, unless
// GOLWS_REQUIRE_INTEROP is set (CI sets it: a missing peer must fail there).
func peer(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("GOLWS_REQUIRE_INTEROP") != "" {
			t.Fatalf("%s not installed (GOLWS_REQUIRE_INTEROP is set)", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func interopServer(t *testing.T) (string, string, []byte) {
	root, big := staticTree(t)
	addr, _ := testServer(t, Config{MaxBodySize: 16 << 20}, func(c *Context, v *Vhost) {
		v.HandleFunc("/plaintext", hello)
		v.HandleFunc("/echo", echoBody)
		v.ServeDir("/", root, DirOptions{})
	})
	return addr, root, big
}

func TestCurl(t *testing.T) {
	curl := peer(t, "curl")
	addr, root, big := interopServer(t)
	base := "http://" + addr
	// Keep-alive: two URLs in one invocation share the connection.
	out := run(t, curl, "-sv", base+"/plaintext", base+"/plaintext")
	if strings.Count(out, "Hello, World!") != 2 || !strings.Contains(out, "Re-using existing connection") {
		t.Fatalf("keep-alive:\n%s", out)
	}
	// HEAD.
	out = run(t, curl, "-sI", base+"/big.bin")
	if !strings.Contains(out, fmt.Sprintf("Content-Length: %d", len(big))) || !strings.Contains(out, "Accept-Ranges: bytes") {
		t.Fatalf("HEAD:\n%s", out)
	}
	// Range.
	out = run(t, curl, "-s", "-r", "1000-1099", base+"/big.bin")
	if out != string(big[1000:1100]) {
		t.Fatalf("range: %q", out)
	}
	// 304 from the ETag curl saw.
	etag := regexp.MustCompile(`(?i)etag: (\S+)`).FindStringSubmatch(run(t, curl, "-sI", base+"/index.html"))
	if etag == nil {
		t.Fatal("no ETag")
	}
	out = run(t, curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: "+etag[1], base+"/index.html")
	if out != "304" {
		t.Fatalf("conditional GET: %s", out)
	}
	// Chunked POST.
	body := bytes.Repeat([]byte("chunked body "), 100000)
	f := filepath.Join(t.TempDir(), "body")
	os.WriteFile(f, body, 0o644)
	sum := sha256.Sum256(body)
	out = run(t, curl, "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@"+f, base+"/echo")
	if want := fmt.Sprintf("%d %x", len(body), sum[:8]); out != want {
		t.Fatalf("chunked POST: %q want %q", out, want)
	}
	_ = root
}

// h2loadSucceeded parses h2load's summary and fails unless every request
// succeeded (h2load exits 0 even when some failed).
func h2loadSucceeded(t *testing.T, out string, n int) {
	t.Helper()
	m := regexp.MustCompile(`requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary in h2load output:\n%s", out)
	}
	if ok, _ := strconv.Atoi(m[4]); ok != n {
		t.Fatalf("h2load: %s of %d succeeded\n%s", m[4], n, out)
	}
}

func TestH2loadH1(t *testing.T) {
	h2load := peer(t, "h2load")
	addr, _, _ := interopServer(t)
	for _, c := range []string{"1", "10", "100"} {
		out := run(t, h2load, "--h1", "-n", "20000", "-c", c, "http://"+addr+"/plaintext")
		h2loadSucceeded(t, out, 20000)
	}
	out := run(t, h2load, "--h1", "-n", "2000", "-c", "10", "http://"+addr+"/sub/deeper/a.txt")
	h2loadSucceeded(t, out, 2000)
}

func TestWrkPipelined(t *testing.T) {
	wrk := peer(t, "wrk")
	addr, _, _ := interopServer(t)
	script := filepath.Join(t.TempDir(), "pipeline.lua")
	os.WriteFile(script, []byte(`
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil, "/plaintext") end
  req = table.concat(r)
end
request = function() return req end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d\n", summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`), 0o644)
	out := run(t, wrk, "-t1", "-c8", "-d1s", "-s", script, "http://"+addr)
	m := regexp.MustCompile(`RESULT requests=(\d+) non2xx=(\d+) errors=(\d+)`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] != "0" || m[3] != "0" {
		t.Fatalf("wrk pipelined:\n%s", out)
	}
	t.Logf("wrk ×16 pipelined, 1 s: %s requests", m[1])
}
