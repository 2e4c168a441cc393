package loop_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/golws/golws/loop"
)

// upper is a raw protocol: it answers every read with the same bytes in
// upper case.
type upper struct{ loop.BaseHandler }

func (upper) OnData(c *loop.Conn, data []byte) {
	c.WriteString(strings.ToUpper(string(data)))
}

func ExampleEngine_Listen() {
	e, err := loop.New(loop.Config{Loops: 1})
	if err != nil {
		panic(err)
	}
	defer e.Shutdown(context.Background())
	ln, err := e.Listen("tcp", "127.0.0.1:0", upper{})
	if err != nil {
		panic(err)
	}

	conn, _ := net.Dial("tcp", ln.Addr().String())
	defer conn.Close()
	conn.Write([]byte("hello, loop"))
	reply := make([]byte, 11)
	io.ReadFull(conn, reply)
	fmt.Println(string(reply))
	// Output: HELLO, LOOP
}

// ticker writes a line every time its timer fires, five times, then closes:
// a scheduled callback (lws's sul) owned by the connection's state.
type ticker struct {
	loop.BaseHandler
	t loop.Timer
	c *loop.Conn
	n int
}

func (tk *ticker) OnOpen(c *loop.Conn) {
	tk.c = c
	tk.t.F = func(*loop.Timer) {
		tk.n++
		fmt.Fprintf(connWriter{tk.c}, "tick %d\n", tk.n)
		if tk.n == 5 {
			tk.c.Close()
			return
		}
		c.Loop().Schedule(&tk.t, 0)
	}
	c.Loop().Schedule(&tk.t, 0)
}

func (tk *ticker) OnClose(c *loop.Conn, err error) { c.Loop().Cancel(&tk.t) }

type connWriter struct{ c *loop.Conn }

func (w connWriter) Write(p []byte) (int, error) { return len(p), w.c.Write(p) }

func ExampleLoop_Schedule() {
	e, _ := loop.New(loop.Config{Loops: 1})
	defer e.Shutdown(context.Background())
	ln, _ := e.Listen("tcp", "127.0.0.1:0", &ticker{})
	conn, _ := net.Dial("tcp", ln.Addr().String())
	defer conn.Close()
	out, _ := io.ReadAll(conn)
	fmt.Print(string(out))
	// Output:
	// tick 1
	// tick 2
	// tick 3
	// tick 4
	// tick 5
}
