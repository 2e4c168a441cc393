//go:build linux

package main

import (
	"slices"
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
	if o.serversNamed {
		t.Error("default servers taken as named")
	}
	o, err = parseFlags([]string{"-servers", "h2o, golws,golws", "-scenarios", "file-1m,plain-c1"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.servers, ",") != "golws,h2o" || o.scenarios[0].id != "plain-c1" || len(o.scenarios) != 2 {
		t.Errorf("selection: %v %v", o.servers, o.scenarios)
	}
	if o.proto != protoH1 || o.out != "results/http.md" || !o.serversNamed {
		t.Errorf("h1 selection: proto %q, out %q, servers named %v", o.proto, o.out, o.serversNamed)
	}
	o, err = parseFlags([]string{"-proto", "h2"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.servers, ",") != "golws,nethttp,nginx,h2o" || len(o.scenarios) != len(h2Scenarios) || o.out != "results/h2.md" {
		t.Errorf("h2 defaults: %v, %d scenarios, out %q", o.servers, len(o.scenarios), o.out)
	}
	o, err = parseFlags([]string{"-proto", "h2", "-servers", "nethttp,golws", "-scenarios", "file-1m-m1,plain-c1-m100", "-out", ""})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.servers, ",") != "golws,nethttp" || !o.serversNamed || o.scenarios[0].id != "plain-c1-m100" || len(o.scenarios) != 2 || o.out != "" {
		t.Errorf("h2 selection: %v %v %q", o.servers, o.scenarios, o.out)
	}
	o, err = parseFlags([]string{"-proto", "https"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.servers, ",") != "golws,nethttp,nginx,h2o" || len(o.scenarios) != len(httpsScenarios) || o.out != "results/tls.md" || o.serversNamed {
		t.Errorf("https defaults: %v, %d scenarios, out %q", o.servers, len(o.scenarios), o.out)
	}
	o, err = parseFlags([]string{"-proto", "https", "-scenarios", "tls-h2-file-1m-m1,tls-handshake-c50", "-servers", "h2o,golws"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.servers, ",") != "golws,h2o" || len(o.scenarios) != 2 || o.scenarios[0].id != "tls-handshake-c50" {
		t.Errorf("https selection: %v %v", o.servers, o.scenarios)
	}
	for _, bad := range [][]string{
		{"-proto", "h3"},
		{"-proto", "https", "-servers", "gnet"},
		{"-proto", "https", "-scenarios", "plain-c10-m10"},
		{"-proto", "h2", "-scenarios", "tls-h2-plain-c10-m10"},
		{"-proto", "h2", "-servers", "fasthttp"},
		{"-proto", "h2", "-scenarios", "plain-c1"},
		{"-scenarios", "plain-c1-m100"},
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
	for _, s := range slices.Concat(scenarioLists...) {
		if s.tool == toolWrk {
			continue
		}
		if n := s.scaled(o); n < 10*s.conns*s.inFlight() {
			t.Errorf("%s: %d requests at scale 0.001", s.id, n)
		}
		if n, _ := s.warmup(o); n < s.conns {
			t.Errorf("%s: warm-up of %d requests", s.id, n)
		}
	}
}

// TestScenarioIDs checks that ids are unique across both protocols'
// lists, which the report relies on to name and order them.
func TestScenarioIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range slices.Concat(scenarioLists...) {
		if seen[s.id] {
			t.Errorf("scenario id %q used twice", s.id)
		}
		seen[s.id] = true
		if scenarioTitle(s.id) != s.title || scenarioIndex(s.id) < 0 {
			t.Errorf("%s: title %q, index %d", s.id, scenarioTitle(s.id), scenarioIndex(s.id))
		}
	}
	for _, s := range h2Scenarios {
		if s.tool != toolH2load || s.streams < 1 {
			t.Errorf("h2 scenario %s: tool %s, %d streams", s.id, s.tool, s.streams)
		}
	}
	for _, s := range httpsScenarios {
		if (s.proto != protoH1 && s.proto != protoH2) || (s.proto == protoH2) != (s.streams >= 1) || (s.tool == toolHandshake && s.proto != protoH1) {
			t.Errorf("https scenario %s: proto %q, tool %s, %d streams", s.id, s.proto, s.tool, s.streams)
		}
		if j := s.job(options{proto: protoHTTPS}, "https://x/", 1, ""); !j.tls || j.proto != s.proto {
			t.Errorf("https scenario %s: job %+v", s.id, j)
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
