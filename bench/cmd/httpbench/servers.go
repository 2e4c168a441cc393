//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
)

// server is a running server as the harness sees it, whether one of this
// binary's Go servers or nginx or h2o.
type server interface {
	impl() string
	address() string
	// sample reads the server's counters.
	sample(ctx context.Context) (counters, error)
	// fds counts the server's open descriptors; baseFds is that count
	// with no client connected, as set by setBaseFds.
	fds(ctx context.Context) (int, error)
	baseFds() int
	setBaseFds(n int)
	affinity() string
	// kill ends every process of the server by PID and reaps it.
	kill()
}

// counters is one reading of a server's cost so far.
type counters struct {
	cpu time.Duration // user+system time of all its processes
	// mallocs is the Go heap's allocation count, when hasMallocs.
	mallocs    uint64
	hasMallocs bool
	// procs identifies the processes summed (their PIDs), so a tree that
	// changed between two readings is noticed.
	procs string
}

// goServer is one of this binary's servers, run as `httpbench server` and
// read over its control channel.
type goServer struct {
	p    *ctl.Proc
	base int
}

func (g *goServer) impl() string     { return g.p.Name }
func (g *goServer) address() string  { return g.p.Addr }
func (g *goServer) affinity() string { return g.p.Affinity }
func (g *goServer) baseFds() int     { return g.base }
func (g *goServer) setBaseFds(n int) { g.base = n }
func (g *goServer) kill()            { g.p.Kill() }

// sample reads the malloc count over the control channel and the CPU time
// from the process's CPU clock, as for nginx and h2o (it is the same total
// the server's own getrusage would give).
func (g *goServer) sample(ctx context.Context) (counters, error) {
	st, err := g.p.Request(ctx, "stats")
	if err != nil {
		return counters{}, err
	}
	cpu, err := machine.ProcessCPU(g.p.PID())
	if err != nil {
		return counters{}, err
	}
	return counters{
		cpu:        cpu,
		mallocs:    st.Mallocs,
		hasMallocs: true,
		procs:      fmt.Sprint(g.p.PID()),
	}, nil
}

func (g *goServer) fds(ctx context.Context) (int, error) {
	st, err := g.p.Request(ctx, "fds")
	return st.Fds, err
}

// statsAllocs is what one stats call allocates in a Go server.
func statsAllocs(s server) (uint64, bool) {
	if g, ok := s.(*goServer); ok {
		return g.p.StatsAllocs, true
	}
	return 0, false
}

// startGoServer launches impl as `taskset -c 0 httpbench server -impl IMPL
// -proto PROTO -addr 127.0.0.1:PORT -dir FILES` (and for https `-cert
// CERT -key KEY`) with GOMAXPROCS=1.
func startGoServer(ctx context.Context, impl, proto string, tools *toolSet, fx *fixtures) (*goServer, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	port, err := ctl.FreePort()
	if err != nil {
		return nil, err
	}
	argv := []string{tools.taskset, "-c", "0", self, "server", "-impl", impl, "-proto", proto,
		"-addr", fmt.Sprintf("127.0.0.1:%d", port), "-dir", fx.filesDir}
	if proto == protoHTTPS {
		argv = append(argv, "-cert", fx.cert.certFile, "-key", fx.cert.keyFile)
	}
	env := append(ctl.WithoutEnv(os.Environ(), "GOMAXPROCS"), "GOMAXPROCS=1")
	p, err := ctl.Start(ctx, impl, argv, env)
	if err != nil {
		return nil, err
	}
	return &goServer{p: p}, nil
}

// startServer starts impl speaking proto, whichever kind it is.
func startServer(ctx context.Context, impl, proto string, tools *toolSet, fx *fixtures) (server, error) {
	if slices.Contains(goServers, impl) {
		return startGoServer(ctx, impl, proto, tools, fx)
	}
	return startExternal(ctx, impl, proto, tools, fx)
}

// toolSet is where the external programs are and what versions they are.
type toolSet struct {
	taskset, h2load, wrk, nginx, h2o string
	self                             string   // this binary: the handshake generator
	versions                         []string // for the report header
	h2oMruby                         bool     // h2o built with mruby
	// skipped says which default servers were left out, not installed.
	skipped []string
}

// findTools looks up every program the selected servers and scenarios
// need, failing with the Debian package to install for a missing one.
// nginx and h2o are the exception when -servers did not name them: a
// missing one is dropped from o.servers, and the report says so.
func findTools(o *options) (*toolSet, error) {
	t := &toolSet{}
	need := func(dst *string, name, pkg, why string) error {
		p, err := exec.LookPath(name)
		if err != nil {
			return fmt.Errorf("%s not found (%s): install it with apt-get install %s", name, why, pkg)
		}
		*dst = p
		return nil
	}
	if err := need(&t.taskset, "taskset", "util-linux", "it pins servers to CPU 0 and generators to CPU 1"); err != nil {
		return nil, err
	}
	uses := func(tool string) bool {
		return slices.ContainsFunc(o.scenarios, func(s scenario) bool { return s.tool == tool })
	}
	if uses(toolH2load) {
		if err := need(&t.h2load, "h2load", "nghttp2-client", "the load generator"); err != nil {
			return nil, err
		}
		t.versions = append(t.versions, firstLine(commandOutput(t.h2load, "--version")))
	}
	if uses(toolHandshake) {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find own executable (the handshake generator): %w", err)
		}
		t.self = self
		t.versions = append(t.versions, "handshake generator: this binary's crypto/tls client ("+runtime.Version()+")")
	}
	if uses(toolWrk) {
		if err := need(&t.wrk, "wrk", "wrk", "the pipelining load generator"); err != nil {
			return nil, err
		}
		v, _, _ := strings.Cut(firstLine(commandOutput(t.wrk, "--version")), " Copyright")
		t.versions = append(t.versions, v)
	}
	for _, ext := range externalServers {
		if !slices.Contains(o.servers, ext) || o.serversNamed {
			continue
		}
		if _, err := exec.LookPath(ext); err != nil {
			logf("%s: not installed (apt-get install %s); leaving it out", ext, map[string]string{implNginx: "nginx-light", implH2O: "h2o"}[ext])
			t.skipped = append(t.skipped, ext)
			o.servers = slices.DeleteFunc(o.servers, func(s string) bool { return s == ext })
		}
	}
	if err := o.checkRunnable(); err != nil {
		return nil, err
	}
	if slices.Contains(o.servers, implNginx) {
		if err := need(&t.nginx, "nginx", "nginx-light", "a server under test"); err != nil {
			return nil, err
		}
		v := strings.TrimPrefix(firstLine(commandOutput(t.nginx, "-v")), "nginx version: ")
		if o.proto == protoHTTPS {
			v += " (" + opensslOf(commandOutput(t.nginx, "-V")) + ")"
		}
		t.versions = append(t.versions, v)
	}
	if slices.Contains(o.servers, implH2O) {
		if err := need(&t.h2o, "h2o", "h2o", "a server under test"); err != nil {
			return nil, err
		}
		out := commandOutput(t.h2o, "--version")
		t.h2oMruby = strings.Contains(out, "mruby: YES")
		mruby := "without mruby"
		if t.h2oMruby {
			mruby = "with mruby"
		}
		if o.proto == protoHTTPS {
			mruby += ", " + opensslOf(out)
		}
		t.versions = append(t.versions, strings.Replace(firstLine(out), " version ", "/", 1)+" ("+mruby+")")
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			impl := map[string]string{"github.com/valyala/fasthttp": implFasthttp, "github.com/panjf2000/gnet/v2": implGnet}[m.Path]
			if impl != "" && slices.Contains(o.servers, impl) {
				t.versions = append(t.versions, m.Path+" "+m.Version)
			}
		}
	}
	return t, nil
}

// commandOutput runs a version query and returns what it printed on
// stdout and stderr; some tools print their version on stderr, and some
// exit non-zero after doing so.
func commandOutput(path string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// opensslOf finds the OpenSSL an nginx -V or h2o --version output names:
// nginx's "built with OpenSSL X (running with OpenSSL Y)" line, or h2o's
// "OpenSSL: X" line.
func opensslOf(out string) string {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "built with "); ok && strings.Contains(v, "SSL") {
			return v
		}
		if v, ok := strings.CutPrefix(line, "OpenSSL: "); ok {
			return v
		}
	}
	return "OpenSSL version unknown"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}
