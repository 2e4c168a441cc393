//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"github.com/golws/golws/bench/internal/hist"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
)

// patternSlack is how far the message window slides over a connection's
// random bytes: consecutive messages differ beyond their sequence stamp, so
// an echo from the wrong message cannot match by accident.
const patternSlack = 256

// pattern makes the messages of one connection. Its bytes come from a
// generator seeded with the connection's id, so two connections never
// share content, and each message carries its sequence number and the
// connection id in its first 12 bytes: a swapped, repeated or misrouted
// echo fails the comparison.
type pattern struct {
	id   uint32
	base []byte
}

func newPattern(id uint32, size int) pattern {
	p := pattern{id: id, base: make([]byte, size+patternSlack)}
	r := rand.New(rand.NewPCG(uint64(id), 0x726177626e6368)) // fixed salt: reproducible runs
	for i := 0; i+8 <= len(p.base); i += 8 {
		binary.LittleEndian.PutUint64(p.base[i:], r.Uint64())
	}
	return p
}

// fill writes message seq into dst (len(dst) ≥ 12) without allocating.
func (p *pattern) fill(dst []byte, seq uint64) {
	off := int(seq % patternSlack)
	copy(dst, p.base[off:off+len(dst)])
	binary.LittleEndian.PutUint64(dst, seq)
	binary.LittleEndian.PutUint32(dst[8:], p.id)
}

// echoMismatch describes where got differs from want.
func echoMismatch(impl string, id uint32, seq uint64, want, got []byte) error {
	i := 0
	for i < len(want) && want[i] == got[i] {
		i++
	}
	return fmt.Errorf("%s: echo mismatch on connection %d, message %d (%d bytes): first difference at byte %d (sent %#02x, got %#02x)",
		impl, id, seq, len(want), i, want[i], got[i])
}

// failure keeps the first error of a phase and signals it once.
type failure struct {
	once sync.Once
	err  error
	ch   chan struct{}
}

func newFailure() *failure { return &failure{ch: make(chan struct{})} }

func (f *failure) set(err error) {
	f.once.Do(func() {
		f.err = err
		close(f.ch)
	})
}

// Phases of a point, read by every worker on every message.
const (
	phaseWarmup int32 = iota
	phaseMeasure
	phaseStop
)

// worker drives one connection: write a message, read the whole echo,
// compare, record the round trip, repeat. Everything it touches is
// allocated before the first message.
type worker struct {
	impl string
	conn *net.TCPConn
	pat  pattern
	sbuf []byte
	rbuf []byte
	hist hist.Histogram
}

func (w *worker) run(phase *atomic.Int32, fail *failure) {
	for seq := uint64(0); ; seq++ {
		if phase.Load() == phaseStop {
			return
		}
		w.pat.fill(w.sbuf, seq)
		start := time.Now()
		if _, err := w.conn.Write(w.sbuf); err != nil {
			fail.set(fmt.Errorf("%s: connection %d: write: %w", w.impl, w.pat.id, err))
			return
		}
		if _, err := io.ReadFull(w.conn, w.rbuf); err != nil {
			fail.set(fmt.Errorf("%s: connection %d: read echo of message %d: %w", w.impl, w.pat.id, seq, err))
			return
		}
		lat := time.Since(start)
		if !bytes.Equal(w.sbuf, w.rbuf) {
			fail.set(echoMismatch(w.impl, w.pat.id, seq, w.sbuf, w.rbuf))
			return
		}
		// A message counts if it completed inside the window.
		if phase.Load() == phaseMeasure {
			w.hist.Record(uint64(lat))
		}
	}
}

// pointResult is one measured run of one implementation at one point.
type pointResult struct {
	impl        string
	size, conns int
	rep         int // repetition of the point, 1 to -count
	msgs        uint64
	rate        float64 // messages per second
	p50, p99    time.Duration
	cpuPerMsg   time.Duration // server (utime+stime) per message
	allocPerMsg float64       // server mallocs per message
	srvCPU      float64       // server CPU time / window, in cores
	genCPU      float64       // generator CPU time / window, in cores
	otherCPU    float64       // other processes on CPUs 0-1 / window, in cores
	tries       int           // windows run to get one undisturbed enough
}

// Deadlines of a point's phases besides warm-up and the window itself.
const (
	dialTimeout   = 30 * time.Second // all connections of a point or idle phase
	finishTimeout = 10 * time.Second // workers finishing their last round trip
	ioSlack       = 30 * time.Second // socket deadline past the planned end
)

// runPoint measures size-byte messages over nconns connections.
func runPoint(ctx context.Context, s *ctl.Proc, size, nconns int, warmup, dur time.Duration) (pointResult, error) {
	res := pointResult{impl: s.Name, size: size, conns: nconns}
	conns, err := dialN(ctx, s.Addr, nconns)
	if err != nil {
		return res, fmt.Errorf("%s: %w", s.Name, err)
	}
	defer closeAll(conns)

	// Every socket operation gets a deadline past the planned end, so a
	// server that stops answering fails the point instead of hanging it.
	deadline := time.Now().Add(warmup + dur + ioSlack)
	workers := make([]*worker, nconns)
	for i, c := range conns {
		if err := c.SetDeadline(deadline); err != nil {
			return res, err
		}
		workers[i] = &worker{
			impl: s.Name,
			conn: c,
			pat:  newPattern(uint32(i), size),
			sbuf: make([]byte, size),
			rbuf: make([]byte, size),
		}
	}

	var phase atomic.Int32
	fail := newFailure()
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(&phase, fail)
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	// However the point ends, no worker may outlive it: closing the
	// sockets unblocks any that are still inside Read or Write.
	defer func() {
		phase.Store(phaseStop)
		closeAll(conns)
		<-finished
	}()

	sleep := func(d time.Duration) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-fail.ch:
			return fail.err
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}

	if err := sleep(warmup); err != nil {
		return res, err
	}
	before, err := s.Request(ctx, "stats")
	if err != nil {
		return res, err
	}
	gen0, busy0 := machine.SelfCPUNs(), machine.BusyNs()
	t0 := time.Now()
	phase.Store(phaseMeasure)
	if err := sleep(dur); err != nil {
		return res, err
	}
	phase.Store(phaseStop)
	window := time.Since(t0)
	gen1, busy1 := machine.SelfCPUNs(), machine.BusyNs()
	after, err := s.Request(ctx, "stats")
	if err != nil {
		return res, err
	}

	select {
	case <-finished:
	case <-time.After(finishTimeout):
		return res, fmt.Errorf("%s: workers still waiting for echoes %v after the window closed", s.Name, finishTimeout)
	}
	if fail.err != nil {
		return res, fail.err
	}

	var h hist.Histogram
	for _, w := range workers {
		h.Merge(&w.hist)
	}
	if h.Count() == 0 {
		return res, fmt.Errorf("%s: no message completed in the %v window", s.Name, window)
	}
	res.msgs = h.Count()
	res.rate = float64(h.Count()) / window.Seconds()
	res.p50 = time.Duration(h.Quantile(0.50))
	res.p99 = time.Duration(h.Quantile(0.99))
	srvNs := (after.UtimeNs + after.StimeNs) - (before.UtimeNs + before.StimeNs)
	res.cpuPerMsg = time.Duration(float64(srvNs) / float64(h.Count()))
	mallocs := int64(after.Mallocs-before.Mallocs) - int64(s.StatsAllocs)
	res.allocPerMsg = max(0, float64(mallocs)/float64(h.Count()))
	res.srvCPU = float64(srvNs) / float64(window)
	res.genCPU = float64(gen1-gen0) / float64(window)
	res.otherCPU = max(0, float64(busy1-busy0-srvNs-(gen1-gen0))/float64(window))
	return res, nil
}

// dialN opens n connections with TCP_NODELAY, a few dozen at a time (so
// the SYN and accept queues never overflow and nothing is measured while
// the kernel retransmits SYNs). On any failure it closes what it opened.
func dialN(ctx context.Context, addr string, n int) ([]*net.TCPConn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conns := make([]*net.TCPConn, n)
	fail := newFailure()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, 32) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d net.Dialer
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				select {
				case <-fail.ch:
					return
				default:
				}
				c, err := d.DialContext(ctx, "tcp", addr)
				if err != nil {
					fail.set(fmt.Errorf("dial connection %d of %d: %w", i+1, n, err))
					return
				}
				tc := c.(*net.TCPConn)
				if err := tc.SetNoDelay(true); err != nil {
					tc.Close()
					fail.set(err)
					return
				}
				conns[i] = tc
			}
		}()
	}
	wg.Wait()
	if fail.err != nil || ctx.Err() != nil {
		closeAll(conns)
		if fail.err != nil {
			return nil, fail.err
		}
		return nil, fmt.Errorf("dial %d connections: %w", n, ctx.Err())
	}
	return conns, nil
}

func closeAll(conns []*net.TCPConn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}
