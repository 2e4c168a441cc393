//go:build linux

package main

import (
	"cmp"
	"slices"

	"github.com/golws/golws/bench/internal/report"
)

// runKey names one server in one scenario.
type runKey struct {
	scenario, impl string
}

// summary condenses the -count runs of one server in one scenario. Every
// figure is the median over the runs, so one disturbed run moves nothing;
// cpuMin and cpuMax show how far the runs spread.
type summary struct {
	runKey
	runs []runResult // by repetition

	rate, mbps     float64 // req/s, MB/s
	p50, p99       float64 // µs; p99 over the runs that have one
	hasP99         bool
	cpu            float64 // server CPU µs/request
	cpuMin, cpuMax float64
	allocs         float64 // server allocations per request
	hasAlloc       bool
	srvCPU, genCPU float64 // share of a core
	otherMax       float64 // other processes on CPUs 0-1, worst run, in cores
}

// summarize groups runs by scenario and server and takes their medians.
// The result is sorted by scenario, then server, both in report order.
func summarize(runs []runResult) []summary {
	byKey := map[runKey][]runResult{}
	var keys []runKey
	for _, r := range runs {
		k := runKey{r.scenario, r.impl}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	slices.SortFunc(keys, func(a, b runKey) int {
		return cmp.Or(cmp.Compare(scenarioIndex(a.scenario), scenarioIndex(b.scenario)),
			cmp.Compare(slices.Index(allServers, a.impl), slices.Index(allServers, b.impl)))
	})

	out := make([]summary, 0, len(keys))
	for _, k := range keys {
		rs := byKey[k]
		slices.SortStableFunc(rs, func(a, b runResult) int { return cmp.Compare(a.rep, b.rep) })
		field := func(f func(runResult) float64) []float64 {
			v := make([]float64, len(rs))
			for i, r := range rs {
				v[i] = f(r)
			}
			return v
		}
		var p99s []float64
		for _, r := range rs {
			if r.hasP99 {
				p99s = append(p99s, report.Micros(r.p99))
			}
		}
		cpu := field(func(r runResult) float64 { return report.Micros(r.cpuPer) })
		out = append(out, summary{
			runKey:   k,
			runs:     rs,
			rate:     report.Median(field(func(r runResult) float64 { return r.rate })),
			mbps:     report.Median(field(func(r runResult) float64 { return r.mbps })),
			p50:      report.Median(field(func(r runResult) float64 { return report.Micros(r.p50) })),
			p99:      report.Median(p99s),
			hasP99:   len(p99s) > 0,
			cpu:      report.Median(cpu),
			cpuMin:   slices.Min(cpu),
			cpuMax:   slices.Max(cpu),
			allocs:   report.Median(field(func(r runResult) float64 { return r.allocs })),
			hasAlloc: rs[0].hasAlloc,
			srvCPU:   report.Median(field(func(r runResult) float64 { return r.srvCPU })),
			genCPU:   report.Median(field(func(r runResult) float64 { return r.genCPU })),
			otherMax: slices.Max(field(func(r runResult) float64 { return r.otherCPU })),
		})
	}
	return out
}

// ratio is golws's median over a peer's median for one figure, with the
// lowest and highest of the same ratio taken run by run (golws's
// repetition i against the peer's repetition i, run seconds apart).
type ratio struct {
	mid, lo, hi float64
	ok          bool // false if a denominator was zero or the runs do not pair up
}

// compare computes golws-vs-peer ratios of server CPU per request and of
// req/s.
func compare(g, p summary) (cpu, rate ratio) {
	if p.cpu <= 0 || p.rate <= 0 || len(g.runs) != len(p.runs) {
		return ratio{}, ratio{}
	}
	per := func(s summary, f func(runResult) float64) []float64 {
		v := make([]float64, len(s.runs))
		for i, r := range s.runs {
			v[i] = f(r)
		}
		return v
	}
	cpuOf := func(r runResult) float64 { return float64(r.cpuPer) }
	rateOf := func(r runResult) float64 { return r.rate }
	cpu.mid, rate.mid = g.cpu/p.cpu, g.rate/p.rate
	cpu.lo, cpu.hi, cpu.ok = report.RatioRange(per(g, cpuOf), per(p, cpuOf))
	rate.lo, rate.hi, rate.ok = report.RatioRange(per(g, rateOf), per(p, rateOf))
	return cpu, rate
}

// find returns the summary for k.
func find(sums []summary, k runKey) (summary, bool) {
	i := slices.IndexFunc(sums, func(s summary) bool { return s.runKey == k })
	if i < 0 {
		return summary{}, false
	}
	return sums[i], true
}
