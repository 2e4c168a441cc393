//go:build linux

package main

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	gtls "github.com/golws/golws/tls"
)

// fixtures is the run's temporary directory: the files every server
// serves, the generated nginx and h2o configurations, the wrk script and
// h2load's request log. It is removed when the run ends.
type fixtures struct {
	root     string
	filesDir string // served under /files/
	small    []byte // files/4k.bin
	big      []byte // files/1m.bin
	wrkLua   string // the pipelining script
	h2Log    string // h2load --log-file
	// cert is the TLS certificate of -proto https, made by makeCert;
	// nil before.
	cert *certFiles
}

// certFiles is the one certificate every server presents under -proto
// https: golws's tls.SelfSigned, an ECDSA P-256 key and a self-signed
// certificate for localhost, 127.0.0.1 and ::1, as PEM files.
type certFiles struct {
	certFile, keyFile string
	leaf              []byte         // the certificate, DER: what every server must present
	pool              *x509.CertPool // trusts it, for the preflight's clients
}

// makeCert writes the certificate and key under the fixture directory
// (in a 0700 directory; nginx's master and h2o read them as root before
// their workers drop privileges).
func (f *fixtures) makeCert() error {
	certFile, keyFile, err := gtls.SelfSigned(filepath.Join(f.root, "tls"))
	if err != nil {
		return err
	}
	c, err := loadCertFiles(certFile, keyFile)
	if err != nil {
		return err
	}
	f.cert = c
	return nil
}

// loadCertFiles reads a PEM certificate for its DER bytes and a pool
// trusting it.
func loadCertFiles(certFile, keyFile string) (*certFiles, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New(certFile + ": no PEM certificate")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certFile, err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &certFiles{certFile: certFile, keyFile: keyFile, leaf: block.Bytes, pool: pool}, nil
}

// newFixtures creates the directory and its files. Everything is readable
// by all: nginx and h2o started as root hand requests to workers running
// as nobody, which must read the served files.
func newFixtures() (*fixtures, error) {
	root, err := os.MkdirTemp("", "httpbench-")
	if err != nil {
		return nil, err
	}
	f := &fixtures{root: root, filesDir: filepath.Join(root, "files")}
	if err := f.populate(); err != nil {
		f.remove()
		return nil, err
	}
	return f, nil
}

func (f *fixtures) populate() error {
	if err := os.Chmod(f.root, 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(f.filesDir, 0o755); err != nil {
		return err
	}
	// Fixed seeds: the same bytes every run, and incompressible.
	f.small = randomBytes(smallFileSize, 1)
	f.big = randomBytes(bigFileSize, 2)
	for name, data := range map[string][]byte{
		"4k.bin":    f.small,
		"1m.bin":    f.big,
		"plaintext": []byte(plaintextBody), // h2o without mruby serves this
	} {
		if err := os.WriteFile(filepath.Join(f.filesDir, name), data, 0o644); err != nil {
			return err
		}
	}
	f.wrkLua = filepath.Join(f.root, "pipeline.lua")
	if err := os.WriteFile(f.wrkLua, []byte(wrkScript(pipelineDepth, pipelinedConns)), 0o644); err != nil {
		return err
	}
	f.h2Log = filepath.Join(f.root, "h2load.log")
	return nil
}

// fileFor is the expected content of a file scenario's target.
func (f *fixtures) fileFor(s scenario) []byte {
	switch s.body {
	case smallFileSize:
		return f.small
	case bigFileSize:
		return f.big
	}
	panic(fmt.Sprintf("no fixture for scenario %s", s.id))
}

// subdir makes a private working directory for one server, readable by
// its workers.
func (f *fixtures) subdir(name string) (string, error) {
	d := filepath.Join(f.root, name)
	return d, os.Mkdir(d, 0o755)
}

func (f *fixtures) remove() {
	if err := os.RemoveAll(f.root); err != nil {
		logf("remove %s: %v", f.root, err)
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0x68747470)) // fixed salt
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
