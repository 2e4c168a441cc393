package wsconform

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golws/golws"
	"github.com/golws/golws/loop"
)

// knownFailures are golws's FAILED cases, each with the reason; the test
// fails on any other FAILED case (and on a listed one that now passes,
// so the list stays true).
var knownFailures = map[string]string{}

// echo is the WebSocket protocol under test: every message back as it
// came.
type echo struct{}

func (echo) OnOpen(*golws.WebSocket, *golws.Request) {}
func (echo) OnMessage(s *golws.WebSocket, text bool, data []byte, final bool) {
	if text {
		s.WriteText(data)
	} else {
		s.WriteBinary(data)
	}
}
func (echo) OnClose(*golws.WebSocket, uint16, []byte) {}

func startEcho(t *testing.T) string {
	t.Helper()
	return startEchoWith(t, golws.WSOptions{MaxMessage: 16 << 20})
}

// startEchoWith starts a golws echo server with the mount options o.
func startEchoWith(t *testing.T, o golws.WSOptions) string {
	t.Helper()
	c, err := golws.New(golws.Config{
		Loop:   loop.Config{Loops: 2},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Vhost("conform").WebSocket("/echo", o, golws.Protocol("echo", echo{}))
	a, err := c.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Shutdown(ctx)
	})
	return a.String()
}

func TestGolwsEcho(t *testing.T) {
	addr := startEcho(t)
	start := time.Now()
	// Families 12 and 13 (permessage-deflate) run in TestGolwsEchoDeflate,
	// against a mount with compression.
	results := RunAll(func() (net.Conn, error) {
		return net.DialTimeout("tcp4", addr, 2*time.Second)
	}, "/echo", Options{Timeout: 2 * time.Second, Wait: 100 * time.Millisecond,
		Cases: []string{"1.", "2.", "3.", "4.", "5.", "6.", "7.", "9.", "10."}})
	t.Logf("%d cases in %v\n%s", len(results), time.Since(start).Round(time.Millisecond), SummaryTable(results))
	checkResults(t, results, knownFailures)

	path := filepath.Join(t.TempDir(), "wsconform-report.md")
	if dir := os.Getenv("WSCONFORM_REPORT_DIR"); dir != "" {
		path = filepath.Join(dir, "wsconform-report.md")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteReport(f, "golws WebSocket conformance (HTTP/1.1, echo)", results); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %s", path)
}

// TestFailPos checks the fail-fast positions the 6.x cases rely on.
func TestFailPos(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"abc", -1}, {"\xce", -1}, {"\xce\xba\xe1", -1}, {"\xc0", 0}, {"a\xc0\x80", 1},
		{"\xe0\x80", 1}, {"\xed\xa0\x80", 1}, {"\xf4\x90\x80\x80", 1}, {"\xf0\x80\x80", 1},
		{"\xe1\x80", -1}, {"\xe1\x80a", 2}, {"\xf8\x88", 0}, {"\x80", 0},
	} {
		if got := failPos([]byte(c.in)); got != c.want {
			t.Errorf("failPos(%q) = %d, want %d", c.in, got, c.want)
		}
	}
	// Every invalid vector is caught by failPos or is only truncated.
	for _, v := range utf8Vectors() {
		for _, seq := range v.seqs {
			if !utf8.Valid(seq) && failPos(seq) < 0 && !truncated(seq) {
				t.Errorf("6.%d: %x is invalid but failPos finds no position", v.sub, seq)
			}
		}
	}
}

// truncated reports whether seq is valid UTF-8 missing its last octets.
func truncated(seq []byte) bool {
	for _, tail := range []string{"\x80", "\x80\x80", "\x80\x80\x80", "\xbf", "\xbf\xbf", "\xbf\xbf\xbf", "\xa0\x80", "\x90\x80\x80"} {
		if utf8.Valid(append(append([]byte{}, seq...), tail...)) {
			return true
		}
	}
	return false
}

// TestGolwsEchoH2 runs families 1–7 with each WebSocket on an HTTP/2
// stream (RFC 8441, h2c prior knowledge): the same verdicts are required.
func TestGolwsEchoH2(t *testing.T) {
	addr := startEcho(t)
	opts := Options{Timeout: 2 * time.Second, Wait: 100 * time.Millisecond, Cases: []string{"1.", "2.", "3.", "4.", "5.", "6.", "7."}}
	dial := func() (net.Conn, error) { return net.DialTimeout("tcp4", addr, 2*time.Second) }
	start := time.Now()
	results := RunCases(DialH2(dial, "/echo", "", opts.Timeout), Cases(opts), opts)
	t.Logf("%d cases over HTTP/2 in %v\n%s", len(results), time.Since(start).Round(time.Millisecond), SummaryTable(results))
	for _, r := range results {
		if r.Verdict != OK {
			t.Logf("%-8s %-13s %s", r.ID, r.Verdict, r.Detail)
		}
		if r.Verdict == Failed {
			t.Errorf("%s FAILED over HTTP/2: %s (%s)", r.ID, r.Detail, r.Description)
		}
	}
	if len(results) < 200 {
		t.Fatalf("only %d cases ran", len(results))
	}
}

// checkResults fails the test on a FAILED case not in known, on a known
// failure that is not FAILED, and on a case ID seen twice.
func checkResults(t *testing.T, results []Result, known map[string]string) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range results {
		if seen[r.ID] {
			t.Errorf("case ID %s twice", r.ID)
		}
		seen[r.ID] = true
		if r.Verdict != OK {
			t.Logf("%-8s %-13s %s", r.ID, r.Verdict, r.Detail)
		}
		reason, isKnown := known[r.ID]
		switch {
		case r.Verdict == Failed && !isKnown:
			t.Errorf("%s FAILED: %s (%s)", r.ID, r.Detail, r.Description)
		case r.Verdict != Failed && isKnown:
			t.Errorf("%s is listed as a known failure (%s) but is %s now: drop it from the list", r.ID, reason, r.Verdict)
		}
	}
	for id := range known {
		if !seen[id] {
			t.Errorf("known failure %s is not a case", id)
		}
	}
}

// knownDeflateFailures are golws's FAILED cases of families 12 and 13,
// each with the reason, over either transport.
var knownDeflateFailures = map[string]string{}

// TestGolwsEchoDeflate runs families 12 and 13 (permessage-deflate)
// against a mount with Compression, over HTTP/1.1 and over HTTP/2: every
// case must negotiate the extension (or, where the offer may be
// declined, decline it) and no case may fail.
func TestGolwsEchoDeflate(t *testing.T) {
	addr := startEchoWith(t, golws.WSOptions{MaxMessage: 16 << 20, Compression: true})
	dial := func() (net.Conn, error) { return net.DialTimeout("tcp4", addr, 2*time.Second) }
	opts := Options{Timeout: 2 * time.Second, Cases: []string{"12.", "13."}}
	for _, tr := range []struct {
		name string
		open Opener
	}{{"HTTP1", DialH1(dial, "/echo", "", opts.Timeout)}, {"HTTP2", DialH2(dial, "/echo", "", opts.Timeout)}} {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel() // compress/flate is slow under -race: the transports share the time
			start := time.Now()
			results := RunCases(tr.open, Cases(opts), opts)
			t.Logf("%d cases in %v\n%s", len(results), time.Since(start).Round(time.Millisecond), SummaryTable(results))
			checkResults(t, results, knownDeflateFailures)
			c := Counts(results)
			if c["12"][OK] != 50 || len(results) != 80 {
				t.Errorf("%d cases, %d of 50 12.x OK: want 80 cases, all 12.x OK", len(results), c["12"][OK])
			}
			for _, r := range results {
				if r.Verdict == Unimplemented {
					t.Errorf("%s UNIMPLEMENTED with compression on: %s", r.ID, r.Detail)
				}
			}
		})
	}
	// Without Compression the offers are declined: nothing to compress
	// (UNIMPLEMENTED) unless declining is the expected answer.
	t.Run("Off", func(t *testing.T) {
		t.Parallel()
		plain := startEcho(t)
		dial := func() (net.Conn, error) { return net.DialTimeout("tcp4", plain, 2*time.Second) }
		want := map[string]Verdict{"12.1.1": Unimplemented, "13.1.1": Unimplemented, "13.5.1": OK, "13.7.5": OK}
		o := Options{Timeout: 2 * time.Second, Cases: []string{"12.1.1", "13.1.1", "13.5.1", "13.7.5"}}
		for _, r := range RunAll(dial, "/echo", o) {
			if r.Verdict != want[r.ID] {
				t.Errorf("%s: %s (%s), want %s", r.ID, r.Verdict, r.Detail, want[r.ID])
			}
		}
	})
}

// TestAgreedDeflate checks the answer checks of RFC 7692 §7.
func TestAgreedDeflate(t *testing.T) {
	for _, c := range []struct {
		offer, answer string
		ok            bool
		window, which int
	}{
		{"permessage-deflate", "", true, 0, 0},
		{"permessage-deflate", "permessage-deflate", true, 15, 0},
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover", true, 15, 0},
		{"permessage-deflate", "permessage-deflate; client_no_context_takeover; server_max_window_bits=10", true, 15, 0},
		{"permessage-deflate", "permessage-deflate; client_max_window_bits=10", false, 0, 0},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=10", true, 10, 0},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits", false, 0, 0},
		{"permessage-deflate; client_max_window_bits=9", "permessage-deflate", true, 9, 0},
		{"permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=10", false, 0, 0},
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate", false, 0, 0},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate", false, 0, 0},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=11", false, 0, 0},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=9", true, 15, 0},
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", false, 0, 0},
		{"permessage-deflate", "permessage-deflate; foo", false, 0, 0},
		{"permessage-deflate", "permessage-deflate; server_max_window_bits=07", false, 0, 0},
		{"permessage-deflate", "permessage-deflate, permessage-deflate", false, 0, 0},
		{"permessage-deflate", "x-webkit-deflate-frame", false, 0, 0},
		{"", "permessage-deflate", false, 0, 0},
		{"permessage-deflate; server_max_window_bits=10, permessage-deflate", "permessage-deflate", true, 15, 1},
		{"permessage-deflate; foo, permessage-deflate; client_max_window_bits=12", "permessage-deflate; server_no_context_takeover", true, 12, 1},
		{"permessage-deflate; foo", "permessage-deflate", false, 0, 0},
	} {
		p, err := agreedDeflate(c.offer, c.answer)
		switch {
		case (err == nil) != c.ok:
			t.Errorf("offer %q answer %q: error %v, want ok %v", c.offer, c.answer, err, c.ok)
		case err == nil && c.answer == "" && p != nil:
			t.Errorf("offer %q, no answer: agreed %+v", c.offer, *p)
		case err == nil && c.answer != "" && (p.ClientWindowBits != c.window || p.Offer != c.which):
			t.Errorf("offer %q answer %q: %+v, want window %d offer %d", c.offer, c.answer, *p, c.window, c.which)
		}
	}
}
