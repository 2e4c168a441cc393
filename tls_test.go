package golws

import (
	ctls "crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golws/golws/tls"
)

// tlsServer starts a context with one vhost with a self-signed
// certificate for localhost, serving over TLS; it returns the address and
// a pool trusting the certificate.
func tlsServer(t testing.TB, cfg Config, setup func(c *Context, v *Vhost)) (string, *x509.CertPool, *Context) {
	t.Helper()
	certFile, keyFile, err := tls.SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	addr, c := testServer(t, cfg, func(c *Context, v *Vhost) {
		if err := v.TLS(certFile, keyFile, TLSOptions{}); err != nil {
			t.Fatal(err)
		}
		setup(c, v)
	})
	_ = addr
	a, err := c.ListenTLS("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pem, _ := os.ReadFile(certFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return a.String(), pool, c
}

// TestTLSBasic: HTTPS with Go's client, HTTP/1.1 and HTTP/2 by ALPN,
// small and large bodies both ways.
func TestTLSBasic(t *testing.T) {
	root, big := staticTree(t)
	addr, pool, _ := tlsServer(t, Config{MaxBodySize: 16 << 20}, func(c *Context, v *Vhost) {
		v.HandleFunc("/hello", hello)
		v.HandleFunc("/echo", echoBody)
		v.ServeDir("/files", root, DirOptions{SmallFile: -1})
	})
	for _, proto := range []string{"http/1.1", "h2"} {
		t.Run(proto, func(t *testing.T) {
			tr := &http.Transport{TLSClientConfig: &ctls.Config{RootCAs: pool, ServerName: "localhost", NextProtos: []string{proto}}}
			if proto == "h2" {
				tr.ForceAttemptHTTP2 = true
			} else {
				tr.TLSNextProto = map[string]func(string, *ctls.Conn) http.RoundTripper{}
			}
			cl := &http.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			for i := 0; i < 3; i++ {
				resp, err := cl.Get("https://" + addr + "/hello")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				wantMajor := map[string]int{"h2": 2, "http/1.1": 1}[proto]
				if string(body) != "Hello, World!" || resp.ProtoMajor != wantMajor || resp.TLS == nil {
					t.Fatalf("%s: %q over %s", proto, body, resp.Proto)
				}
			}
			resp, err := cl.Get("https://" + addr + "/files/big.bin")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != string(big) {
				t.Fatalf("big.bin: %d bytes, want %d", len(body), len(big))
			}
			payload := strings.Repeat("tls-body-", 200000)
			resp, err = cl.Post("https://"+addr+"/echo", "application/octet-stream", strings.NewReader(payload))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.HasPrefix(string(body), "1800000 ") {
				t.Fatalf("echo: %q", body)
			}
		})
	}
}

// TestTLSRedirectAndHSTS: a vhost that redirects plaintext to HTTPS does
// so with the same path and query; over TLS it answers with HSTS.
func TestTLSRedirectAndHSTS(t *testing.T) {
	var plain string
	addr, pool, _ := tlsServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", hello)
		v.RedirectToHTTPS(8443)
		v.HSTS(365*24*time.Hour, true)
		a, err := c.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		plain = a.String()
	})
	out := rawExchange(t, plain, "GET /a/b?c=1 HTTP/1.1\r\nHost: example.com:8080\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 301 ") || !strings.Contains(out, "Location: https://example.com:8443/a/b?c=1\r\n") ||
		strings.Contains(out, "Strict-Transport-Security") {
		t.Fatalf("plaintext: %q", out)
	}
	cl := &http.Client{Transport: &http.Transport{TLSClientConfig: &ctls.Config{RootCAs: pool, ServerName: "localhost"}, ForceAttemptHTTP2: true}}
	for i := 0; i < 2; i++ {
		resp, err := cl.Get("https://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" || resp.StatusCode != 200 {
			t.Fatalf("over TLS: %d, HSTS %q", resp.StatusCode, got)
		}
	}
}
