//go:build linux

package main

import (
	"fmt"
	"slices"
	"time"
)

// Server names, in report order. golws comes first: the comparison tables
// are golws against each of the others.
const (
	implGolws    = "golws"
	implNetHTTP  = "nethttp"
	implFasthttp = "fasthttp"
	implGnet     = "gnet"
	implNginx    = "nginx"
	implH2O      = "h2o"
)

var allServers = []string{implGolws, implNetHTTP, implFasthttp, implGnet, implNginx, implH2O}

// h2Servers are the servers with a cleartext HTTP/2 (h2c) mode, run by
// -proto h2: fasthttp and the gnet responder speak HTTP/1.1 only.
var h2Servers = []string{implGolws, implNetHTTP, implNginx, implH2O}

// httpsServers are the servers run by -proto https: the same four, each
// serving TLS 1.3 with one certificate, ALPN choosing h2 or http/1.1.
// fasthttp and the gnet responder are left out (no HTTP/2).
var httpsServers = []string{implGolws, implNetHTTP, implNginx, implH2O}

// externalServers are the servers the harness does not build: programs
// that may be missing from the machine.
var externalServers = []string{implNginx, implH2O}

// Protocols (-proto). h1 is HTTP/1.1 and h2 is HTTP/2 with prior
// knowledge (h2c, RFC 9113 §3.3), both over cleartext TCP. https is TLS
// 1.3, with HTTP/1.1 or HTTP/2 as ALPN picks: its scenarios mix both (each
// names its own, h1 or h2) and add one of new connections, each a full
// handshake.
const (
	protoH1    = "h1"
	protoH2    = "h2"
	protoHTTPS = "https"
)

// serversFor is every server that speaks proto, in report order.
func serversFor(proto string) []string {
	switch proto {
	case protoH2:
		return h2Servers
	case protoHTTPS:
		return httpsServers
	}
	return allServers
}

// goServers are built into this binary and report allocations.
var goServers = []string{implGolws, implNetHTTP, implFasthttp, implGnet}

// displayName is how a server is written in the report.
func displayName(impl string) string {
	if impl == implNetHTTP {
		return "net/http"
	}
	return impl
}

// servesFiles reports whether impl has a static-file route. The gnet
// responder is a hand-written plaintext answerer, as in gnet's own HTTP
// benchmarks, with no file serving.
func servesFiles(impl string) bool { return impl != implGnet }

// Load generators.
const (
	toolH2load = "h2load"
	toolWrk    = "wrk"
	// toolHandshake is this binary's own TLS connection generator
	// (`httpbench handshake`, handshake.go): every request on a new
	// connection with a full handshake. h2load cannot do that: it keeps
	// each client's TLS session across reconnections and resumes it.
	toolHandshake = "handshake"
)

// pipelineDepth is how many requests the wrk script sends per write, over
// pipelinedConns connections.
const (
	pipelineDepth  = 16
	pipelinedConns = 100
)

// Fixture sizes.
const (
	plaintextBody = "Hello, World!"
	smallFileSize = 4 << 10
	bigFileSize   = 1 << 20
)

// scenario is one kind of load, the same for every server.
type scenario struct {
	id    string // flag value and report key
	title string // report label
	tool  string // toolH2load or toolWrk
	path  string // request target
	conns int
	// requests is h2load's -n (before -scale); wrk runs for -duration.
	requests int
	// body is the expected body size of every response.
	body int
	// file marks static-file scenarios, which servers without file
	// serving skip.
	file bool
	// streams is h2load's -m for HTTP/2 scenarios: the requests in flight
	// on each connection. HTTP/1.1 scenarios leave it 0 (one at a time).
	streams int
	// proto is the HTTP version a -proto https scenario speaks over TLS
	// (protoH1 or protoH2); the cleartext lists leave it empty and speak
	// -proto's.
	proto string
}

// allScenarios are the default scenarios, in report order.
var allScenarios = []scenario{
	{id: "plain-c1", title: "plaintext c=1", tool: toolH2load, path: "/plaintext", conns: 1, requests: 100_000, body: len(plaintextBody)},
	{id: "plain-c10", title: "plaintext c=10", tool: toolH2load, path: "/plaintext", conns: 10, requests: 100_000, body: len(plaintextBody)},
	{id: "plain-c100", title: "plaintext c=100", tool: toolH2load, path: "/plaintext", conns: 100, requests: 100_000, body: len(plaintextBody)},
	{id: "pipelined", title: fmt.Sprintf("plaintext pipelined ×%d c=100 (wrk)", pipelineDepth), tool: toolWrk, path: "/plaintext", conns: pipelinedConns, body: len(plaintextBody)},
	{id: "file-4k", title: "4 KiB file c=10", tool: toolH2load, path: "/files/4k.bin", conns: 10, requests: 100_000, body: smallFileSize, file: true},
	{id: "file-1m", title: "1 MiB file c=10", tool: toolH2load, path: "/files/1m.bin", conns: 10, requests: 2_000, body: bigFileSize, file: true},
}

// h2Scenarios are -proto h2's scenarios, in report order: h2load over
// h2c with prior knowledge, -m streams in flight per connection. Their ids
// differ from allScenarios' so that a report names each unambiguously.
var h2Scenarios = []scenario{
	{id: "plain-c1-m100", title: "plaintext c=1 m=100", tool: toolH2load, path: "/plaintext", conns: 1, streams: 100, requests: 100_000, body: len(plaintextBody)},
	{id: "plain-c10-m10", title: "plaintext c=10 m=10", tool: toolH2load, path: "/plaintext", conns: 10, streams: 10, requests: 100_000, body: len(plaintextBody)},
	{id: "plain-c100-m1", title: "plaintext c=100 m=1", tool: toolH2load, path: "/plaintext", conns: 100, streams: 1, requests: 100_000, body: len(plaintextBody)},
	{id: "file-4k-m10", title: "4 KiB file c=10 m=10", tool: toolH2load, path: "/files/4k.bin", conns: 10, streams: 10, requests: 100_000, body: smallFileSize, file: true},
	{id: "file-1m-m1", title: "1 MiB file c=10 m=1", tool: toolH2load, path: "/files/1m.bin", conns: 10, streams: 1, requests: 2_000, body: bigFileSize, file: true},
}

// httpsScenarios are -proto https's scenarios, in report order: TLS 1.3
// with one ECDSA P-256 certificate for every server, each scenario
// speaking the HTTP version its proto names (h2load offers only that one
// in ALPN). tls-handshake-c50 is the odd one: every request on a
// connection of its own, each a full handshake (no resumption), from
// this binary's own generator (toolHandshake), c connections at a time.
var httpsScenarios = []scenario{
	{id: "tls-h2-plain-c10-m10", title: "h2 plaintext c=10 m=10", tool: toolH2load, proto: protoH2, path: "/plaintext", conns: 10, streams: 10, requests: 100_000, body: len(plaintextBody)},
	{id: "tls-h1-plain-c100", title: "HTTP/1.1 plaintext c=100", tool: toolH2load, proto: protoH1, path: "/plaintext", conns: 100, requests: 100_000, body: len(plaintextBody)},
	{id: "tls-handshake-c50", title: "full handshake per request c=50", tool: toolHandshake, proto: protoH1, path: "/plaintext", conns: 50, requests: 5_000, body: len(plaintextBody)},
	{id: "tls-h2-file-1m-m1", title: "h2 1 MiB file c=10 m=1", tool: toolH2load, proto: protoH2, path: "/files/1m.bin", conns: 10, streams: 1, requests: 2_000, body: bigFileSize, file: true},
}

// scenarioLists are all the lists, in the order scenarioIndex numbers
// them; ids are unique across them.
var scenarioLists = [][]scenario{allScenarios, h2Scenarios, httpsScenarios}

// scenariosFor is proto's scenario list.
func scenariosFor(proto string) []scenario {
	switch proto {
	case protoH2:
		return h2Scenarios
	case protoHTTPS:
		return httpsScenarios
	}
	return allScenarios
}

// scenarioIndex is a scenario's position in report order, whichever
// protocol's list it is in (ids are unique across them), or -1.
func scenarioIndex(id string) int {
	same := func(s scenario) bool { return s.id == id }
	base := 0
	for _, list := range scenarioLists {
		if i := slices.IndexFunc(list, same); i >= 0 {
			return base + i
		}
		base += len(list)
	}
	return -1
}

// httpProto is the HTTP version s speaks under o: its own for a -proto
// https scenario, else -proto's.
func (s scenario) httpProto(o options) string {
	if s.proto != "" {
		return s.proto
	}
	return o.proto
}

// inFlight is how many requests each connection keeps outstanding.
func (s scenario) inFlight() int { return max(s.streams, 1) }

// scaled is h2load's -n for s under -scale: at least ten requests per
// connection and stream slot, so every connection does real work.
func (s scenario) scaled(o options) int {
	return max(int(float64(s.requests)*o.scale+0.5), 10*s.conns*s.inFlight())
}

// warmup is the unmeasured run before each measured one: a tenth of the
// requests, or one second of wrk (its shortest run).
func (s scenario) warmup(o options) (requests int, d time.Duration) {
	if s.tool == toolWrk {
		return 0, time.Second
	}
	return max(s.scaled(o)/10, 2*s.conns*s.inFlight()), 0
}

// job is the h2load run of n requests of s against url under o's
// protocol, logging every request to logPath unless it is "".
func (s scenario) job(o options, url string, n int, logPath string) h2loadJob {
	return h2loadJob{url: url, proto: s.httpProto(o), tls: o.proto == protoHTTPS, n: n, c: s.conns, streams: s.streams, body: s.body, logPath: logPath}
}

// scheme is the URL scheme of proto's servers.
func scheme(proto string) string {
	if proto == protoHTTPS {
		return "https"
	}
	return "http"
}
