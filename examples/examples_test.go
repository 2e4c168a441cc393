// Package examples runs the minimal examples against each other, as lws's
// CI does with its minimal-examples.
package examples

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golws/golws/ws"
)

func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race") // the examples' own races are caught too
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build %s: %v", pkg, err)
	}
	return out
}

func TestRawEchoClientAgainstServer(t *testing.T) {
	dir := t.TempDir()
	server := build(t, dir, "./raw-echo-server")
	client := build(t, dir, "./raw-echo-client")

	srv := exec.Command(server, "-addr", "127.0.0.1:0")
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("server said %q, %v", line, err)
	}
	for _, size := range []string{"1", "64", "100000"} {
		out, err := exec.Command(client, "-addr", addr, "-n", "500", "-size", size).CombinedOutput()
		if err != nil {
			t.Fatalf("client -size %s: %v\n%s", size, err, out)
		}
		t.Logf("%s", strings.TrimSpace(string(out)))
	}
	// SIGTERM is a graceful shutdown: the server exits 0.
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
}

// TestWSServerEcho: ws-server-echo on any path, over HTTP/1.1 and h2c
// (RFC 8441) on the one port: text, binary, a fragmented message, a ping,
// 1 MiB messages, permessage-deflate both ways, the 16 MiB bound, and a
// graceful shutdown that closes an open WebSocket with 1001.
func TestWSServerEcho(t *testing.T) {
	srv := startServer(t, build(t, t.TempDir(), "./ws-server-echo"), "-port", "0")
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i*7 + i>>9)
	}
	echoes := func(c *wsClient) {
		t.Helper()
		c.send(ws.Text, []byte("hello"))
		c.expect(ws.Text, []byte("hello"))
		c.send(ws.Binary, []byte{0, 1, 2, 0xff})
		c.expect(ws.Binary, []byte{0, 1, 2, 0xff})
		c.sendFrame(false, ws.Text, 0, []byte("frag"))
		c.send(ws.Ping, []byte("ping"))
		c.sendFrame(true, ws.Continuation, 0, []byte("ment"))
		c.expect(ws.Pong, []byte("ping"))
		c.expect(ws.Text, []byte("fragment"))
		c.send(ws.Binary, big)
		c.expect(ws.Binary, big)
	}

	t.Run("h1", func(t *testing.T) {
		c := dialWS(t, srv.addr, "/any/path?q=1", "Sec-WebSocket-Protocol: chat, lws-minimal-server-echo")
		if !strings.Contains(c.head, "Sec-WebSocket-Protocol: lws-minimal-server-echo\r\n") {
			t.Fatalf("subprotocol not chosen: %q", c.head)
		}
		echoes(c)
		c.close()
	})
	t.Run("h2c", func(t *testing.T) {
		c := dialWSH2(t, srv.addr, "/chat")
		echoes(c)
		c.close()
	})
	t.Run("deflate", func(t *testing.T) {
		c := dialWS(t, srv.addr, "/", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
		if !strings.Contains(c.head, "Sec-WebSocket-Extensions: permessage-deflate") {
			t.Fatalf("permessage-deflate not accepted: %q", c.head)
		}
		c.inflater = &ws.Inflater{}
		z, err := ws.NewDeflater(6, false)
		if err != nil {
			t.Fatal(err)
		}
		msg := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 1<<14)
		for range 2 { // our compressor keeps its context between messages
			c.sendFrame(true, ws.Text, ws.Rsv1, z.Deflate(nil, msg))
			op, p, compressed := c.read()
			if op != ws.Text || !bytes.Equal(p, msg) || !compressed {
				t.Fatalf("compressed echo: %v, %d bytes, compressed %v", op, len(p), compressed)
			}
		}
		c.send(ws.Binary, big) // uncompressed from us, compressed back
		if op, p, compressed := c.read(); op != ws.Binary || !bytes.Equal(p, big) || !compressed {
			t.Fatalf("1 MiB echo: %v, %d bytes, compressed %v", op, len(p), compressed)
		}
		c.send(ws.Text, []byte("tiny")) // too small to be worth compressing
		if op, p, compressed := c.read(); op != ws.Text || string(p) != "tiny" || compressed {
			t.Fatalf("small echo: %v %q, compressed %v", op, p, compressed)
		}
		c.close()
	})
	t.Run("16MiB", func(t *testing.T) {
		c := dialWS(t, srv.addr, "/")
		huge := bytes.Repeat([]byte{'x'}, 16<<20)
		c.send(ws.Binary, huge)
		c.expect(ws.Binary, huge)
		c.send(ws.Binary, append(huge, 'y'))
		c.expectClose(1009) // message too big
	})

	// SIGTERM with a WebSocket open: it is closed with 1001, we answer,
	// and the server exits 0.
	c := dialWS(t, srv.addr, "/")
	c.send(ws.Text, []byte("still here"))
	c.expect(ws.Text, []byte("still here"))
	srv.terminate()
	c.expectClose(1001)
	c.send(ws.Close, ws.AppendClose(nil, 1001, ""))
	c.readUntilEOF()
	srv.stop(t)
}

// TestWSServerMirror: the page, then three clients (HTTP/1.1 with and
// without the subprotocol, and h2c): what any one sends reaches all,
// until it leaves.
func TestWSServerMirror(t *testing.T) {
	srv := startServer(t, build(t, t.TempDir(), "./ws-server-mirror"), "-port", "0")
	hc := &http.Client{Timeout: ioTimeout}
	res, err := hc.Get("http://" + srv.addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!bytes.Contains(body, []byte(`new WebSocket(url, "lws-mirror-protocol")`)) {
		t.Fatalf("page: %d %q %.100q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	for path, want := range map[string]int{"/ws": 426, "/nothing": 404} {
		res, err := hc.Get("http://" + srv.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}

	a := dialWS(t, srv.addr, "/ws", "Sec-WebSocket-Protocol: lws-mirror-protocol")
	b := dialWS(t, srv.addr, "/ws")
	c := dialWSH2(t, srv.addr, "/ws", "sec-websocket-protocol", "lws-mirror-protocol")
	all := []*wsClient{a, b, c}
	for i, from := range all {
		msg := fmt.Appendf(nil, "hello from %c", 'a'+i)
		from.send(ws.Text, msg)
		for _, to := range all {
			to.expect(ws.Text, msg)
		}
	}
	b.send(ws.Binary, []byte{1, 2, 3})
	for _, to := range all {
		to.expect(ws.Binary, []byte{1, 2, 3})
	}
	// Several at once arrive whole, each client seeing its own in order.
	for i := range 20 {
		a.send(ws.Text, fmt.Appendf(nil, "a%d", i))
		c.send(ws.Text, fmt.Appendf(nil, "c%d", i))
	}
	for _, to := range all {
		next := map[byte]int{}
		for range 40 {
			op, p, _ := to.read()
			if op != ws.Text || len(p) < 2 || fmt.Sprintf("%c%d", p[0], next[p[0]]) != string(p) {
				t.Fatalf("burst: got %v %q, next a%d c%d", op, p, next['a'], next['c'])
			}
			next[p[0]]++
		}
	}
	a.close()
	c.send(ws.Text, []byte("a left"))
	b.expect(ws.Text, []byte("a left"))
	c.expect(ws.Text, []byte("a left"))
	b.close()
	c.close()
	srv.stop(t)
}

// TestWSServerDumbIncrement: the counter comes unasked, one number at a
// time and paced, over HTTP/1.1 and h2c; "reset\n" starts it again.
func TestWSServerDumbIncrement(t *testing.T) {
	srv := startServer(t, build(t, t.TempDir(), "./ws-server-dumb-increment"), "-port", "0")
	number := func(c *wsClient) int {
		t.Helper()
		op, p, _ := c.read()
		n, err := strconv.Atoi(string(p))
		if op != ws.Text || err != nil {
			t.Fatalf("got %v %q, want a number", op, p)
		}
		return n
	}
	count := func(c *wsClient) {
		t.Helper()
		start := time.Now()
		for want := range 6 {
			if n := number(c); n != want {
				t.Fatalf("got %d, want %d", n, want)
			}
		}
		// Six numbers are five intervals of 50 ms after the first.
		if el := time.Since(start); el < 200*time.Millisecond {
			t.Fatalf("6 numbers in %v: not paced", el)
		}
		// "reset" without the newline is just a message.
		c.send(ws.Text, []byte("reset"))
		for want := 6; want < 9; want++ {
			if n := number(c); n != want {
				t.Fatalf("after \"reset\": got %d, want %d", n, want)
			}
		}
		// After "reset\n", a number or two may still be on the way.
		c.send(ws.Text, []byte("reset\n"))
		last := 8
		for {
			n := number(c)
			if n == 0 {
				break
			}
			if n != last+1 || n > 12 {
				t.Fatalf("after reset: %d after %d", n, last)
			}
			last = n
		}
		for want := 1; want < 4; want++ {
			if n := number(c); n != want {
				t.Fatalf("after reset: got %d, want %d", n, want)
			}
		}
	}
	t.Run("h1", func(t *testing.T) {
		c := dialWS(t, srv.addr, "/", "Sec-WebSocket-Protocol: dumb-increment-protocol")
		if !strings.Contains(c.head, "Sec-WebSocket-Protocol: dumb-increment-protocol\r\n") {
			t.Fatalf("handshake answer %q", c.head)
		}
		count(c)
		// Closing: numbers may cross our Close frame, then its echo.
		c.send(ws.Close, ws.AppendClose(nil, 1000, ""))
		for {
			if op, p, _ := c.read(); op == ws.Close {
				if binary.BigEndian.Uint16(p) != 1000 {
					t.Fatalf("close answer %x", p)
				}
				break
			}
		}
		c.readUntilEOF()
	})
	t.Run("h2c", func(t *testing.T) {
		count(dialWSH2(t, srv.addr, "/increment", "sec-websocket-protocol", "dumb-increment-protocol"))
	})
	srv.stop(t)
}
