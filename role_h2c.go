package golws

import (
	"bytes"
	"encoding/base64"

	"github.com/golws/golws/h1"
	"github.com/golws/golws/h2"
	"github.com/golws/golws/hpack"
)

// isH2Preface reports whether the first read of a plaintext connection
// is (the start of) the HTTP/2 client preface. Three octets decide: no
// HTTP/1.1 method starts with "PRI".
func isH2Preface(data []byte) bool {
	n := min(len(data), len(h2.ClientPreface))
	return n >= 3 && string(data[:n]) == h2.ClientPreface[:n]
}

// tryH2C upgrades the connection to HTTP/2 for a request with "Upgrade:
// h2c" and one valid HTTP2-Settings (RFC 7540 §3.2): 101, then the
// request is answered as stream 1. A request with a body is served over
// HTTP/1.1 instead, which the upgrade rules allow.
func (h *h1Conn) tryH2C(x *exchange) bool {
	hd := &x.head
	if hd.HasBody() || hd.Minor == 0 || !hasToken(hd.Upgrade, "h2c") {
		return false
	}
	payload, ok := decodeH2Settings(hd)
	if !ok {
		return false
	}
	h.c.WriteAll(stringToBytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"))
	nh := newH2Conn(h.ctx, h.c)
	// The 101 leaves alone: the answer to stream 1 waits for the client's
	// preface. Some clients (curl 7) take only 32 KiB along with the 101.
	nh.holdOut = true
	nh.enter()
	s, err := nh.sc.StartUpgraded(payload)
	if err == nil {
		h.c.Loop().Schedule(&nh.ackTimer, h.ctx.cfg.HeaderTimeout)
		x2 := nh.pl.getH2Exchange()
		x2.h, x2.s = nh, s
		s.User = x2
		rh := upgradedHead(hd)
		x2.begin(&rh, true)
	}
	nh.leave()
	h.pl.putExchange(x)
	h.x = nil
	h.closing = true // this role is done; the connection is the h2 role's
	h.switched = nh
	return true
}

// decodeH2Settings returns the SETTINGS payload of the one HTTP2-Settings
// field (base64url), checked.
func decodeH2Settings(hd *h1.Request) ([]byte, bool) {
	var v []byte
	n := 0
	for i := range hd.Headers {
		if f := &hd.Headers[i]; bytes.EqualFold(f.Name, []byte("HTTP2-Settings")) {
			v, n = f.Value, n+1
		}
	}
	if n != 1 {
		return nil, false
	}
	v = bytes.TrimRight(v, "=")
	p, err := base64.RawURLEncoding.DecodeString(string(v))
	if err != nil {
		return nil, false
	}
	if _, err := h2.ParseSettings(h2.FrameHeader{Length: uint32(len(p)), Type: h2.FrameSettings}, p); err != nil {
		return nil, false
	}
	return p, true
}

// upgradedHead is the HTTP/1.1 request that asked for the upgrade, as an
// HTTP/2 request head (the fields of HTTP/1.1 framing and the upgrade
// itself left out). It allocates: upgrades are rare.
func upgradedHead(hd *h1.Request) h2.RequestHead {
	path := hd.Target
	if len(path) == 0 || path[0] != '/' {
		path = hd.Path
		if hd.Query != nil {
			path = append(append(append([]byte(nil), path...), '?'), hd.Query...)
		}
	}
	rh := h2.RequestHead{Method: hd.MethodName, Scheme: []byte("http"), Authority: hd.Authority, Path: path, ContentLength: -1}
	for i := range hd.Headers {
		f := &hd.Headers[i]
		name := bytes.ToLower(f.Name)
		switch string(name) {
		case "connection", "upgrade", "http2-settings", "host", "keep-alive", "proxy-connection", "te", "transfer-encoding":
			continue
		}
		rh.Fields = append(rh.Fields, hpack.Field{Name: name, Value: f.Value})
	}
	return rh
}

// hasToken reports whether a comma-separated list holds tok (any case).
func hasToken(list []byte, tok string) bool {
	for len(list) > 0 {
		var e []byte
		if i := bytes.IndexByte(list, ','); i >= 0 {
			e, list = list[:i], list[i+1:]
		} else {
			e, list = list, nil
		}
		if bytes.EqualFold(bytes.TrimSpace(e), []byte(tok)) {
			return true
		}
	}
	return false
}
