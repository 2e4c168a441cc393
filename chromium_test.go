//go:build unix

package golws

import (
	"bytes"
	"crypto/sha256"
	ctls "crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golws/golws/h1"
)

// chromiumPage opens a WebSocket to /ws on the page's own origin (ws:// or
// wss:// as the page was loaded), exchanges a text, a binary and a 64 KiB
// text message with the echo, closes it, and POSTs the outcome to
// /result (and writes it into the DOM).
const chromiumPage = `<!doctype html>
<html><head><title>golws chromium</title></head><body><pre id="out">running</pre>
<script>
(function () {
  var done = false;
  function report(r) {
    if (done) return;
    done = true;
    var s = JSON.stringify(r);
    document.getElementById('out').textContent = s;
    fetch('/result', {method: 'POST', body: s}).catch(function () {});
  }
  setTimeout(function () { report({ok: false, error: 'page timeout', log: log}); }, 15000);
  var log = [];
  var big = '';
  for (var i = 0; big.length < 65536; i++) big += 'golws line ' + i + '\n';
  big = big.slice(0, 65536);
  var bin = new Uint8Array(256);
  for (var i = 0; i < bin.length; i++) bin[i] = (i * 7) & 255;
  var msgs = [['text', 'hello golws \u00e9\u4e16'], ['binary', bin], ['text', big]];
  var n = 0;
  var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws', ['lws-echo']);
  ws.binaryType = 'arraybuffer';
  ws.onopen = function () { log.push('open'); ws.send(msgs[0][1]); };
  ws.onmessage = function (ev) {
    var want = msgs[n], ok;
    if (want[0] === 'text') {
      ok = typeof ev.data === 'string' && ev.data === want[1];
    } else {
      var got = ev.data instanceof ArrayBuffer ? new Uint8Array(ev.data) : null;
      ok = got !== null && got.length === want[1].length && got.every(function (b, i) { return b === want[1][i]; });
    }
    log.push('msg ' + n + ' ' + want[0] + ' ' + (typeof ev.data === 'string' ? ev.data.length : ev.data.byteLength) + (ok ? ' ok' : ' MISMATCH'));
    if (!ok) { report({ok: false, error: 'echo mismatch on message ' + n, log: log}); ws.close(); return; }
    n++;
    if (n < msgs.length) ws.send(msgs[n][1]); else ws.close(1000, 'done');
  };
  ws.onerror = function () { log.push('error'); };
  ws.onclose = function (ev) {
    log.push('close ' + ev.code);
    report({ok: n === msgs.length && ev.code === 1000, echoed: n, code: ev.code, wasClean: ev.wasClean,
      protocol: ws.protocol, extensions: ws.extensions, log: log});
  };
})();
</script></body></html>
`

// chromiumResult is what the page reports.
type chromiumResult struct {
	OK         bool     `json:"ok"`
	Error      string   `json:"error"`
	Echoed     int      `json:"echoed"`
	Code       int      `json:"code"`
	WasClean   bool     `json:"wasClean"`
	Protocol   string   `json:"protocol"`
	Extensions string   `json:"extensions"`
	Log        []string `json:"log"`
}

// chromiumOpen is the server's view of one WebSocket (or page request).
type chromiumOpen struct {
	Proto      string // r.Proto(): "HTTP/1.1" or "HTTP/2.0"
	TLS        bool   // r.TLSState() != nil
	ALPN       string // r.TLSState().NegotiatedProtocol
	Subproto   string // s.Protocol()
	Extensions string // the client's Sec-WebSocket-Extensions offer
	Remote     string // the connection's remote address
}

func chromiumOpenOf(r *Request) chromiumOpen {
	o := chromiumOpen{Proto: r.Proto(), Remote: r.RemoteAddr().String()}
	if st := r.TLSState(); st != nil {
		o.TLS, o.ALPN = true, st.NegotiatedProtocol
	}
	return o
}

// chromiumEcho is the lws-echo protocol, recording what the server saw.
type chromiumEcho struct {
	mu     sync.Mutex
	opens  []chromiumOpen
	msgs   []string // "text N" / "binary N"
	closes []uint16
	closed chan struct{}
}

func (e *chromiumEcho) OnOpen(s *WebSocket, r *Request) {
	o := chromiumOpenOf(r)
	o.Subproto = s.Protocol()
	o.Extensions = string(r.Header(h1.HeaderSecWebSocketExtensions))
	e.mu.Lock()
	e.opens = append(e.opens, o)
	e.mu.Unlock()
}

func (e *chromiumEcho) OnMessage(s *WebSocket, text bool, data []byte, final bool) {
	kind := "binary"
	if text {
		kind = "text"
		s.WriteText(data)
	} else {
		s.WriteBinary(data)
	}
	e.mu.Lock()
	e.msgs = append(e.msgs, fmt.Sprintf("%s %d", kind, len(data)))
	e.mu.Unlock()
}

func (e *chromiumEcho) OnClose(s *WebSocket, code uint16, reason []byte) {
	e.mu.Lock()
	e.closes = append(e.closes, code)
	e.mu.Unlock()
	select {
	case e.closed <- struct{}{}:
	default:
	}
}

// chromiumSite is the test page, the echo and the result sink on one vhost.
type chromiumSite struct {
	echo    *chromiumEcho
	results chan chromiumResult
	mu      sync.Mutex
	pages   []chromiumOpen
}

func newChromiumSite() *chromiumSite {
	return &chromiumSite{
		echo:    &chromiumEcho{closed: make(chan struct{}, 4)},
		results: make(chan chromiumResult, 4),
	}
}

func (cs *chromiumSite) setup(c *Context, v *Vhost) {
	v.HandleFunc("/page", func(w *Response, r *Request) {
		cs.mu.Lock()
		cs.pages = append(cs.pages, chromiumOpenOf(r))
		cs.mu.Unlock()
		w.ContentType("text/html; charset=utf-8")
		w.WriteString(chromiumPage)
	})
	v.HandleFunc("/result", func(w *Response, r *Request) {
		var res chromiumResult
		if err := json.Unmarshal(r.Body(), &res); err != nil {
			res = chromiumResult{Error: fmt.Sprintf("bad result %q: %v", r.Body(), err)}
		}
		select {
		case cs.results <- res:
		default:
		}
		w.ContentType("text/plain")
		w.WriteString("ok")
	})
	v.WebSocket("/ws", WSOptions{Compression: true}, Protocol("lws-echo", cs.echo))
}

// spkiHash is the base64 SHA-256 of the server certificate's
// SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list.
func spkiHash(t *testing.T, addr string) string {
	t.Helper()
	d := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := ctls.DialWithDialer(d, "tcp4", addr, &ctls.Config{InsecureSkipVerify: true, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sum := sha256.Sum256(conn.ConnectionState().PeerCertificates[0].RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// chromiumVisit runs headless Chromium on url until the page reports (or
// the timeout), then kills it (its whole process group) and returns the
// page's result. The page reports by POSTing to the server rather than
// through --dump-dom: with --virtual-time-budget, virtual time runs out
// without waiting for WebSocket I/O and the DOM is dumped unfinished.
func chromiumVisit(t *testing.T, chromium, url string, results chan chromiumResult, extra ...string) chromiumResult {
	t.Helper()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check",
		"--user-data-dir=" + t.TempDir(),
	}
	args = append(args, extra...)
	args = append(args, url)
	cmd := exec.Command(chromium, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, so that the browser and its children (zygote,
	// renderer, network service) are killed together by the browser's id.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Errorf("chromium (pid %d) did not exit after SIGKILL", cmd.Process.Pid)
		}
	}
	var res chromiumResult
	select {
	case res = <-results:
		stop()
	case err := <-exited:
		t.Fatalf("chromium exited before the page reported: %v\n%s", err, out.String())
	case <-time.After(45 * time.Second):
		stop()
		t.Fatalf("no result from the page within 45s\n%s", out.String())
	}
	if !res.OK {
		t.Errorf("page: %+v\nchromium output:\n%s", res, out.String())
	}
	return res
}

// TestChromium: a real browser's WebSocket against the lws-echo protocol,
// over ws:// (HTTP/1.1), wss:// over HTTP/1.1-only TLS (an HTTP/1.1
// upgrade inside TLS), and wss:// from a page loaded over h2, where
// Chromium uses RFC 8441 (extended CONNECT on an h2 stream) since the
// server advertises SETTINGS_ENABLE_CONNECT_PROTOCOL. Each is checked from
// the server too: the upgrade request's protocol, TLS and ALPN.
func TestChromium(t *testing.T) {
	chromium := peer(t, "chromium")
	if v, err := exec.Command(chromium, "--version").Output(); err == nil {
		t.Logf("%s", strings.TrimSpace(string(v)))
	}
	cases := []struct {
		name      string
		tls, h2   bool
		wantProto string
		wantALPN  string
	}{
		{"ws-http1", false, false, "HTTP/1.1", ""},
		{"wss-http1", true, false, "HTTP/1.1", "http/1.1"},
		{"wss-h2", true, true, "HTTP/2.0", "h2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := newChromiumSite()
			var url string
			var extra []string
			if !tc.tls {
				addr, _ := testServer(t, Config{}, cs.setup)
				url = "http://" + addr + "/page"
			} else {
				addr, _, _ := tlsServer(t, Config{DisableHTTP2: !tc.h2}, cs.setup)
				url = "https://" + addr + "/page"
				extra = append(extra, "--ignore-certificate-errors-spki-list="+spkiHash(t, addr))
			}
			res := chromiumVisit(t, chromium, url, cs.results, extra...)
			t.Logf("page: echoed=%d code=%d protocol=%q extensions=%q log=%v", res.Echoed, res.Code, res.Protocol, res.Extensions, res.Log)
			if res.Protocol != "lws-echo" {
				t.Errorf("client's negotiated subprotocol %q, want lws-echo", res.Protocol)
			}
			if !strings.HasPrefix(res.Extensions, "permessage-deflate") {
				t.Errorf("client's negotiated extensions %q, want permessage-deflate", res.Extensions)
			}

			// The server's view. OnClose may trail the page's report.
			select {
			case <-cs.echo.closed:
			case <-time.After(5 * time.Second):
				t.Error("server saw no close within 5s")
			}
			cs.mu.Lock()
			pages := append([]chromiumOpen(nil), cs.pages...)
			cs.mu.Unlock()
			e := cs.echo
			e.mu.Lock()
			defer e.mu.Unlock()
			t.Logf("server: pages=%+v opens=%+v msgs=%v closes=%v", pages, e.opens, e.msgs, e.closes)
			if len(pages) == 0 || pages[0].Proto != tc.wantProto || pages[0].TLS != tc.tls || pages[0].ALPN != tc.wantALPN {
				t.Errorf("page requests %+v, want proto %s tls %v alpn %q", pages, tc.wantProto, tc.tls, tc.wantALPN)
			}
			if len(e.opens) != 1 {
				t.Fatalf("server saw %d WebSockets, want 1: %+v", len(e.opens), e.opens)
			}
			o := e.opens[0]
			if o.Proto != tc.wantProto || o.TLS != tc.tls || o.ALPN != tc.wantALPN {
				t.Errorf("WebSocket request: proto %s tls %v alpn %q, want proto %s tls %v alpn %q",
					o.Proto, o.TLS, o.ALPN, tc.wantProto, tc.tls, tc.wantALPN)
			}
			// RFC 8441: the WebSocket is a stream of the page's h2
			// connection; over HTTP/1.1 it has a connection of its own.
			if tc.h2 && (len(pages) == 0 || o.Remote != pages[0].Remote) {
				t.Errorf("h2 WebSocket came from %s, not the page's connection %+v", o.Remote, pages)
			}
			if o.Subproto != "lws-echo" || !strings.Contains(o.Extensions, "permessage-deflate") {
				t.Errorf("WebSocket: subprotocol %q, offered extensions %q", o.Subproto, o.Extensions)
			}
			if want := []string{"text 17", "binary 256", "text 65536"}; fmt.Sprint(e.msgs) != fmt.Sprint(want) {
				t.Errorf("server received %v, want %v", e.msgs, want)
			}
			if len(e.closes) != 1 || e.closes[0] != 1000 {
				t.Errorf("server close codes %v, want [1000]", e.closes)
			}
		})
	}
}
