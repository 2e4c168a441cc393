//go:build linux

package main

import (
	"cmp"
	"slices"

	"github.com/golws/golws/bench/internal/report"
)

// pointKey names one implementation at one point.
type pointKey struct {
	impl        string
	deflate     bool
	size, conns int
}

// summary condenses the -count runs of one implementation at one point.
// Every figure is the median over the runs, so one disturbed run moves
// nothing; cpuMin and cpuMax show how far the runs spread.
type summary struct {
	pointKey
	runs []pointResult // by repetition, runs[i].rep == i+1

	rate           float64 // msg/s
	p50, p99       float64 // µs
	cpu            float64 // server CPU µs/msg
	cpuMin, cpuMax float64 // server CPU µs/msg, lowest and highest run
	allocs         float64 // server allocs/msg
	srvCPU, genCPU float64 // share of a core
	otherMax       float64 // other processes on CPUs 0-1, worst run, in cores
}

// summarize groups runs by implementation and point and takes their
// medians. The result is sorted by size, then connections, then the
// implementations' report order.
func summarize(runs []pointResult) []summary {
	byKey := map[pointKey][]pointResult{}
	var keys []pointKey
	for _, r := range runs {
		k := pointKey{r.impl, r.deflate, r.size, r.conns}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	slices.SortFunc(keys, func(a, b pointKey) int {
		return cmp.Or(cmp.Compare(b2i(a.deflate), b2i(b.deflate)), cmp.Compare(a.size, b.size), cmp.Compare(a.conns, b.conns),
			cmp.Compare(slices.Index(allImpls, a.impl), slices.Index(allImpls, b.impl)))
	})

	out := make([]summary, 0, len(keys))
	for _, k := range keys {
		rs := byKey[k]
		slices.SortStableFunc(rs, func(a, b pointResult) int { return cmp.Compare(a.rep, b.rep) })
		field := func(f func(pointResult) float64) []float64 {
			v := make([]float64, len(rs))
			for i, r := range rs {
				v[i] = f(r)
			}
			return v
		}
		cpu := field(func(r pointResult) float64 { return report.Micros(r.cpuPerMsg) })
		out = append(out, summary{
			pointKey: k,
			runs:     rs,
			rate:     report.Median(field(func(r pointResult) float64 { return r.rate })),
			p50:      report.Median(field(func(r pointResult) float64 { return report.Micros(r.p50) })),
			p99:      report.Median(field(func(r pointResult) float64 { return report.Micros(r.p99) })),
			cpu:      report.Median(cpu),
			cpuMin:   slices.Min(cpu),
			cpuMax:   slices.Max(cpu),
			allocs:   report.Median(field(func(r pointResult) float64 { return r.allocPerMsg })),
			srvCPU:   report.Median(field(func(r pointResult) float64 { return r.srvCPU })),
			genCPU:   report.Median(field(func(r pointResult) float64 { return r.genCPU })),
			otherMax: slices.Max(field(func(r pointResult) float64 { return r.otherCPU })),
		})
	}
	return out
}

// comparison is golws against one peer at one point.
type comparison struct {
	// cpu is golws's median server CPU per message over the peer's: below
	// 1, golws spends less. cpuLo and cpuHi are the extremes of the same
	// ratio taken run by run (golws's repetition i against the peer's
	// repetition i, which ran within seconds of each other).
	cpu, cpuLo, cpuHi float64
	// rate is golws's median msg/s over the peer's, with its run-by-run
	// extremes likewise.
	rate, rateLo, rateHi float64
	ok                   bool // false if a denominator was zero
}

// compare computes golws-vs-peer ratios from two summaries of one point.
func compare(g, p summary) comparison {
	if p.cpu <= 0 || p.rate <= 0 || len(g.runs) == 0 || len(g.runs) != len(p.runs) {
		return comparison{}
	}
	c := comparison{cpu: g.cpu / p.cpu, rate: g.rate / p.rate}
	perRun := func(rs []pointResult, f func(pointResult) float64) []float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		return v
	}
	cpu := func(r pointResult) float64 { return float64(r.cpuPerMsg) }
	rate := func(r pointResult) float64 { return r.rate }
	var okCPU, okRate bool
	c.cpuLo, c.cpuHi, okCPU = report.RatioRange(perRun(g.runs, cpu), perRun(p.runs, cpu))
	c.rateLo, c.rateHi, okRate = report.RatioRange(perRun(g.runs, rate), perRun(p.runs, rate))
	if !okCPU || !okRate {
		return comparison{}
	}
	c.ok = true
	return c
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
