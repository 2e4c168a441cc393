// Command raw-echo-client is the minimal raw TCP client on golws's loop: it
// dials an echo server, sends -n messages one after another, checks every
// echoed byte, and exits 0 only if all came back intact.
//
//	go run ./examples/raw-echo-client -addr 127.0.0.1:7681 -n 1000
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/golws/golws/loop"
)

// pinger is the client's protocol: one message out, wait for all of it to
// come back, compare, next.
type pinger struct {
	loop.BaseHandler
	msg  []byte
	got  []byte
	left int
	done chan error
}

func (p *pinger) send(c *loop.Conn) {
	p.msg[0]++ // every message differs, so a stale echo cannot pass
	p.got = p.got[:0]
	c.Write(p.msg)
}

func (p *pinger) OnOpen(c *loop.Conn) { p.send(c) }

func (p *pinger) OnData(c *loop.Conn, data []byte) {
	p.got = append(p.got, data...)
	if len(p.got) < len(p.msg) {
		return
	}
	if !bytes.Equal(p.got, p.msg) {
		p.done <- errors.New("echo does not match what was sent")
		c.Abort()
		return
	}
	if p.left--; p.left == 0 {
		c.Close()
		return
	}
	p.send(c)
}

func (p *pinger) OnClose(c *loop.Conn, err error) {
	if p.left != 0 && err == nil {
		err = fmt.Errorf("closed with %d messages left", p.left)
	}
	p.done <- err
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7681", "echo server address")
	n := flag.Int("n", 1000, "messages to send")
	size := flag.Int("size", 64, "message size in bytes")
	flag.Parse()
	if *n <= 0 || *size <= 0 {
		log.Fatal("-n and -size must be positive")
	}

	e, err := loop.New(loop.Config{Loops: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	p := &pinger{msg: bytes.Repeat([]byte("golws"), *size/5+1)[:*size], left: *n, done: make(chan error, 2)}
	start := time.Now()
	if err := e.Dial("tcp", *addr, p); err != nil {
		log.Fatal(err)
	}
	if err := <-p.done; err != nil {
		fmt.Fprintln(os.Stderr, "raw-echo-client:", err)
		os.Exit(1)
	}
	el := time.Since(start)
	fmt.Printf("%d messages of %d B echoed intact in %v (%.0f round trips/s)\n", *n, *size, el.Round(time.Millisecond), float64(*n)/el.Seconds())
}
