package tls

import (
	ctls "crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golws/golws/loop"
)

// clientProbe is the handler of a TLS client connection once its
// handshake is done: it sends one HTTP/1.1 request and collects the
// answer.
type clientProbe struct {
	loop.BaseHandler
	got  strings.Builder
	done chan string
}

func (p *clientProbe) OnData(c *loop.Conn, data []byte) { p.got.Write(data) }
func (p *clientProbe) OnClose(c *loop.Conn, err error)  { p.done <- p.got.String() }

// TestClientHandshake: the client side on the loop verifies the server
// (name and chain), sends SNI and ALPN, and then speaks through the codec;
// a wrong name fails the handshake.
func TestClientHandshake(t *testing.T) {
	certFile, keyFile, err := SelfSigned(t.TempDir(), "server.test")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := ctls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	sawSNI := make(chan string, 4)
	ln, err := ctls.Listen("tcp4", "127.0.0.1:0", &ctls.Config{
		Certificates: []ctls.Certificate{pair},
		NextProtos:   []string{"http/1.1"},
		GetConfigForClient: func(h *ctls.ClientHelloInfo) (*ctls.Config, error) {
			sawSNI <- h.ServerName
			return nil, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			io.WriteString(w, "hello over TLS")
		}),
		ErrorLog: log.New(io.Discard, "", 0), // the refused handshake below is expected
	}
	go hs.Serve(ln)
	pem, _ := os.ReadFile(certFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)

	e, err := loop.New(loop.Config{Loops: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var srv Server
	failed := make(chan error, 1)
	srv.Failed = func(c *loop.Conn, err error) { failed <- err }

	dial := func(name string) *clientProbe {
		p := &clientProbe{done: make(chan string, 1)}
		cfg := &ctls.Config{ServerName: name, RootCAs: pool, NextProtos: []string{"http/1.1"}}
		err := e.Dial("tcp4", ln.Addr().String(), &dialer{srv: &srv, cfg: cfg, probe: p})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := dial("server.test")
	select {
	case got := <-p.done:
		if !strings.HasPrefix(got, "HTTP/1.1 200 OK") || !strings.HasSuffix(got, "hello over TLS") {
			t.Fatalf("response %q", got)
		}
	case err := <-failed:
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("no response")
	}
	if sni := <-sawSNI; sni != "server.test" {
		t.Fatalf("SNI %q", sni)
	}
	dial("wrong.test")
	select {
	case err := <-failed:
		if _, ok := err.(*ctls.CertificateVerificationError); !ok {
			t.Fatalf("wrong name: %v, want a certificate verification error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a certificate for another name was accepted")
	}
}

// dialer starts TLS once the outgoing connection is up.
type dialer struct {
	loop.BaseHandler
	srv   *Server
	cfg   *ctls.Config
	probe *clientProbe
}

func (d *dialer) OnOpen(c *loop.Conn) {
	d.srv.Connect(c, d.cfg, func(c *loop.Conn, st *ctls.ConnectionState, first []byte) {
		if st.NegotiatedProtocol != "http/1.1" {
			c.Close()
			return
		}
		c.SetHandler(d.probe)
		d.probe.got.Write(first)
		c.WriteString("GET / HTTP/1.1\r\nHost: server.test\r\n\r\n")
	})
}
