//go:build linux

package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"
)

// options are the harness's flags.
type options struct {
	proto   string // protoH1, protoH2 or protoHTTPS
	servers []string
	// serversNamed is true when -servers was given: a named server that
	// cannot run fails the run, while a default one that is not
	// installed (nginx, h2o) is left out with a note.
	serversNamed bool
	scenarios    []scenario
	count        int           // runs of every (server, scenario), interleaved
	duration     time.Duration // wrk's -d
	scale        float64       // multiplies h2load's request counts
	out          string
	// Shared-machine defences, as in rawbench: wait this long at most for
	// CPUs 0-1 to be quiet before each run, and re-run a run whose window
	// saw other processes use more than otherCPUWarn of a core, up to
	// retries times.
	quietWait time.Duration
	retries   int
}

// defaultOut is the report file of each protocol.
var defaultOut = map[string]string{protoH1: "results/http.md", protoH2: "results/h2.md", protoHTTPS: "results/tls.md"}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("httpbench", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.proto, "proto", protoH1, "protocol: h1 (HTTP/1.1), h2 (HTTP/2 over cleartext TCP with prior knowledge, h2c) or https (TLS 1.3: HTTP/2 and HTTP/1.1 scenarios, and full handshakes)")
	servers := fs.String("servers", strings.Join(allServers, ","),
		"servers to run, comma separated (-proto h2: "+strings.Join(h2Servers, ",")+"; -proto https: "+strings.Join(httpsServers, ",")+")")
	scenarios := fs.String("scenarios", strings.Join(scenarioIDs(allScenarios), ","),
		"scenarios to run, comma separated (-proto h2: "+strings.Join(scenarioIDs(h2Scenarios), ",")+"; -proto https: "+strings.Join(scenarioIDs(httpsScenarios), ",")+")")
	fs.IntVar(&o.count, "count", 3, "runs of every server and scenario, interleaved; the report gives medians")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "wrk's measured duration (pipelined scenario)")
	fs.Float64Var(&o.scale, "scale", 1, "multiplier for h2load's request counts (below 1 for a quick run)")
	fs.StringVar(&o.out, "out", defaultOut[protoH1], "markdown report file (also printed to stdout; \"\" to only print; -proto h2: "+defaultOut[protoH2]+", -proto https: "+defaultOut[protoHTTPS]+")")
	fs.DurationVar(&o.quietWait, "quiet-wait", 20*time.Second, "longest wait for CPUs 0-1 to go quiet before each run")
	fs.IntVar(&o.retries, "retries", 2, "re-runs of a run disturbed by other processes")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q (subcommands: server)", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.proto != protoH1 && o.proto != protoH2 && o.proto != protoHTTPS {
		return o, fmt.Errorf("-proto: unknown protocol %q (have %s, %s, %s)", o.proto, protoH1, protoH2, protoHTTPS)
	}
	known, knownScenarios := serversFor(o.proto), scenariosFor(o.proto)
	ids := scenarioIDs(knownScenarios)
	if !set["servers"] {
		*servers = strings.Join(known, ",")
	}
	if !set["scenarios"] {
		*scenarios = strings.Join(ids, ",")
	}
	if !set["out"] {
		o.out = defaultOut[o.proto]
	}
	o.serversNamed = set["servers"]
	var err error
	if o.servers, err = pickList("-servers", *servers, known); err != nil {
		switch o.proto {
		case protoH2:
			err = fmt.Errorf("%w (fasthttp and gnet have no h2c mode)", err)
		case protoHTTPS:
			err = fmt.Errorf("%w (fasthttp and gnet are not in the TLS comparison: no HTTP/2)", err)
		}
		return o, err
	}
	picked, err := pickList("-scenarios", *scenarios, ids)
	if err != nil {
		return o, err
	}
	for _, s := range knownScenarios { // report order, whatever the flag's
		if slices.Contains(picked, s.id) {
			o.scenarios = append(o.scenarios, s)
		}
	}
	switch {
	case o.count < 1 || o.count > 100:
		return o, errors.New("-count must be in [1, 100]")
	case o.duration < time.Second || o.duration > 10*time.Minute || o.duration%time.Second != 0:
		return o, errors.New("-duration must be whole seconds in [1s, 10m] (wrk takes no fractions)")
	case !(o.scale > 0 && o.scale <= 100):
		return o, errors.New("-scale must be in (0, 100]")
	case o.retries < 0 || o.quietWait < 0:
		return o, errors.New("-retries and -quiet-wait must not be negative")
	}
	if err := o.checkRunnable(); err != nil {
		return o, err
	}
	return o, nil
}

// checkRunnable fails unless some selected server runs some selected
// scenario.
func (o options) checkRunnable() error {
	if !slices.ContainsFunc(o.servers, func(s string) bool { return servesFiles(s) }) &&
		!slices.ContainsFunc(o.scenarios, func(s scenario) bool { return !s.file }) {
		return errors.New("no selected server runs any selected scenario")
	}
	return nil
}

func scenarioIDs(list []scenario) []string {
	var ids []string
	for _, s := range list {
		ids = append(ids, s.id)
	}
	return ids
}

// pickList splits a comma-separated flag value and checks every name
// against known, keeping the first occurrence of each, in known's order.
func pickList(flagName, value string, known []string) ([]string, error) {
	var got []string
	for _, name := range strings.Split(value, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("%s: unknown name %q (have %s)", flagName, name, strings.Join(known, ", "))
		}
		if !slices.Contains(got, name) {
			got = append(got, name)
		}
	}
	if len(got) == 0 {
		return nil, fmt.Errorf("%s: nothing selected", flagName)
	}
	slices.SortStableFunc(got, func(a, b string) int { return slices.Index(known, a) - slices.Index(known, b) })
	return got, nil
}
