//go:build linux

package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.servers) != len(allServers) || len(o.scenarios) != len(allScenarios) || o.count != 3 || o.duration != 5*time.Second {
		t.Errorf("defaults: %+v", o)
	}
	o, err = parseFlags([]string{"-servers", "h2o, golws,golws", "-scenarios", "file-1m,plain-c1"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.servers, ",") != "golws,h2o" || o.scenarios[0].id != "plain-c1" || len(o.scenarios) != 2 {
		t.Errorf("selection: %v %v", o.servers, o.scenarios)
	}
	for _, bad := range [][]string{
		{"-servers", "apache"},
		{"-scenarios", "plain-c2"},
		{"-count", "0"},
		{"-duration", "1500ms"},
		{"-scale", "0"},
		{"-servers", "gnet", "-scenarios", "file-4k"},
		{"extra"},
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

func TestScenarioSizes(t *testing.T) {
	o := options{scale: 0.001}
	for _, s := range allScenarios {
		if s.tool != toolH2load {
			continue
		}
		if n := s.scaled(o); n < 10*s.conns {
			t.Errorf("%s: %d requests at scale 0.001", s.id, n)
		}
		if n, _ := s.warmup(o); n < s.conns {
			t.Errorf("%s: warm-up of %d requests", s.id, n)
		}
	}
}

// TestSummarize checks grouping, ordering, medians and the per-repetition
// pairing of the golws-vs-peer ratios.
func TestSummarize(t *testing.T) {
	run := func(impl, sc string, rep int, rate float64, cpuNs int) runResult {
		return runResult{impl: impl, scenario: sc, rep: rep, rate: rate, cpuPer: time.Duration(cpuNs), hasP99: true, p99: time.Duration(rep) * time.Millisecond}
	}
	runs := []runResult{
		run(implGolws, "plain-c10", 1, 100, 6000), run(implNginx, "plain-c10", 1, 100, 8000),
		run(implNginx, "plain-c10", 2, 120, 7000), run(implGolws, "plain-c10", 2, 90, 7000),
		run(implGolws, "plain-c10", 3, 110, 5000), run(implNginx, "plain-c10", 3, 80, 10000),
		run(implNginx, "plain-c1", 1, 50, 1000), run(implGolws, "plain-c1", 1, 50, 1000),
	}
	sums := summarize(runs)
	if len(sums) != 4 {
		t.Fatalf("got %d summaries, want 4", len(sums))
	}
	if k := sums[0].runKey; k != (runKey{"plain-c1", implGolws}) {
		t.Errorf("first summary is %+v, want golws plain-c1", k)
	}
	g, p := sums[2], sums[3]
	if g.impl != implGolws || p.impl != implNginx {
		t.Fatalf("order %s, %s; want golws before nginx", g.impl, p.impl)
	}
	if g.rate != 100 || g.cpu != 6 || g.cpuMin != 5 || g.cpuMax != 7 || g.p99 != 2000 {
		t.Errorf("golws summary: rate %v, cpu %v (%v–%v), p99 %v", g.rate, g.cpu, g.cpuMin, g.cpuMax, g.p99)
	}
	cpu, rate := compare(g, p)
	if !cpu.ok || cpu.mid != 0.75 || cpu.lo != 0.5 || cpu.hi != 1 {
		t.Errorf("cpu ratio %+v, want 0.75 (0.5–1)", cpu)
	}
	if !rate.ok || rate.mid != 1 || rate.lo != 0.75 || rate.hi != 110.0/80 {
		t.Errorf("rate ratio %+v, want 1 (0.75–1.375)", rate)
	}

	r := &httpReport{opts: options{servers: []string{implGolws, implNginx}, count: 3, scenarios: allScenarios[:2]}, tools: &toolSet{}, runs: runs}
	md := r.markdown()
	for _, want := range []string{"## golws vs peers", "| plaintext c=10 | 0.75 (0.50–1.00) |", "## Targets", "CPU/req ≤ nginx's", "| met |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
