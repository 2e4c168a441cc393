package golws

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testServer starts a Context with one vhost set up by setup, listening on
// a free loopback port.
func testServer(t testing.TB, cfg Config, setup func(c *Context, v *Vhost)) (string, *Context) {
	t.Helper()
	if cfg.Loop.Loops == 0 {
		cfg.Loop.Loops = 2
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	v := c.Vhost("test")
	setup(c, v)
	a, err := c.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Shutdown(ctx)
	})
	return a.String(), c
}

func hello(w *Response, r *Request) {
	w.ContentType("text/plain")
	w.WriteString("Hello, World!")
}

func TestGetKeepAlive(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	reused := 0
	for i := 0; i < 100; i++ {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
			if info.Reused {
				reused++
			}
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", "http://"+addr+"/x", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "Hello, World!" || resp.Header.Get("Content-Type") != "text/plain" {
			t.Fatalf("got %d %q %v", resp.StatusCode, body, resp.Header)
		}
		if resp.Header.Get("Date") == "" || resp.Header.Get("Server") != "golws" {
			t.Fatalf("missing Date/Server: %v", resp.Header)
		}
	}
	if reused != 99 {
		t.Fatalf("connection reused %d times of 99", reused)
	}
}

// rawExchange writes req on a fresh connection and reads until the server
// closes or the deadline passes.
func rawExchange(t testing.TB, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(c)
	return string(out)
}

func TestPipelinedWithInvalidInTheMiddle(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", func(w *Response, r *Request) { w.Write(r.Path()) })
	})
	var req strings.Builder
	for i := 0; i < 32; i++ {
		if i == 20 {
			req.WriteString("GET /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
			continue
		}
		fmt.Fprintf(&req, "GET /r%d HTTP/1.1\r\nHost: x\r\n\r\n", i)
	}
	out := rawExchange(t, addr, req.String())
	r := bufio.NewReader(strings.NewReader(out))
	for i := 0; i < 20; i++ {
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != fmt.Sprintf("/r%d", i) {
			t.Fatalf("response %d: %d %q", i, resp.StatusCode, body)
		}
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != 400 || !resp.Close {
		t.Fatalf("after 20: %v %+v", err, resp)
	}
	io.ReadAll(resp.Body)
	if rest, _ := io.ReadAll(r); len(rest) != 0 {
		t.Fatalf("bytes after the 400: %q", rest)
	}
}

func TestHeadAndStatusWithoutBody(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", hello)
		v.HandleFunc("/204", func(w *Response, r *Request) { w.Status(204) })
	})
	out := rawExchange(t, addr, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.Contains(out, "Content-Length: 13\r\n") || strings.HasSuffix(out, "World!") {
		t.Fatalf("HEAD: %q", out)
	}
	out = rawExchange(t, addr, "GET /204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 204 ") || strings.Contains(out, "Content-Length") {
		t.Fatalf("204: %q", out)
	}
}

func TestHTTP10(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	out := rawExchange(t, addr, "GET / HTTP/1.0\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.0 200 OK\r\n") || !strings.HasSuffix(out, "Hello, World!") || !strings.Contains(out, "Connection: close") {
		t.Fatalf("1.0: %q", out)
	}
	// 1.0 keep-alive: two requests on one connection.
	out = rawExchange(t, addr, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n")
	if strings.Count(out, "HTTP/1.0 200 OK") != 2 {
		t.Fatalf("1.0 keep-alive: %q", out)
	}
}

func echoBody(w *Response, r *Request) {
	sum := sha256.Sum256(r.Body())
	fmt.Fprintf(w, "%d %x", len(r.Body()), sum[:8])
}

func TestPostBodies(t *testing.T) {
	addr, _ := testServer(t, Config{MaxBodySize: 4 << 20}, func(c *Context, v *Vhost) { v.HandleFunc("/", echoBody) })
	body := bytes.Repeat([]byte("golws-"), 300000) // 1.8 MB
	sum := sha256.Sum256(body)
	want := fmt.Sprintf("%d %x", len(body), sum[:8])
	// Content-Length.
	resp, err := testClient.Post("http://"+addr+"/", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != want {
		t.Fatalf("CL post: %q want %q", got, want)
	}
	// Chunked (unknown length).
	resp, err = testClient.Post("http://"+addr+"/", "application/octet-stream", io.MultiReader(bytes.NewReader(body[:1000]), bytes.NewReader(body[1000:])))
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != want {
		t.Fatalf("chunked post: %q want %q", got, want)
	}
	// Too large: 413, never a hang.
	big := bytes.Repeat([]byte("x"), 5<<20)
	resp, err = testClient.Post("http://"+addr+"/", "application/octet-stream", bytes.NewReader(big))
	if err == nil {
		if resp.StatusCode != 413 {
			t.Fatalf("oversize: %d", resp.StatusCode)
		}
		resp.Body.Close()
	}
}

func TestExpectContinue(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.HandleFunc("/", echoBody) })
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	r := bufio.NewReader(conn)
	line, _ := r.ReadString('\n')
	if line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("got %q", line)
	}
	r.ReadString('\n')
	io.WriteString(conn, "hello")
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(err, resp)
	}
}

func TestLimits(t *testing.T) {
	cfg := Config{}
	cfg.Limits.MaxRequestLine = 100
	cfg.Limits.MaxHeaderBytes = 1000
	cfg.Limits.MaxHeaders = 10
	addr, _ := testServer(t, cfg, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	cases := []struct {
		req    string
		status string
	}{
		{"GET /" + strings.Repeat("a", 200) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
		{"GET / HTTP/1.1\r\nHost: x\r\nX: " + strings.Repeat("b", 2000) + "\r\n\r\n", "431"},
		{"GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-A: 1\r\n", 20) + "\r\n", "431"},
		{"GET / HTTP/1.1\r\n\r\n", "400"},
		{"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
		{"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400"},
		{"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "400"},
		{"CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n", "405"},
	}
	for _, tc := range cases {
		out := rawExchange(t, addr, tc.req)
		if !strings.HasPrefix(out, "HTTP/1.1 "+tc.status+" ") || !strings.Contains(out, "Connection: close") {
			t.Errorf("%.40q: got %.60q, want %s and close", tc.req, out, tc.status)
		}
	}
}

func TestTimeouts(t *testing.T) {
	cfg := Config{HeaderTimeout: 100 * time.Millisecond, IdleTimeout: 150 * time.Millisecond, BodyTimeout: 100 * time.Millisecond}
	addr, _ := testServer(t, cfg, func(c *Context, v *Vhost) { v.HandleFunc("/", echoBody) })
	// A head that never completes gets 408.
	out := rawExchange(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 408 ") {
		t.Fatalf("slow head: %q", out)
	}
	// A body that stalls gets 408.
	out = rawExchange(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
	if !strings.HasPrefix(out, "HTTP/1.1 408 ") {
		t.Fatalf("slow body: %q", out)
	}
	// An idle keep-alive connection just closes after its response.
	start := time.Now()
	out = rawExchange(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 200 ") || strings.Contains(out, "408") || time.Since(start) > 2*time.Second {
		t.Fatalf("idle: %q after %v", out, time.Since(start))
	}
}

// streamServer serves total bytes at "/" with a Stream producer that
// writes while Writable, with a 256 KiB output cap, and records in peak
// the most output the connection held.
func streamServer(t *testing.T, total int, peak *atomic.Int64) string {
	cfg := Config{}
	cfg.Loop.MaxBuffered = 256 << 10
	addr, _ := testServer(t, cfg, func(c *Context, v *Vhost) {
		v.HandleFunc("/", func(w *Response, r *Request) {
			sent := 0
			block := bytes.Repeat([]byte("0123456789abcdef"), 256)
			w.ContentLength(int64(total))
			w.Stream(func(w *Response) bool {
				for w.Writable() && sent < total {
					w.Write(block)
					sent += len(block)
					if b := int64(r.Conn().Buffered()); b > peak.Load() {
						peak.Store(b)
					}
				}
				return sent >= total
			})
		})
	})
	return addr
}

// TestStreamSlowClient: a streamed response to a client that does not
// read stays within the output cap, and every byte arrives once it reads.
func TestStreamSlowClient(t *testing.T) {
	const total = 32 << 20
	var peak atomic.Int64
	addr := streamServer(t, total, &peak)
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(300 * time.Millisecond)
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n != total {
		t.Fatalf("read %d of %d: %v", n, total, err)
	}
	if p := peak.Load(); p > 256<<10+4096 {
		t.Fatalf("server buffered %d bytes for a slow client (cap 256 KiB)", p)
	}
}

// TestHoldAndPost: a handler answers later, from another goroutine.
func TestHoldAndPost(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", func(w *Response, r *Request) {
			w.Hold()
			path := string(r.Path())
			go func() {
				time.Sleep(10 * time.Millisecond)
				w.Post(func(w *Response, err error) {
					if err == nil {
						w.WriteString("later " + path)
						w.End()
					}
				})
			}()
		})
	})
	// Pipelined behind a held response: answered in order.
	out := rawExchange(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if i, j := strings.Index(out, "later /a"), strings.Index(out, "later /b"); i < 0 || j < i {
		t.Fatalf("got %q", out)
	}
}

type bodyCounter struct{ n int }

func (b *bodyCounter) Serve(w *Response, r *Request) { w.Hold(); b.n = 0 }
func (b *bodyCounter) OnBody(w *Response, r *Request, chunk []byte, last bool) {
	b.n += len(chunk)
	if last {
		fmt.Fprintf(w, "streamed %d", b.n)
		w.End()
	}
}

func TestBodyHandlerStreams(t *testing.T) {
	addr, _ := testServer(t, Config{MaxBodySize: 1024}, func(c *Context, v *Vhost) { v.Handle("/", &bodyCounter{}) })
	body := bytes.Repeat([]byte("z"), 3<<20) // past MaxBodySize: streaming is not bounded by it
	resp, err := testClient.Post("http://"+addr+"/", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != fmt.Sprintf("streamed %d", len(body)) {
		t.Fatalf("%q", got)
	}
}

func TestConcurrentClients(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				resp, err := testClient.Get("http://" + addr + "/")
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != "Hello, World!" {
					errs <- fmt.Errorf("body %q", b)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestVhostsAndMounts(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Shutdown(context.Background())
	a := c.Vhost("a", "a.example")
	b := c.Vhost("b", "b.example")
	a.HandleFunc("/", func(w *Response, r *Request) { w.WriteString("a:/") })
	a.HandleFunc("/api", func(w *Response, r *Request) { w.WriteString("a:/api " + r.MountPrefix()) })
	b.HandleFunc("/", func(w *Response, r *Request) { w.WriteString("b:/") })
	b.Redirect("/old", "/new", 301)
	addr, _ := c.Listen("tcp4", "127.0.0.1:0")
	for _, tc := range []struct{ host, path, want string }{
		{"a.example", "/", "a:/"},
		{"A.EXAMPLE:8080", "/api/x", "a:/api /api"},
		{"a.example", "/apix", "a:/"},
		{"b.example", "/api", "b:/"},
		{"unknown", "/", "a:/"},
	} {
		out := rawExchange(t, addr.String(), "GET "+tc.path+" HTTP/1.1\r\nHost: "+tc.host+"\r\nConnection: close\r\n\r\n")
		if !strings.HasSuffix(out, tc.want) {
			t.Errorf("%s%s: %q", tc.host, tc.path, out)
		}
	}
	out := rawExchange(t, addr.String(), "GET /old/page?q=1 HTTP/1.1\r\nHost: b.example\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 301 ") || !strings.Contains(out, "Location: /new/page?q=1\r\n") {
		t.Errorf("redirect: %q", out)
	}
}
