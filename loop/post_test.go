package loop

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPostFromManyGoroutines(t *testing.T) {
	const posters, each = 100, 200
	var ready = make(chan *Conn, 1)
	var onLoop, seen atomic.Int64
	h := &funcHandler{open: func(c *Conn) { ready <- c }}
	e := newEngine(t, Config{Loops: 2})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := <-ready
	// A counter only the loop touches: the race detector checks that
	// every task really ran on the connection's loop goroutine.
	var count int
	var wg sync.WaitGroup
	for p := 0; p < posters; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := c.Post(func(c *Conn, err error) {
					if err == nil {
						count++
						onLoop.Add(1)
					}
				}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	waitFor(t, 5*time.Second, "every task run", func() bool { return onLoop.Load() == posters*each })
	done := make(chan int)
	c.Post(func(*Conn, error) { done <- count })
	if n := <-done; n != posters*each {
		t.Fatalf("loop counted %d, want %d", n, posters*each)
	}

	// PostAll reaches every loop once.
	var loops sync.Map
	e.PostAll(func(l *Loop) { loops.Store(l.Index(), true); seen.Add(1) })
	waitFor(t, 5*time.Second, "fan-out", func() bool { return seen.Load() == int64(len(e.Loops())) })
}

func TestPostToClosedConn(t *testing.T) {
	ready := make(chan *Conn, 1)
	closed := make(chan struct{})
	h := &funcHandler{
		open:  func(c *Conn) { ready <- c },
		close: func(*Conn, error) { close(closed) },
	}
	e := newEngine(t, Config{Loops: 1})
	ln, _ := e.Listen("tcp4", "127.0.0.1:0", h)
	conn, _ := net.Dial("tcp4", ln.Addr().String())
	c := <-ready
	conn.Close()
	<-closed
	got := make(chan error, 1)
	if err := c.Post(func(c *Conn, err error) { got <- err }); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != ErrClosed {
		t.Fatalf("task on a closed connection got %v, want ErrClosed", err)
	}
	// Once the engine is gone, Post says so and the task never runs.
	e.Close()
	if err := c.Post(func(*Conn, error) { t.Error("ran after engine close") }); err != ErrEngineClosed {
		t.Fatalf("Post after Close: %v", err)
	}
}
