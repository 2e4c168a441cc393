package golws

import (
	"bytes"
	"io"
	"net"
	"testing"
)

// roundTripper sends one request on a kept-alive connection and reads
// exactly one response of a known length.
func roundTripper(t testing.TB, addr, req string) func() {
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	reqb := []byte(req)
	conn.Write(reqb)
	// Learn the response length from the first one (Date has a fixed width).
	buf := make([]byte, 64<<10)
	n, _ := conn.Read(buf)
	first := buf[:n]
	i := bytes.Index(first, []byte("Content-Length: "))
	if i < 0 {
		t.Fatalf("no length in %q", first)
	}
	return func() {
		if _, err := conn.Write(reqb); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(conn, buf[:n]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGetAllocs: after warm-up, parsing, handling and answering a
// keep-alive GET allocates nothing, anywhere in the process.
func TestGetAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	addr := allocServer(t)
	for _, tc := range []struct{ name, req string }{
		{"handler", "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nUser-Agent: h2load\r\nAccept: */*\r\n\r\n"},
		{"browser-like", "GET /plaintext?x=1 HTTP/1.1\r\nHost: localhost:7681\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n" +
			"Accept: text/html,application/xhtml+xml\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n" +
			"Connection: keep-alive\r\nCookie: a=b; c=d\r\nUpgrade-Insecure-Requests: 1\r\nCache-Control: max-age=0\r\n\r\n"},
		{"static file", "GET /files/sub/deeper/a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"},
	} {
		assertNoAllocs(t, tc.name, roundTripper(t, addr, tc.req))
	}
}

// allocServer is the server of the allocation tests: one loop, a handler
// at /plaintext and a static tree under /files.
func allocServer(t *testing.T) string {
	root, _ := staticTree(t)
	cfg := Config{}
	cfg.Loop.Loops = 1
	addr, _ := testServer(t, cfg, func(c *Context, v *Vhost) {
		v.HandleFunc("/plaintext", hello)
		v.ServeDir("/files", root, DirOptions{})
	})
	return addr
}

// assertNoAllocs warms rt up, then requires it to allocate nothing,
// anywhere in the process.
func assertNoAllocs(t *testing.T, name string, rt func()) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		rt()
	}
	if a := testing.AllocsPerRun(2000, rt); a != 0 {
		t.Errorf("%s: %v allocs per request, want 0", name, a)
	}
}

func BenchmarkGetKeepAlive(b *testing.B) {
	cfg := Config{}
	cfg.Loop.Loops = 1
	addr, _ := testServer(b, cfg, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	rt := roundTripper(b, addr, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	b.ReportAllocs()
	for b.Loop() {
		rt()
	}
}

// BenchmarkPipelined16: 16 requests per write, as wrk's pipelining
// benchmark sends them; ns/op is per request.
func BenchmarkPipelined16(b *testing.B) {
	cfg := Config{}
	cfg.Loop.Loops = 1
	addr, _ := testServer(b, cfg, func(c *Context, v *Vhost) { v.HandleFunc("/plaintext", hello) })
	req := ""
	for i := 0; i < 16; i++ {
		req += "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
	}
	rt := roundTripper(b, addr, req)
	b.ReportAllocs()
	for b.Loop() {
		rt()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*16), "ns/req")
}
