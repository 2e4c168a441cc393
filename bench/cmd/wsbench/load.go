//go:build linux

package main

import (
	"context"
	"fmt"
	"github.com/golws/golws/bench/internal/hist"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
)

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

// worker drives one connection: send a message, read the whole echo,
// check it, record the round trip, repeat.
type worker struct {
	impl string
	c    *wsClient
	hist hist.Histogram
	msgs uint64 // round trips completed, warm-up included
}

func (w *worker) run(phase *atomic.Int32, fail *failure) {
	for seq := uint64(0); ; seq++ {
		if phase.Load() == phaseStop {
			return
		}
		start := time.Now()
		if err := w.c.send(seq); err != nil {
			fail.set(fmt.Errorf("%s: connection %d: send message %d: %w", w.impl, w.c.id, seq, err))
			return
		}
		if err := w.c.receive(w.impl, seq); err != nil {
			fail.set(fmt.Errorf("%s: connection %d: echo of message %d: %w", w.impl, w.c.id, seq, err))
			return
		}
		lat := time.Since(start)
		w.msgs++
		if phase.Load() == phaseMeasure {
			w.hist.Record(uint64(lat))
		}
	}
}

// pointResult is one measured run of one implementation at one point.
type pointResult struct {
	impl        string
	size, conns int
	deflate     bool
	rep         int
	msgs        uint64
	rate        float64
	p50, p99    time.Duration
	cpuPerMsg   time.Duration
	allocPerMsg float64
	srvCPU      float64
	genCPU      float64
	otherCPU    float64
	tries       int
}

const (
	dialTimeout   = 60 * time.Second
	finishTimeout = 10 * time.Second
	ioSlack       = 30 * time.Second
)

// runPoint measures size-byte messages over nconns connections.
func runPoint(ctx context.Context, s *ctl.Proc, set *messageSet, nconns int, warmup, dur time.Duration) (pointResult, error) {
	res := pointResult{impl: s.Name, size: set.size, conns: nconns, deflate: set.deflate}
	clients, err := dialN(ctx, s.Addr, nil, set, nconns, 0)
	if err != nil {
		return res, fmt.Errorf("%s: %w", s.Name, err)
	}
	defer closeAll(clients)

	deadline := time.Now().Add(warmup + dur + ioSlack)
	workers := make([]*worker, nconns)
	for i, c := range clients {
		if err := c.conn.SetDeadline(deadline); err != nil {
			return res, err
		}
		workers[i] = &worker{impl: s.Name, c: c}
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
	defer func() {
		phase.Store(phaseStop)
		closeAll(clients)
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
	// The window closes when the second reading comes back, not when it
	// is asked for: a busy server answers after the echoes queued ahead
	// of the control read, and its CPU time until then is in the reading.
	after, err := s.Request(ctx, "stats")
	if err != nil {
		return res, err
	}
	phase.Store(phaseStop)
	window := time.Since(t0)
	gen1, busy1 := machine.SelfCPUNs(), machine.BusyNs()

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
		if w.msgs == 0 {
			return res, fmt.Errorf("%s: connection %d got no echo in %v", s.Name, w.c.id, warmup+window)
		}
	}
	if h.Count() == 0 {
		return res, fmt.Errorf("%s: no message completed in the %v window", s.Name, window)
	}
	res.msgs = h.Count()
	res.rate = float64(h.Count()) / window.Seconds()
	res.p50 = time.Duration(h.Quantile(0.50))
	res.p99 = time.Duration(h.Quantile(0.99))
	srvNs := after.CPUNs() - before.CPUNs()
	res.cpuPerMsg = time.Duration(float64(srvNs) / float64(h.Count()))
	mallocs := int64(after.Mallocs-before.Mallocs) - int64(s.StatsAllocs)
	res.allocPerMsg = max(0, float64(mallocs)/float64(h.Count()))
	res.srvCPU = float64(srvNs) / float64(window)
	res.genCPU = float64(gen1-gen0) / float64(window)
	res.otherCPU = max(0, float64(busy1-busy0-srvNs-(gen1-gen0))/float64(window))
	return res, nil
}

// dialN opens n WebSocket connections (ids from firstID on), a few dozen
// handshakes at a time. On any failure it closes what it opened.
func dialN(ctx context.Context, addr string, src *net.TCPAddr, set *messageSet, n int, firstID uint32) ([]*wsClient, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	rbuf := 4096
	if set.size > 4096 {
		rbuf = 16 << 10
	}
	clients := make([]*wsClient, n)
	fail := newFailure()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, 32) {
		wg.Add(1)
		go func() {
			defer wg.Done()
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
				c, err := dialWS(ctx, addr, src, firstID+uint32(i), set, rbuf)
				if err != nil {
					fail.set(fmt.Errorf("connection %d of %d: %w", i+1, n, err))
					return
				}
				clients[i] = c
			}
		}()
	}
	wg.Wait()
	if fail.err != nil || ctx.Err() != nil {
		closeAll(clients)
		if fail.err != nil {
			return nil, fail.err
		}
		return nil, fmt.Errorf("dial %d connections: %w", n, ctx.Err())
	}
	return clients, nil
}

func closeAll(cs []*wsClient) {
	for _, c := range cs {
		if c != nil && c.conn != nil {
			c.close()
		}
	}
}
