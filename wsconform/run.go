package wsconform

import (
	"fmt"
	"hash/fnv"
	"net"
	"strconv"
	"strings"
	"time"
)

// Case is one numbered test.
type Case struct {
	ID          string // Autobahn's numbering, "1.1.1"
	Description string // what is sent
	// Timeout bounds the whole case (0: Options.CaseTimeout).
	Timeout time.Duration
	// Extensions, if not empty, is the case's own
	// Sec-WebSocket-Extensions offer, made instead of the Opener's
	// default (Options.Extensions for RunAll).
	Extensions string
	// Run drives the connection; its verdict is OK unless it calls
	// Driver.Verdict or Driver.Fail.
	Run func(d *Driver)
}

// Family is the first part of a case ID ("6" for "6.4.2").
func Family(id string) string {
	if i := strings.IndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return id
}

// Options tune a run.
type Options struct {
	// Timeout bounds each wait for the peer (default 2 s).
	Timeout time.Duration
	// CaseTimeout bounds a whole case: past it the connection is
	// closed and the case FAILED (default 10 s; cases of family 9 get
	// four times as long).
	CaseTimeout time.Duration
	// Wait is the pause of the timing cases (5.19, 5.20, 6.4.x) where
	// Autobahn waits 1 s (default 100 ms).
	Wait time.Duration
	// Role is the side the suite plays (default RoleClient: testing a
	// server).
	Role Role
	// Extensions is offered in the opening handshake of the cases that
	// make no offer of their own (families 12 and 13 make theirs).
	Extensions string
	// Cases selects cases by ID prefix ("1.", "6.4"); empty: all.
	Cases []string
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.CaseTimeout <= 0 {
		o.CaseTimeout = 10 * time.Second
	}
	if o.Wait <= 0 {
		o.Wait = 100 * time.Millisecond
	}
	return o
}

func (o Options) selected(id string) bool {
	if len(o.Cases) == 0 {
		return true
	}
	for _, p := range o.Cases {
		if id == p || strings.HasPrefix(id, p) && (strings.HasSuffix(p, ".") || id[len(p)] == '.') {
			return true
		}
	}
	return false
}

// Result is a case's outcome.
type Result struct {
	ID          string
	Description string
	Verdict     Verdict
	Detail      string
	Duration    time.Duration
}

// RunAll runs every case against the echo endpoint at path, each on a
// fresh connection from dial upgraded over HTTP/1.1, one after another.
func RunAll(dial func() (net.Conn, error), path string, opts Options) []Result {
	opts = opts.withDefaults()
	return RunCases(DialH1(dial, path, opts.Extensions, opts.Timeout), Cases(opts), opts)
}

// RunCases runs cases in order, each on a stream from open.
func RunCases(open Opener, cases []Case, opts Options) []Result {
	opts = opts.withDefaults()
	var out []Result
	for i, c := range cases {
		if opts.selected(c.ID) {
			out = append(out, runCase(open, i, c, opts))
		}
	}
	return out
}

func runCase(open Opener, seq int, c Case, opts Options) (res Result) {
	res = Result{ID: c.ID, Description: c.Description}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	s, hs, err := open(seq, c.Extensions)
	if err != nil {
		res.Verdict, res.Detail = Failed, "opening handshake: "+err.Error()
		return res
	}
	// RFC 6455 §9.1, RFC 7692 §7: the answer may only take up what was
	// offered.
	pmd, err := agreedDeflate(hs.Offer, hs.Extensions)
	if err != nil {
		s.Close()
		res.Verdict = Failed
		res.Detail = fmt.Sprintf("opening handshake: Sec-WebSocket-Extensions %q for the offer %q: %v", hs.Extensions, hs.Offer, err)
		return res
	}
	limit := c.Timeout
	if limit <= 0 {
		limit = opts.CaseTimeout
		if Family(c.ID) == "9" {
			limit *= 4
		}
	}
	h := fnv.New64a()
	h.Write([]byte(c.ID))
	d := newDriver(s, opts.Role, opts.Timeout, h.Sum64())
	d.Extensions, d.Offer, d.pmd = hs.Extensions, hs.Offer, pmd
	d.open = func() (Stream, Handshake, error) { return open(seq, c.Extensions) }
	d.begin()
	done := make(chan struct{})
	timedOut := make(chan struct{})
	watchdog := time.AfterFunc(limit, func() {
		close(timedOut)
		d.shut()
	})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(caseAbort); !ok {
					d.Verdict(Failed, "case panicked: %v", r)
				}
			}
		}()
		c.Run(d)
	}()
	<-done
	watchdog.Stop()
	d.shut()
	select {
	case <-timedOut:
		d.Verdict(Failed, "case exceeded %v", limit)
	default:
	}
	res.Verdict = d.verdict
	if d.writeEr != nil && d.verdict != OK {
		d.Note("write: %v", d.writeEr)
	}
	res.Detail = strings.Join(d.notes, "; ")
	return res
}

// Counts tallies verdicts per family ("" for all).
func Counts(results []Result) map[string]map[Verdict]int {
	m := map[string]map[Verdict]int{"": {}}
	for _, r := range results {
		f := Family(r.ID)
		if m[f] == nil {
			m[f] = map[Verdict]int{}
		}
		m[f][r.Verdict]++
		m[""][r.Verdict]++
	}
	return m
}

// families lists the families in results in numeric order.
func families(results []Result) []string {
	var fs []string
	seen := map[string]bool{}
	for _, r := range results {
		if f := Family(r.ID); !seen[f] {
			seen[f] = true
			fs = append(fs, f)
		}
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && atoi(fs[j]) < atoi(fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
	return fs
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func id(parts ...int) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ".")
}
