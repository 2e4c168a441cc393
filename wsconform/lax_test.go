package wsconform

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/textproto"
	"testing"
	"time"
)

// laxEcho is a deliberately broken server: it echoes every frame's
// payload with the frame's opcode and checks nothing, so the suite must
// fail it on violations.
func laxEcho(t *testing.T) string {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				tp := textproto.NewReader(br)
				if _, err := tp.ReadLine(); err != nil {
					return
				}
				h, err := tp.ReadMIMEHeader()
				if err != nil {
					return
				}
				io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
					AcceptKey(h.Get("Sec-WebSocket-Key"))+"\r\n\r\n")
				for {
					var hd [2]byte
					if _, err := io.ReadFull(br, hd[:]); err != nil {
						return
					}
					n := uint64(hd[1] & 0x7f)
					switch n {
					case 126:
						var b [2]byte
						io.ReadFull(br, b[:])
						n = uint64(binary.BigEndian.Uint16(b[:]))
					case 127:
						var b [8]byte
						io.ReadFull(br, b[:])
						n = binary.BigEndian.Uint64(b[:])
					}
					var key [4]byte
					io.ReadFull(br, key[:])
					p := make([]byte, n)
					if _, err := io.ReadFull(br, p); err != nil {
						return
					}
					for i := range p {
						p[i] ^= key[i&3]
					}
					op := hd[0] & 0x0f
					if op == OpPing {
						op = OpPong
					}
					out := append([]byte{0x80 | op, 0}, p...)
					if len(p) < 126 {
						out[1] = byte(len(p))
					} else {
						continue // the suite's big echoes are not needed here
					}
					c.Write(out)
					if op == OpClose {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// TestSuiteCatchesViolations runs a few cases against laxEcho: the valid
// ones pass, the violations fail.
func TestSuiteCatchesViolations(t *testing.T) {
	addr := laxEcho(t)
	results := RunAll(func() (net.Conn, error) { return net.Dial("tcp4", addr) }, "/",
		Options{Timeout: 200 * time.Millisecond, Wait: 20 * time.Millisecond,
			Cases: []string{"1.1.1", "2.2", "2.5", "3.1", "4.1.1", "5.18", "6.3.1", "6.20.1", "7.3.6", "7.9.1"}})
	want := map[string]Verdict{"1.1.1": OK, "2.2": OK, "2.5": Failed, "3.1": Failed, "4.1.1": Failed, "5.18": Failed,
		"6.3.1": Failed, "6.20.1": Failed, "7.3.6": Failed, "7.9.1": Failed}
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d", len(results), len(want))
	}
	for _, r := range results {
		if r.Verdict != want[r.ID] {
			t.Errorf("%s: %s (%s), want %s", r.ID, r.Verdict, r.Detail, want[r.ID])
		}
	}
}
