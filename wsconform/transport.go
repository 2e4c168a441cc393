package wsconform

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"time"
)

// Handshake is what an opening handshake agreed.
type Handshake struct {
	// Extensions is the Sec-WebSocket-Extensions answer ("" for none).
	Extensions string
	// Protocol is the Sec-WebSocket-Protocol answer.
	Protocol string
	// Offer is the Sec-WebSocket-Extensions the client sent ("" for
	// none): what Extensions is checked against.
	Offer string
}

// Opener opens a fresh WebSocket to the peer under test, one per case:
// the opening handshake done, the stream ready for frames. seq numbers
// the case (for deterministic keys); extensions, if not empty, is the
// case's own Sec-WebSocket-Extensions offer (a client Opener offers it
// instead of its default one and reports it in Handshake.Offer).
type Opener func(seq int, extensions string) (Stream, Handshake, error)

// h1Stream is a net.Conn whose first bytes may already sit in the
// handshake's reader.
type h1Stream struct {
	net.Conn
	r *bufio.Reader
}

func (s *h1Stream) Read(p []byte) (int, error) { return s.r.Read(p) }

// DialH1 is an Opener over HTTP/1.1: dial, then a GET with Upgrade:
// websocket for path (RFC 6455 §4.1), checking the 101 answer and its
// Sec-WebSocket-Accept. extensions, if not empty, is offered as
// Sec-WebSocket-Extensions unless the case has its own offer.
func DialH1(dial func() (net.Conn, error), path, extensions string, timeout time.Duration) Opener {
	return func(seq int, offer string) (Stream, Handshake, error) {
		if offer == "" {
			offer = extensions
		}
		c, err := dial()
		if err != nil {
			return nil, Handshake{}, err
		}
		hs, br, err := upgradeH1(c, path, offer, seq, timeout)
		if err != nil {
			c.Close()
			return nil, Handshake{}, err
		}
		return &h1Stream{Conn: c, r: br}, hs, nil
	}
}

func upgradeH1(c net.Conn, path, extensions string, seq int, timeout time.Duration) (Handshake, *bufio.Reader, error) {
	c.SetDeadline(time.Now().Add(timeout))
	defer c.SetDeadline(time.Time{})
	var nonce [16]byte
	copy(nonce[:], fmt.Sprintf("wsconform-%06d", seq))
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + c.RemoteAddr().String() + "\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n" +
		"Sec-WebSocket-Version: 13\r\nUser-Agent: wsconform\r\n"
	if extensions != "" {
		req += "Sec-WebSocket-Extensions: " + extensions + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		return Handshake{}, nil, err
	}
	br := bufio.NewReader(c)
	tp := textproto.NewReader(br)
	status, err := tp.ReadLine()
	if err != nil {
		return Handshake{}, nil, fmt.Errorf("handshake: %w", err)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return Handshake{}, nil, fmt.Errorf("handshake head: %w", err)
	}
	if !strings.HasPrefix(status, "HTTP/1.1 101 ") && status != "HTTP/1.1 101" {
		return Handshake{}, nil, fmt.Errorf("handshake answered %q", status)
	}
	if !strings.EqualFold(h.Get("Upgrade"), "websocket") || !hasToken(h.Values("Connection"), "upgrade") {
		return Handshake{}, nil, fmt.Errorf("101 without Upgrade: websocket / Connection: Upgrade: %v", h)
	}
	if got, want := h.Get("Sec-WebSocket-Accept"), AcceptKey(key); got != want {
		return Handshake{}, nil, fmt.Errorf("Sec-WebSocket-Accept %q, want %q", got, want)
	}
	// Several Sec-WebSocket-Extensions lines are one list (RFC 6455 §9.1).
	ext := strings.Join(h.Values("Sec-WebSocket-Extensions"), ", ")
	return Handshake{Extensions: ext, Protocol: h.Get("Sec-WebSocket-Protocol"), Offer: extensions}, br, nil
}

func hasToken(values []string, tok string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), tok) {
				return true
			}
		}
	}
	return false
}

// AcceptKey is the Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func AcceptKey(key string) string {
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(sum[:])
}
