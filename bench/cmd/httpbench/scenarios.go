//go:build linux

package main

import (
	"fmt"
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

// scaled is h2load's -n for s under -scale: at least ten requests per
// connection, so every connection does real work.
func (s scenario) scaled(o options) int {
	return max(int(float64(s.requests)*o.scale+0.5), 10*s.conns)
}

// warmup is the unmeasured run before each measured one: a tenth of the
// requests, or one second of wrk (its shortest run).
func (s scenario) warmup(o options) (requests int, d time.Duration) {
	if s.tool == toolWrk {
		return 0, time.Second
	}
	return max(s.scaled(o)/10, 2*s.conns), 0
}
