//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
)

// idleResult is one row of the idle-memory table.
type idleResult struct {
	impl          string
	conns         int
	rssPerConn    float64 // bytes
	heapPerConn   float64 // bytes
	stackPerConn  float64 // bytes
	serverFdsSeen int     // descriptors the server held with all connections open
}

// idleMsgSize is the one message each idle connection echoes, proving the
// server has fully set the connection up (accepted, registered, buffers
// touched) before memory is read.
const idleMsgSize = 64

// settleTimeout bounds the wait for the server to release connections the
// generator closed.
const settleTimeout = 15 * time.Second

// runIdle measures what n open, idle connections cost the server in
// user-space memory: RSS and heap after a forced GC, before and after.
func runIdle(ctx context.Context, s *ctl.Proc, n int) (idleResult, []string, error) {
	res := idleResult{impl: s.Name, conns: n}
	var notes []string
	if fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout); err != nil {
		return res, nil, err
	} else if fds > s.BaseFds {
		notes = append(notes, fmt.Sprintf("%s: before the idle phase the server still held %d descriptors over its baseline", s.Name, fds-s.BaseFds))
	}
	before, err := s.Request(ctx, "gc")
	if err != nil {
		return res, nil, err
	}

	conns, err := dialN(ctx, s.Addr, n)
	if err != nil {
		return res, nil, fmt.Errorf("%s idle: %w", s.Name, err)
	}
	defer closeAll(conns)
	if err := echoOnce(ctx, s.Name, conns); err != nil {
		return res, nil, err
	}
	fd, err := s.Request(ctx, "fds")
	if err != nil {
		return res, nil, err
	}
	res.serverFdsSeen = fd.Fds
	if fd.Fds < s.BaseFds+n {
		notes = append(notes, fmt.Sprintf("%s: with %d idle connections open the server held only %d descriptors over its baseline", s.Name, n, fd.Fds-s.BaseFds))
	}
	after, err := s.Request(ctx, "gc")
	if err != nil {
		return res, nil, err
	}
	res.rssPerConn = float64(after.RSSBytes-before.RSSBytes) / float64(n)
	res.heapPerConn = (float64(after.HeapInuse) - float64(before.HeapInuse)) / float64(n)
	res.stackPerConn = (float64(after.StackInuse) - float64(before.StackInuse)) / float64(n)

	closeAll(conns)
	fds, err := s.WaitFds(ctx, s.BaseFds, settleTimeout)
	if err != nil {
		return res, nil, err
	}
	if fds > s.BaseFds {
		notes = append(notes, fmt.Sprintf("%s: %v after closing the idle connections the server still held %d of them", s.Name, settleTimeout, fds-s.BaseFds))
	}
	return res, notes, nil
}

// echoOnce sends one message on every connection and checks its echo, a
// few dozen connections at a time.
func echoOnce(ctx context.Context, impl string, conns []*net.TCPConn) error {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	fail := newFailure()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(conns), 32) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sbuf := make([]byte, idleMsgSize)
			rbuf := make([]byte, idleMsgSize)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(conns) || ctx.Err() != nil {
					return
				}
				select {
				case <-fail.ch:
					return
				default:
				}
				c := conns[i]
				p := newPattern(uint32(i), idleMsgSize)
				p.fill(sbuf, 0)
				err := c.SetDeadline(deadline)
				if err == nil {
					_, err = c.Write(sbuf)
				}
				if err == nil {
					_, err = io.ReadFull(c, rbuf)
				}
				if err != nil {
					fail.set(fmt.Errorf("%s idle: connection %d: %w", impl, i, err))
					return
				}
				if !bytes.Equal(sbuf, rbuf) {
					fail.set(echoMismatch(impl, uint32(i), 0, sbuf, rbuf))
					return
				}
			}
		}()
	}
	wg.Wait()
	if fail.err != nil {
		return fail.err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s idle: echo on %d connections: %w", impl, len(conns), err)
	}
	return nil
}
