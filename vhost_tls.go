package golws

import (
	"bytes"
	ctls "crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/golws/golws/tls"
)

// TLSOptions configure a vhost's TLS beyond its certificate.
type TLSOptions struct {
	// ClientCAFile, if set, is a PEM bundle of the CAs that sign client
	// certificates (mTLS): a client certificate is then verified when
	// sent, and required if RequireClientCert.
	ClientCAFile      string
	RequireClientCert bool
	// MinVersion is the lowest TLS version accepted (default TLS 1.2).
	MinVersion uint16
	// DisableResumption turns off session tickets: every connection
	// does a full handshake. Resumption is on by default (crypto/tls
	// rotates the ticket keys).
	DisableResumption bool
}

// vhostTLS is a vhost's certificate and the crypto/tls configuration
// served for its names.
type vhostTLS struct {
	certs *tls.CertFiles
	cfg   *ctls.Config
}

// TLS gives the vhost a certificate and key from PEM files, for the
// context's TLS listeners: SNI picks the vhost whose names (its hosts, or
// else the certificate's) match, and the first vhost with a certificate
// serves clients that send an unknown name or none. The files are read
// again when they change (Context.ReloadCertificates, which cmd/golws
// runs on SIGHUP and every few seconds), without a restart.
func (v *Vhost) TLS(certFile, keyFile string, opt TLSOptions) error {
	certs, err := tls.LoadCertFiles(certFile, keyFile)
	if err != nil {
		return err
	}
	cfg := &ctls.Config{
		MinVersion: ctls.VersionTLS12,
		NextProtos: []string{"h2", "http/1.1"},
		GetCertificate: func(*ctls.ClientHelloInfo) (*ctls.Certificate, error) {
			return certs.Certificate(), nil
		},
		// Few large records: a response is encoded in one go per callback.
		DynamicRecordSizingDisabled: true,
	}
	if opt.MinVersion != 0 {
		cfg.MinVersion = opt.MinVersion
	}
	cfg.SessionTicketsDisabled = opt.DisableResumption
	if v.ctx.cfg.DisableHTTP2 {
		cfg.NextProtos = []string{"http/1.1"}
	}
	if opt.ClientCAFile != "" {
		pem, err := os.ReadFile(opt.ClientCAFile)
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("golws: no certificate in %s", opt.ClientCAFile)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = ctls.VerifyClientCertIfGiven
		if opt.RequireClientCert {
			cfg.ClientAuth = ctls.RequireAndVerifyClientCert
		}
	}
	v.ctx.mu.Lock()
	v.tls = &vhostTLS{certs: certs, cfg: cfg}
	v.ctx.mu.Unlock()
	return nil
}

// tlsFor picks the vhost configuration for a ClientHello's server name.
func (c *Context) tlsFor(name string) *vhostTLS {
	c.mu.Lock()
	defer c.mu.Unlock()
	var def *vhostTLS
	for _, v := range c.vhosts {
		t := v.tls
		if t == nil {
			continue
		}
		if def == nil {
			def = t
		}
		if name == "" {
			continue
		}
		for _, h := range v.hosts {
			if tls.ServerNameMatch(h, name) {
				return t
			}
		}
		if len(v.hosts) == 0 {
			for _, n := range t.certs.Names() {
				if tls.ServerNameMatch(n, name) {
					return t
				}
			}
		}
	}
	return def
}

// ReloadCertificates reads again every vhost certificate whose files
// changed; connections in progress keep theirs, new handshakes get the
// new one. A file that fails to load keeps the old pair (the error says
// which).
func (c *Context) ReloadCertificates() error {
	c.mu.Lock()
	vhs := append([]*Vhost(nil), c.vhosts...)
	c.mu.Unlock()
	var errs []error
	for _, v := range vhs {
		if v.tls == nil {
			continue
		}
		if changed, err := v.tls.certs.ReloadIfChanged(); err != nil {
			errs = append(errs, fmt.Errorf("vhost %s: %w", v.name, err))
		} else if changed {
			c.cfg.Logger.Info("golws: certificate reloaded", "vhost", v.name)
		}
	}
	return errors.Join(errs...)
}

// RedirectToHTTPS answers every plaintext request to this vhost with a
// permanent redirect to the same URL over HTTPS on port (443 is left out
// of the URL): lws's REDIRECT_HTTP_TO_HTTPS.
func (v *Vhost) RedirectToHTTPS(port int) { v.httpsPort = port }

// HSTS adds Strict-Transport-Security to every response this vhost sends
// over TLS, telling browsers to use HTTPS only for maxAge.
func (v *Vhost) HSTS(maxAge time.Duration, includeSubdomains bool) {
	v.hsts = "max-age=" + strconv.FormatInt(int64(maxAge/time.Second), 10)
	if includeSubdomains {
		v.hsts += "; includeSubDomains"
	}
}

// httpsRedirect sends a plaintext request to its HTTPS URL.
type httpsRedirect struct{}

func (httpsRedirect) Serve(w *Response, r *Request) {
	host := hostOnly(r.Host())
	loc := make([]byte, 0, 16+len(host)+len(r.head.Target))
	loc = append(loc, "https://"...)
	if bytes.IndexByte(host, ':') >= 0 { // an IPv6 literal
		loc = append(append(append(loc, '['), host...), ']')
	} else {
		loc = append(loc, host...)
	}
	if p := r.vhost.httpsPort; p != 443 {
		loc = strconv.AppendInt(append(loc, ':'), int64(p), 10)
	}
	if len(r.head.Target) > 0 && r.head.Target[0] == '/' {
		loc = append(loc, r.head.Target...)
	} else {
		loc = append(loc, r.head.Path...)
		if r.head.Query != nil {
			loc = append(append(loc, '?'), r.head.Query...)
		}
	}
	w.Status(301)
	w.HeaderBytes("Location", loc)
}
