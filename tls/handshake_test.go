package tls

import (
	ctls "crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// A real handshake: a crypto/tls server on 127.0.0.1 serving the
// self-signed certificate through CertFiles, and a client that trusts only
// cert.pem.
func TestHandshakeSelfSigned(t *testing.T) {
	cf, kf, err := SelfSigned(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files, err := LoadCertFiles(cf, kf)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := ctls.Listen("tcp", "127.0.0.1:0", &ctls.Config{
		GetCertificate: func(*ctls.ClientHelloInfo) (*ctls.Certificate, error) {
			return files.Certificate(), nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				if err := c.(*ctls.Conn).Handshake(); err != nil {
					return
				}
				io.WriteString(c, "hello")
			}()
		}
	}()

	pemBytes, err := os.ReadFile(cf)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("cert.pem not accepted into a pool")
	}
	dial := func(serverName string) (string, error) {
		d := &net.Dialer{Timeout: 10 * time.Second}
		c, err := ctls.DialWithDialer(d, "tcp", ln.Addr().String(), &ctls.Config{RootCAs: pool, ServerName: serverName})
		if err != nil {
			return "", err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		st := c.ConnectionState()
		if len(st.VerifiedChains) == 0 {
			return "", errors.New("no verified chain")
		}
		if !st.PeerCertificates[0].Equal(files.Certificate().Leaf) {
			return "", errors.New("unexpected peer certificate")
		}
		b, err := io.ReadAll(c)
		return string(b), err
	}
	for _, name := range []string{"localhost", "127.0.0.1"} {
		got, err := dial(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != "hello" {
			t.Fatalf("%s: read %q", name, got)
		}
	}
	// A name the certificate does not cover fails verification.
	_, err = dial("example.com")
	var herr x509.HostnameError
	if !errors.As(err, &herr) {
		t.Fatalf("example.com: err = %v, want a HostnameError", err)
	}
	// Without cert.pem in the pool the client does not trust it.
	c, err := ctls.Dial("tcp", ln.Addr().String(), &ctls.Config{ServerName: "localhost", RootCAs: x509.NewCertPool()})
	if err == nil {
		c.Close()
		t.Fatal("untrusted certificate accepted")
	}
}
