package golws

import (
	"encoding/binary"
	"net"
	"testing"
)

// h2RoundTripper opens an h2c connection (prior knowledge), and returns a
// function that sends one GET for path as a new stream and reads frames
// until that stream ends. It allocates nothing per call, so that
// AllocsPerRun measures the server.
func h2RoundTripper(t testing.TB, addr, path string) func() {
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// Preface, empty SETTINGS, a connection window large enough for the
	// whole test, then the server's SETTINGS are acknowledged below.
	start := []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	start = append(start, 0, 0, 0, 4, 0, 0, 0, 0, 0)
	start = append(start, 0, 0, 4, 8, 0, 0, 0, 0, 0, 0x3f, 0xff, 0xff, 0xff)
	start = append(start, 0, 0, 0, 4, 1, 0, 0, 0, 0) // ack of the server's SETTINGS
	if _, err := conn.Write(start); err != nil {
		t.Fatal(err)
	}
	// HEADERS (END_STREAM|END_HEADERS): :method GET, :scheme http,
	// :path and :authority as literals without indexing.
	block := []byte{0x82, 0x86, 0x04, byte(len(path))}
	block = append(block, path...)
	block = append(block, 0x01, 9)
	block = append(block, "localhost"...)
	req := []byte{0, 0, byte(len(block)), 1, 5, 0, 0, 0, 0}
	req = append(req, block...)
	buf := make([]byte, 64<<10)
	have := 0
	id := uint32(1)
	return func() {
		binary.BigEndian.PutUint32(req[5:9], id)
		if _, err := conn.Write(req); err != nil {
			t.Fatal(err)
		}
		for {
			// Take whole frames from buf; read when none is left.
			for have >= 9 {
				n := 9 + (int(buf[0])<<16 | int(buf[1])<<8 | int(buf[2]))
				if n > len(buf) {
					t.Fatalf("frame of %d octets", n)
				}
				if have < n {
					break
				}
				typ, flags, sid := buf[3], buf[4], binary.BigEndian.Uint32(buf[5:9])&(1<<31-1)
				copy(buf, buf[n:have])
				have -= n
				if typ == 7 || typ == 3 && sid == id {
					t.Fatalf("GOAWAY or RST_STREAM")
				}
				if sid == id && flags&1 != 0 && (typ == 0 || typ == 1) {
					id += 2
					return
				}
			}
			k, err := conn.Read(buf[have:])
			if err != nil {
				t.Fatal(err)
			}
			have += k
		}
	}
}

// TestH2GetAllocs: on an open HTTP/2 connection, decoding a request's
// headers, handling it and encoding the response allocates nothing.
func TestH2GetAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	addr := allocServer(t)
	for _, tc := range []struct{ name, path string }{
		{"handler", "/plaintext"},
		{"static file", "/files/sub/deeper/a.txt"},
	} {
		assertNoAllocs(t, tc.name, h2RoundTripper(t, addr, tc.path))
	}
}

func BenchmarkH2Get(b *testing.B) {
	cfg := Config{}
	cfg.Loop.Loops = 1
	addr, _ := testServer(b, cfg, func(c *Context, v *Vhost) { v.HandleFunc("/plaintext", hello) })
	rt := h2RoundTripper(b, addr, "/plaintext")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rt()
	}
}
