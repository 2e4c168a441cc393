package wsconform

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/golws/golws/h2"
	"github.com/golws/golws/hpack"
)

// DialH2 is an Opener over HTTP/2 (RFC 8441): dial, the client preface
// with prior knowledge (h2c), then an extended CONNECT with :protocol
// websocket for path on stream 1. The WebSocket's bytes then travel in
// DATA frames on that stream; the stream ending (END_STREAM or
// RST_STREAM) is what the cases see as the TCP close. extensions, if not
// empty, is offered as sec-websocket-extensions unless the case has its
// own offer.
func DialH2(dial func() (net.Conn, error), path, extensions string, timeout time.Duration) Opener {
	return func(seq int, offer string) (Stream, Handshake, error) {
		if offer == "" {
			offer = extensions
		}
		c, err := dial()
		if err != nil {
			return nil, Handshake{}, err
		}
		s, hs, err := openH2(c, path, offer, timeout)
		if err != nil {
			c.Close()
			return nil, Handshake{}, err
		}
		return s, hs, nil
	}
}

// bigWindow is the receive window the client grants: the cases' largest
// messages pass without waiting for WINDOW_UPDATEs of ours.
const bigWindow = 1<<31 - 1

func openH2(c net.Conn, path, extensions string, timeout time.Duration) (*h2Stream, Handshake, error) {
	c.SetDeadline(time.Now().Add(timeout))
	out := append([]byte(h2.ClientPreface), h2.AppendSettings(nil, h2.Setting{ID: h2.SettingInitialWindowSize, Val: bigWindow})...)
	out = h2.AppendWindowUpdate(out, 0, bigWindow-h2.DefaultInitialWindowSize)
	if _, err := c.Write(out); err != nil {
		return nil, Handshake{}, err
	}
	br := bufio.NewReader(c)
	s := &h2Stream{c: c, br: br, sendWin: h2.DefaultInitialWindowSize, connWin: h2.DefaultInitialWindowSize, maxFrame: h2.DefaultMaxFrameSize}
	s.cond.L = &s.mu
	// The server's SETTINGS must allow extended CONNECT.
	connect := false
	for {
		fh, p, err := readFrame(br)
		if err != nil {
			return nil, Handshake{}, fmt.Errorf("h2 settings: %w", err)
		}
		if fh.Type != h2.FrameSettings || fh.Flags.Has(h2.FlagAck) {
			continue
		}
		it, err := h2.ParseSettings(fh, p)
		if err != nil {
			return nil, Handshake{}, err
		}
		for st, ok := it.Next(); ok; st, ok = it.Next() {
			switch st.ID {
			case h2.SettingEnableConnectProtocol:
				connect = st.Val == 1
			case h2.SettingInitialWindowSize:
				s.sendWin = int64(st.Val)
			case h2.SettingMaxFrameSize:
				s.maxFrame = int(st.Val)
			}
		}
		break
	}
	if !connect {
		return nil, Handshake{}, errors.New("server does not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL")
	}
	enc := hpack.NewEncoder()
	block := enc.AppendBlockStart(nil)
	for _, f := range [][2]string{{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "http"},
		{":path", path}, {":authority", c.RemoteAddr().String()}, {"sec-websocket-version", "13"}} {
		block = enc.AppendFieldString(block, f[0], f[1], false)
	}
	if extensions != "" {
		block = enc.AppendFieldString(block, "sec-websocket-extensions", extensions, false)
	}
	out = h2.AppendSettingsAck(nil)
	out = h2.AppendHeaderBlock(out, 1, false, block, h2.DefaultMaxFrameSize)
	if _, err := c.Write(out); err != nil {
		return nil, Handshake{}, err
	}
	dec := hpack.NewDecoder(h2.DefaultHeaderTableSize)
	hs := Handshake{Offer: extensions}
	for {
		fh, p, err := readFrame(br)
		if err != nil {
			return nil, Handshake{}, fmt.Errorf("h2 CONNECT answer: %w", err)
		}
		switch {
		case fh.Type == h2.FrameSettings && !fh.Flags.Has(h2.FlagAck):
			c.Write(h2.AppendSettingsAck(nil))
			continue
		case fh.Type == h2.FrameWindowUpdate:
			s.window(fh, p)
			continue
		case fh.Type == h2.FrameRSTStream || fh.Type == h2.FrameGoAway:
			return nil, Handshake{}, fmt.Errorf("h2 CONNECT refused: %v %x", fh.Type, p)
		case fh.Type != h2.FrameHeaders || fh.StreamID != 1:
			continue
		}
		frag, _, err := h2.ParseHeaders(fh, p)
		if err != nil || !fh.Flags.Has(h2.FlagEndHeaders) {
			return nil, Handshake{}, fmt.Errorf("h2 CONNECT answer: %v", err)
		}
		fields, _, err := dec.DecodeInto(frag, nil, nil)
		if err != nil {
			return nil, Handshake{}, err
		}
		status := ""
		for _, f := range fields {
			switch string(f.Name) {
			case ":status":
				status = string(f.Value)
			case "sec-websocket-extensions":
				if hs.Extensions != "" {
					hs.Extensions += ", "
				}
				hs.Extensions += string(f.Value)
			case "sec-websocket-protocol":
				hs.Protocol = string(f.Value)
			}
		}
		if status != "200" || fh.Flags.Has(h2.FlagEndStream) {
			return nil, Handshake{}, fmt.Errorf("h2 CONNECT answered %s", status)
		}
		break
	}
	c.SetDeadline(time.Time{})
	go s.readLoop()
	return s, hs, nil
}

func readFrame(br *bufio.Reader) (h2.FrameHeader, []byte, error) {
	var hdr [h2.FrameHeaderLen]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return h2.FrameHeader{}, nil, err
	}
	fh, _ := h2.ParseFrameHeader(hdr[:])
	p := make([]byte, fh.Length)
	if _, err := io.ReadFull(br, p); err != nil {
		return fh, nil, err
	}
	return fh, p, nil
}

// h2Stream is stream 1 of an h2c connection as a byte stream.
type h2Stream struct {
	c        net.Conn
	br       *bufio.Reader
	maxFrame int

	wmu sync.Mutex // one frame at a time on the connection

	mu      sync.Mutex
	cond    sync.Cond
	in      []byte // DATA received, not yet read
	ended   bool   // END_STREAM, RST_STREAM, GOAWAY or the connection's end
	sendWin int64  // the stream's send window
	connWin int64  // the connection's send window
}

// readLoop takes the server's frames: DATA for Read, windows for Write.
func (s *h2Stream) readLoop() {
	defer func() {
		s.mu.Lock()
		s.ended = true
		s.mu.Unlock()
		s.cond.Broadcast()
	}()
	for {
		fh, p, err := readFrame(s.br)
		if err != nil {
			return
		}
		switch {
		case fh.Type == h2.FrameData && fh.StreamID == 1:
			data, err := h2.ParseData(fh, p)
			if err != nil {
				return
			}
			s.mu.Lock()
			s.in = append(s.in, data...)
			s.mu.Unlock()
			s.cond.Broadcast()
			if fh.Flags.Has(h2.FlagEndStream) {
				return
			}
		case fh.Type == h2.FrameHeaders && fh.StreamID == 1 && fh.Flags.Has(h2.FlagEndStream):
			return // trailers: the end
		case fh.Type == h2.FrameRSTStream && fh.StreamID == 1, fh.Type == h2.FrameGoAway:
			return
		case fh.Type == h2.FrameWindowUpdate:
			s.window(fh, p)
		case fh.Type == h2.FrameSettings && !fh.Flags.Has(h2.FlagAck):
			s.write(h2.AppendSettingsAck(nil))
		case fh.Type == h2.FramePing && !fh.Flags.Has(h2.FlagAck):
			d, _ := h2.ParsePing(fh, p)
			s.write(h2.AppendPing(nil, true, d))
		}
	}
}

func (s *h2Stream) window(fh h2.FrameHeader, p []byte) {
	inc, err := h2.ParseWindowUpdate(fh, p)
	if err != nil {
		return
	}
	s.mu.Lock()
	if fh.StreamID == 0 {
		s.connWin += int64(inc)
	} else if fh.StreamID == 1 {
		s.sendWin += int64(inc)
	}
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *h2Stream) write(b []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_, err := s.c.Write(b)
	return err
}

// Read returns DATA of stream 1; io.EOF once the stream ended.
func (s *h2Stream) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.in) == 0 && !s.ended {
		s.cond.Wait()
	}
	if len(s.in) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.in)
	s.in = s.in[:copy(s.in, s.in[n:])]
	return n, nil
}

// Write sends p as DATA frames within the server's windows and frame size.
func (s *h2Stream) Write(p []byte) (int, error) {
	sent := 0
	for len(p) > 0 {
		s.mu.Lock()
		for (s.sendWin <= 0 || s.connWin <= 0) && !s.ended {
			s.cond.Wait()
		}
		if s.ended {
			s.mu.Unlock()
			return sent, io.ErrClosedPipe
		}
		n := int(min(int64(len(p)), s.sendWin, s.connWin, int64(s.maxFrame)))
		s.sendWin -= int64(n)
		s.connWin -= int64(n)
		s.mu.Unlock()
		if err := s.write(h2.AppendData(nil, 1, false, p[:n])); err != nil {
			return sent, err
		}
		sent += n
		p = p[n:]
	}
	return sent, nil
}

// Close ends our side of the stream and the connection.
func (s *h2Stream) Close() error {
	s.write(h2.AppendData(nil, 1, true, nil))
	return s.c.Close()
}
