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
	c, err := golws.New(golws.Config{
		Loop:   loop.Config{Loops: 2},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Vhost("conform").WebSocket("/echo", golws.WSOptions{MaxMessage: 16 << 20}, golws.Protocol("echo", echo{}))
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
	results := RunAll(func() (net.Conn, error) {
		return net.DialTimeout("tcp4", addr, 2*time.Second)
	}, "/echo", Options{Timeout: 2 * time.Second, Wait: 100 * time.Millisecond})
	t.Logf("%d cases in %v\n%s", len(results), time.Since(start).Round(time.Millisecond), SummaryTable(results))

	seen := map[string]bool{}
	for _, r := range results {
		if seen[r.ID] {
			t.Errorf("case ID %s twice", r.ID)
		}
		seen[r.ID] = true
		if r.Verdict != OK {
			t.Logf("%-8s %-13s %s", r.ID, r.Verdict, r.Detail)
		}
		reason, known := knownFailures[r.ID]
		switch {
		case r.Verdict == Failed && !known:
			t.Errorf("%s FAILED: %s (%s)", r.ID, r.Detail, r.Description)
		case r.Verdict != Failed && known:
			t.Errorf("%s is listed as a known failure (%s) but is %s now: drop it from knownFailures", r.ID, reason, r.Verdict)
		}
	}
	for id := range knownFailures {
		if !seen[id] {
			t.Errorf("known failure %s is not a case", id)
		}
	}

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
