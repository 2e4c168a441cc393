package golws

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golws/golws/h1"
)

// testClient is the client the end-to-end handler tests use; the HTTP/2
// run below swaps in one that speaks h2c with prior knowledge, so that the
// same tests cover both protocols.
var (
	testClient     = newTestClient(false)
	testProtoMajor = 1
)

func newTestClient(h2c bool) *http.Client {
	tr := &http.Transport{}
	if h2c {
		var p http.Protocols
		p.SetUnencryptedHTTP2(true)
		tr.Protocols = &p
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// TestHandlersOverH2 runs the HTTP/1.1 end-to-end handler tests again
// with Go's HTTP/2 client: the same handlers, mounts and static files
// serve both protocols unchanged.
func TestHandlersOverH2(t *testing.T) {
	saved, savedMajor := testClient, testProtoMajor
	testClient, testProtoMajor = newTestClient(true), 2
	defer func() { testClient, testProtoMajor = saved, savedMajor }()
	for _, tc := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"PostBodies", TestPostBodies},
		{"BodyHandlerStreams", TestBodyHandlerStreams},
		{"ConcurrentClients", TestConcurrentClients},
		{"StaticFiles", TestStaticFiles},
		{"StaticMountPrefix", TestStaticMountPrefix},
		{"ListingAndErrorPages", TestListingAndErrorPages},
	} {
		t.Run(tc.name, tc.run)
	}
}

// TestH2VhostsAndLog: :authority picks the vhost, the access log says
// HTTP/2.0, a held response is answered later from another goroutine.
func TestH2VhostsAndLog(t *testing.T) {
	var buf syncBuffer
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	a := c.Vhost("a", "a.example")
	b := c.Vhost("b", "b.example")
	a.HandleFunc("/", func(w *Response, r *Request) { w.WriteString("a " + r.Proto()) })
	b.HandleFunc("/", func(w *Response, r *Request) {
		w.Hold()
		go func() {
			time.Sleep(5 * time.Millisecond)
			w.Post(func(w *Response, err error) {
				if err == nil {
					w.WriteString("b later")
					w.End()
				}
			})
		}()
	})
	b.AccessLog(&buf)
	addr, err := c.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := newTestClient(true)
	for host, want := range map[string]string{"a.example": "a HTTP/2.0", "b.example:99": "b later"} {
		req, _ := http.NewRequest("GET", "http://"+addr.String()+"/x?y=1", nil)
		req.Host = host
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.ProtoMajor != 2 || string(body) != want {
			t.Fatalf("%s: %s %q, want %q", host, resp.Proto, body, want)
		}
	}
	c.Shutdown(t.Context())
	if line := buf.String(); !strings.Contains(line, `"GET /x?y=1 HTTP/2.0" 200 7 "-" "Go-http-client/2.0"`) {
		t.Fatalf("log line: %q", line)
	}
}

// TestH2CUpgrade: "Upgrade: h2c" on the plaintext port answers 101, then
// the request as stream 1, and the connection goes on in HTTP/2.
func TestH2CUpgrade(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	// HTTP2-Settings: one setting, SETTINGS_MAX_CONCURRENT_STREAMS = 100.
	fmt.Fprintf(conn, "GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n")
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 101 ") {
		t.Fatalf("status %q %v", status, err)
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	// The client preface, then read frames until stream 1's DATA.
	io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
	for {
		var hdr [9]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			t.Fatal(err)
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			t.Fatal(err)
		}
		if hdr[3] == 0 && hdr[8] == 1 { // DATA on stream 1
			if string(payload) != "Hello, World!" {
				t.Fatalf("stream 1 body %q", payload)
			}
			return
		}
	}
}

// readFrames reads frames from conn until one of type typ arrives (or
// the connection ends), returning its payload and whether it came.
func readFrameType(t *testing.T, br *bufio.Reader, typ byte) ([]byte, bool) {
	t.Helper()
	for {
		var hdr [9]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return nil, false
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			return nil, false
		}
		if hdr[3] == typ {
			return payload, true
		}
	}
}

// TestH2Timeouts: a client that never acknowledges the server's SETTINGS
// gets GOAWAY SETTINGS_TIMEOUT; one that gives a zero window and so
// stalls a response is cut off after BodyTimeout; an idle connection is
// closed with GOAWAY NO_ERROR after IdleTimeout.
func TestH2Timeouts(t *testing.T) {
	cfg := Config{HeaderTimeout: 200 * time.Millisecond, BodyTimeout: 300 * time.Millisecond, IdleTimeout: 400 * time.Millisecond}
	addr, _ := testServer(t, cfg, func(c *Context, v *Vhost) { v.HandleFunc("/", hello) })
	dial := func(ack bool, settings string) (net.Conn, *bufio.Reader) {
		conn, err := net.Dial("tcp4", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"+settings)
		if ack {
			io.WriteString(conn, "\x00\x00\x00\x04\x01\x00\x00\x00\x00")
		}
		return conn, bufio.NewReader(conn)
	}
	goAwayCode := func(p []byte) int { return int(p[4])<<24 | int(p[5])<<16 | int(p[6])<<8 | int(p[7]) }

	start := time.Now()
	_, br := dial(false, "\x00\x00\x00\x04\x00\x00\x00\x00\x00")
	if p, ok := readFrameType(t, br, 7); !ok || goAwayCode(p) != 4 {
		t.Fatalf("no GOAWAY SETTINGS_TIMEOUT: %v %x", ok, p)
	}
	t.Logf("settings ack timeout after %v", time.Since(start))

	// SETTINGS_INITIAL_WINDOW_SIZE = 0, then a GET: the body cannot leave.
	start = time.Now()
	conn, br := dial(true, "\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00")
	conn.Write([]byte{0, 0, 5, 1, 5, 0, 0, 0, 1, 0x82, 0x86, 0x84, 0x01, 0x00})
	if p, ok := readFrameType(t, br, 7); !ok || goAwayCode(p) != 8 {
		t.Fatalf("stalled stream: no GOAWAY CANCEL: %v %x", ok, p)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("stall cut off after %v, before BodyTimeout", d)
	}

	start = time.Now()
	_, br = dial(true, "\x00\x00\x00\x04\x00\x00\x00\x00\x00")
	if p, ok := readFrameType(t, br, 7); !ok || goAwayCode(p) != 0 {
		t.Fatalf("idle: no GOAWAY NO_ERROR: %v %x", ok, p)
	}
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Fatalf("idle connection closed after %v, before IdleTimeout", d)
	}
}

// TestH2StreamSlowClient: a streamed response over HTTP/2 to a client
// that does not read stays within the output cap plus the stream's queue,
// whatever the flow-control windows allow, and every byte arrives.
func TestH2StreamSlowClient(t *testing.T) {
	const total = 32 << 20
	var peak atomic.Int64
	addr := streamServer(t, total, &peak)
	// A raw client: windows as large as they go, a GET, then no reading
	// for a while.
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"+
		"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x04\x7f\xff\xff\xff"+ // SETTINGS_INITIAL_WINDOW_SIZE 2^31-1
		"\x00\x00\x04\x08\x00\x00\x00\x00\x00\x7f\xff\x00\x00"+ // connection window + ~2^31
		"\x00\x00\x00\x04\x01\x00\x00\x00\x00")
	conn.Write([]byte{0, 0, 5, 1, 5, 0, 0, 0, 1, 0x82, 0x86, 0x84, 0x01, 0x00})
	time.Sleep(300 * time.Millisecond)
	br := bufio.NewReaderSize(conn, 64<<10)
	n := 0
	for n < total {
		var hdr [9]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			t.Fatalf("after %d of %d octets: %v", n, total, err)
		}
		size := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		if _, err := br.Discard(size); err != nil {
			t.Fatal(err)
		}
		if hdr[3] == 0 {
			n += size
		}
	}
	if p := peak.Load(); p > 256<<10+spillSize+4096 {
		t.Fatalf("server buffered %d bytes for a slow client (cap 256 KiB)", p)
	}
	t.Logf("peak output buffered: %d bytes", peak.Load())
}

// TestH2GracefulShutdown: Shutdown sends GOAWAY on an HTTP/2 connection,
// lets the stream in flight finish, then closes.
func TestH2GracefulShutdown(t *testing.T) {
	release := make(chan struct{})
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c.Vhost("x").HandleFunc("/", func(w *Response, r *Request) {
		w.Hold()
		go func() {
			<-release
			w.Post(func(w *Response, err error) {
				if err == nil {
					w.WriteString("finished")
					w.End()
				}
			})
		}()
	})
	addr, err := c.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp4", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x04\x01\x00\x00\x00\x00")
	conn.Write([]byte{0, 0, 5, 1, 5, 0, 0, 0, 1, 0x82, 0x86, 0x84, 0x01, 0x00})
	time.Sleep(50 * time.Millisecond)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- c.Shutdown(ctx)
	}()
	br := bufio.NewReader(conn)
	p, ok := readFrameType(t, br, 7)
	if !ok || p[3] != 1 || p[7] != 0 {
		t.Fatalf("want GOAWAY(last stream 1, NO_ERROR), got %v %x", ok, p)
	}
	close(release)
	if body, ok := readFrameType(t, br, 0); !ok || string(body) != "finished" {
		t.Fatalf("stream 1 after GOAWAY: %v %q", ok, body)
	}
	// The server ends its side (EOF here), then waits for ours.
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Fatalf("want EOF after the last stream, got %v", err)
	}
	conn.Close()
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// TestH2CookieCrumbs: cookie fields split per crumb (RFC 9113 §8.2.3)
// reach the handler as one Cookie header.
func TestH2CookieCrumbs(t *testing.T) {
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", func(w *Response, r *Request) { w.Write(r.Header(h1.HeaderCookie)) })
	})
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x04\x01\x00\x00\x00\x00")
	// :method GET, :scheme http, :path /, :authority "", then three
	// cookie fields as literals without indexing (static name index 32).
	block := []byte{0x82, 0x86, 0x84, 0x01, 0x00}
	for _, crumb := range []string{"a=1", "b=2", "c=3"} {
		block = append(block, 0x0f, 0x11, byte(len(crumb)))
		block = append(block, crumb...)
	}
	conn.Write(append([]byte{0, 0, byte(len(block)), 1, 5, 0, 0, 0, 1}, block...))
	body, ok := readFrameType(t, bufio.NewReader(conn), 0)
	if !ok || string(body) != "a=1; b=2; c=3" {
		t.Fatalf("cookie seen by the handler: %v %q", ok, body)
	}
}
