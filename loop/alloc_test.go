package loop

import (
	"io"
	"net"
	"testing"
)

// TestEchoRoundTripAllocs: after warm-up, an echo round trip through the
// loop (read, OnData, Write, writev) allocates nothing anywhere in the
// process: the client side here uses net.Conn, which does not allocate in
// steady state either.
func TestEchoRoundTripAllocs(t *testing.T) {
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", echo{})
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, size := range []int{64, 1024, 16 << 10} {
		msg, got := make([]byte, size), make([]byte, size)
		roundTrip := func() {
			if _, err := conn.Write(msg); err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(conn, got); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 1000; i++ { // warm-up: pools, tables, the runtime's own
			roundTrip()
		}
		if a := testing.AllocsPerRun(2000, roundTrip); a != 0 {
			t.Errorf("%d B echo: %v allocs per round trip, want 0", size, a)
		}
	}
}

func BenchmarkEchoRoundTrip(b *testing.B) {
	e := newEngine(b, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", echo{})
	conn, _ := net.Dial("tcp4", ln.Addr().String())
	defer conn.Close()
	msg, got := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		conn.Write(msg)
		io.ReadFull(conn, got)
	}
}
