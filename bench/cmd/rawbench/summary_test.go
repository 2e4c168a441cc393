//go:build linux

package main

import (
	"testing"
	"time"
)

// TestSummarize checks grouping, ordering, medians and the per-repetition
// pairing of the golws-vs-peer ratios.
func TestSummarize(t *testing.T) {
	run := func(impl string, size, conns, rep int, rate float64, cpuNs int) pointResult {
		return pointResult{impl: impl, size: size, conns: conns, rep: rep, rate: rate, cpuPerMsg: time.Duration(cpuNs)}
	}
	// Interleaved and rotated, as the harness runs them.
	runs := []pointResult{
		run("golws", 64, 1, 1, 100, 6000), run("gnet", 64, 1, 1, 100, 8000),
		run("gnet", 64, 1, 2, 120, 7000), run("golws", 64, 1, 2, 90, 7000),
		run("golws", 64, 1, 3, 110, 5000), run("gnet", 64, 1, 3, 80, 10000),
		run("gnet", 16, 1, 1, 50, 1000), run("golws", 16, 1, 1, 50, 1000),
	}
	sums := summarize(runs)
	if len(sums) != 4 {
		t.Fatalf("got %d summaries, want 4", len(sums))
	}
	if k := sums[0].pointKey; k != (pointKey{"golws", 16, 1}) {
		t.Errorf("first summary is %+v, want golws 16 B first", k)
	}
	g, p := sums[2], sums[3]
	if g.impl != "golws" || p.impl != "gnet" {
		t.Fatalf("order %s, %s; want golws before gnet", g.impl, p.impl)
	}
	for i, r := range g.runs {
		if r.rep != i+1 {
			t.Errorf("golws runs[%d] is repetition %d", i, r.rep)
		}
	}
	if g.rate != 100 || g.cpu != 6 || g.cpuMin != 5 || g.cpuMax != 7 {
		t.Errorf("golws summary: rate %v, cpu %v (%v–%v); want 100, 6 (5–7)", g.rate, g.cpu, g.cpuMin, g.cpuMax)
	}
	c := compare(g, p)
	if !c.ok || c.cpu != 0.75 || c.cpuLo != 0.5 || c.cpuHi != 1 {
		t.Errorf("cpu ratio %v (%v–%v), want 0.75 (0.5–1)", c.cpu, c.cpuLo, c.cpuHi)
	}
	if c.rate != 1 || c.rateLo != 0.75 || c.rateHi != 110.0/80 {
		t.Errorf("rate ratio %v (%v–%v), want 1 (0.75–1.375)", c.rate, c.rateLo, c.rateHi)
	}
}
