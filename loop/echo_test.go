package loop

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestEchoBasic(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6", "unix"} {
		t.Run(network, func(t *testing.T) {
			e := newEngine(t, Config{Loops: 2})
			addr := map[string]string{"tcp4": "127.0.0.1:0", "tcp6": "[::1]:0", "unix": t.TempDir() + "/echo.sock"}[network]
			ln, err := e.Listen(network, addr, echo{})
			if err != nil {
				if network == "tcp6" {
					t.Skip("no IPv6:", err)
				}
				t.Fatal(err)
			}
			for i := 0; i < 8; i++ { // several, so the unix acceptor spreads them
				conn, err := net.Dial(ln.Addr().Network(), ln.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				msg := []byte(fmt.Sprintf("hello %d over %s", i, network))
				conn.Write(msg)
				got := make([]byte, len(msg))
				if _, err := io.ReadFull(conn, got); err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("echo = %q, %v", got, err)
				}
				conn.Close()
			}
		})
	}
}

// TestEchoThousands drives 9,000 concurrent connections (18,000 fds with
// both ends in this process, under the machine's 20,000 cap) through the
// echo server and checks every byte, then that nothing leaked.
func TestEchoThousands(t *testing.T) {
	const conns, msgSize, rounds = 9000, 1024, 3
	if testing.Short() {
		t.Skip("short")
	}
	fds0, gor0 := openFDs(t), runtime.NumGoroutine()
	e, err := New(Config{Loops: 2})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := e.Listen("tcp4", "127.0.0.1:0", echo{})
	if err != nil {
		t.Fatal(err)
	}
	clients := make([]net.Conn, conns)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256) // bounded dialing: no SYN storm past the backlog
	errs := make(chan error, conns)
	for i := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := net.DialTimeout("tcp4", ln.Addr().String(), 10*time.Second)
			if err != nil {
				errs <- err
				return
			}
			clients[i] = c
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal("dial:", err)
	}
	waitFor(t, 10*time.Second, "all connections registered", func() bool { return e.Conns() == conns })
	peakFDs := openFDs(t)

	// 64 workers drive the 9,000 open connections (the race detector caps
	// live goroutines at 8,128): each writes to all of its connections,
	// then reads every echo back, so thousands are in flight at once.
	const workers = 64
	var echoed sync.WaitGroup
	var bad sync.Map
	for w := 0; w < workers; w++ {
		echoed.Add(1)
		go func(w int) {
			defer echoed.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			var mine []int
			for i := w; i < conns; i += workers {
				mine = append(mine, i)
			}
			msgs := make([][]byte, len(mine))
			for k := range msgs {
				msgs[k] = make([]byte, msgSize)
			}
			got := make([]byte, msgSize)
			for r := 0; r < rounds; r++ {
				for k, i := range mine {
					rng.Read(msgs[k])
					clients[i].SetDeadline(time.Now().Add(60 * time.Second))
					if _, err := clients[i].Write(msgs[k]); err != nil {
						bad.Store(i, err)
						return
					}
				}
				for k, i := range mine {
					if _, err := io.ReadFull(clients[i], got); err != nil || !bytes.Equal(got, msgs[k]) {
						bad.Store(i, fmt.Errorf("round %d: %v", r, err))
						return
					}
				}
			}
			for _, i := range mine {
				clients[i].Close()
			}
		}(w)
	}
	echoed.Wait()
	nbad := 0
	bad.Range(func(k, v any) bool {
		if nbad < 5 {
			t.Errorf("conn %v: %v", k, v)
		}
		nbad++
		return true
	})
	if nbad > 0 {
		t.Fatalf("%d of %d connections failed", nbad, conns)
	}
	waitFor(t, 10*time.Second, "server closing every connection", func() bool { return e.Conns() == 0 })
	ln.Close()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	settleGoroutines(t, gor0)
	fds1 := openFDs(t)
	t.Logf("%d connections × %d rounds × %d B echoed; fds before %d, peak %d, after %d; goroutines before %d, after %d",
		conns, rounds, msgSize, fds0, peakFDs, fds1, gor0, runtime.NumGoroutine())
	if fds1 > fds0 {
		t.Fatalf("fd leak: %d open before, %d after", fds0, fds1)
	}
}
