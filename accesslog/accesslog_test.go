package accesslog

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var zoneMinus7 = time.FixedZone("MST", -7*3600)

func format(e *Entry) string {
	var ts timestamp
	return string(appendEntry(nil, e, ts.format(e.Time)))
}

func TestFormat(t *testing.T) {
	b := func(s string) []byte { return []byte(s) }
	at := time.Date(2006, 1, 2, 15, 4, 5, 999, zoneMinus7)
	cases := []struct {
		e    Entry
		want string
	}{
		{
			Entry{RemoteAddr: b("192.0.2.1"), User: b("alice"), Time: at, Method: b("GET"), Target: b("/x"),
				Proto: b("HTTP/1.1"), Status: 200, Bytes: 123, Referer: b("https://ref/"), UserAgent: b("agent/1.0")},
			`192.0.2.1 - alice [02/Jan/2006:15:04:05 -0700] "GET /x HTTP/1.1" 200 123 "https://ref/" "agent/1.0"` + "\n",
		},
		{
			Entry{RemoteAddr: b("2001:db8::1"), Time: at.In(time.UTC), Method: b("HEAD"), Target: b("/"),
				Proto: b("HTTP/2"), Status: 304},
			`2001:db8::1 - - [02/Jan/2006:22:04:05 +0000] "HEAD / HTTP/2" 304 - "-" "-"` + "\n",
		},
		{
			Entry{Time: time.Date(2026, 11, 25, 9, 5, 0, 0, time.FixedZone("IST", 5*3600+1800))},
			`- - - [25/Nov/2026:09:05:00 +0530] "-" - - "-" "-"` + "\n",
		},
		{
			Entry{RemoteAddr: b("h"), Time: at, Method: b("GET"), Target: b("/old"), Status: 400, Bytes: 1},
			`h - - [02/Jan/2006:15:04:05 -0700] "GET /old" 400 1 "-" "-"` + "\n",
		},
	}
	for _, tc := range cases {
		if got := format(&tc.e); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

func TestEscaping(t *testing.T) {
	at := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)
	e := Entry{
		RemoteAddr: []byte("evil host"),
		User:       []byte("bob\" - x"),
		Time:       at,
		Method:     []byte("GET"),
		Target:     []byte("/a\"b\\c\nd\re\x00f\x7fg\xffh i"),
		Proto:      []byte("HTTP/1.1"),
		Status:     200,
		Referer:    []byte("\"injected\" \"fields"),
		UserAgent:  []byte("ua\n1.2.3.4 - - [01/Jan/2000:00:00:00 +0000] \"GET /forged\""),
	}
	want := `evil\x20host - bob\x22\x20-\x20x [02/Jan/2006:15:04:05 +0000] ` +
		`"GET /a\x22b\x5cc\x0ad\x0de\x00f\x7fg\xffh i HTTP/1.1" 200 - ` +
		`"\x22injected\x22 \x22fields" ` +
		`"ua\x0a1.2.3.4 - - [01/Jan/2000:00:00:00 +0000] \x22GET /forged\x22"` + "\n"
	got := format(&e)
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Count(got, "\n") != 1 || strings.Count(got, `"`) != 6 {
		t.Errorf("escaping let a newline or quote through: %q", got)
	}
	if n := len(got); n > maxLineLen(&e) {
		t.Errorf("line of %d bytes exceeds its bound %d", n, maxLineLen(&e))
	}
}

func TestMaxLineLen(t *testing.T) {
	// Worst case: every byte of every field escaped, largest numbers.
	all := bytes.Repeat([]byte{'"'}, 50)
	e := Entry{RemoteAddr: all, User: all, Method: all, Target: all, Proto: all, Referer: all, UserAgent: all,
		Status: 999999, Bytes: 1<<63 - 1, Time: time.Date(2006, 1, 2, 15, 4, 5, 0, zoneMinus7)}
	if n, bound := len(format(&e)), maxLineLen(&e); n > bound {
		t.Errorf("line of %d bytes exceeds its bound %d", n, bound)
	}
}

func TestTimestampCache(t *testing.T) {
	var ts timestamp
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	check := func(tm time.Time, want string) {
		t.Helper()
		if got := string(ts.format(tm)); got != want {
			t.Errorf("format(%v) = %s, want %s", tm, got, want)
		}
		if got := tm.Format("[02/Jan/2006:15:04:05 -0700]"); got != want {
			t.Errorf("test expectation %s disagrees with time.Format %s", want, got)
		}
	}
	check(t0, "[04/Mar/2026:05:06:07 +0000]")
	check(t0.Add(500*time.Millisecond), "[04/Mar/2026:05:06:07 +0000]")
	check(t0.Add(time.Second), "[04/Mar/2026:05:06:08 +0000]")
	check(t0.In(zoneMinus7), "[03/Mar/2026:22:06:07 -0700]")
	check(t0, "[04/Mar/2026:05:06:07 +0000]")
	var stamp []byte
	if n := testing.AllocsPerRun(100, func() { stamp = ts.format(t0.In(zoneMinus7)) }); n != 0 || len(stamp) != stampLen {
		t.Errorf("format allocates %v times, len %d", n, len(stamp))
	}
}

// syncWriter is a bytes.Buffer safe to read while the writer goroutine
// writes, optionally failing or held at a gate.
type syncWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	gate   chan struct{} // if set, each Write waits until it is closed
	err    error
	wrote  chan struct{} // if set, signalled after each Write
}

func (w *syncWriter) Write(p []byte) (int, error) {
	if w.gate != nil {
		<-w.gate
	}
	w.mu.Lock()
	w.buf.Write(p)
	w.writes++
	w.mu.Unlock()
	if w.wrote != nil {
		select {
		case w.wrote <- struct{}{}:
		default:
		}
	}
	return len(p), w.err
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func sampleEntry(i int) Entry {
	return Entry{
		RemoteAddr: []byte("198.51.100.7"),
		Time:       time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		Method:     []byte("GET"),
		Target:     []byte(fmt.Sprintf("/item/%d", i)),
		Proto:      []byte("HTTP/1.1"),
		Status:     200,
		Bytes:      int64(i),
		Referer:    []byte("https://example.com/"),
		UserAgent:  []byte("Mozilla/5.0 (X11; Linux x86_64) test"),
	}
}

func TestAppendNoAllocs(t *testing.T) {
	w := &syncWriter{}
	l := New(w)
	defer l.Close()
	b := l.NewBuffer()
	e := sampleEntry(42)
	e.Time = time.Time{} // exercise the time.Now path as well
	b.Append(&e)         // takes the first chunk
	if n := testing.AllocsPerRun(200, func() { b.Append(&e) }); n != 0 {
		t.Errorf("Append allocates %v times", n)
	}
	// Across chunk hand-offs, once the writer returns chunks to the pool.
	if n := testing.AllocsPerRun(5000, func() { b.Append(&e) }); n != 0 {
		t.Errorf("Append across hand-offs allocates %v times", n)
	}
}

func TestCloseFlushes(t *testing.T) {
	w := &syncWriter{}
	l := New(w)
	b := l.NewBuffer()
	for i := 0; i < 3; i++ {
		e := sampleEntry(i)
		b.Append(&e)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(w.String(), "\n"); got != 3 {
		t.Errorf("%d lines written, want 3:\n%s", got, w.String())
	}
	e := sampleEntry(9)
	b.Append(&e)
	l.NewBuffer().Append(&e)
	b.Flush()
	if l.Dropped() != 2 || strings.Count(w.String(), "\n") != 3 {
		t.Errorf("appends after Close: dropped %d, output %q", l.Dropped(), w.String())
	}
	if err := l.Close(); err != ErrClosed {
		t.Errorf("second Close: %v", err)
	}
}

func TestFlush(t *testing.T) {
	w := &syncWriter{wrote: make(chan struct{}, 1)}
	l := New(w)
	defer l.Close()
	b := l.NewBuffer()
	e := sampleEntry(1)
	b.Append(&e)
	b.Flush()
	b.Flush() // nothing new: no empty write
	select {
	case <-w.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("Flush did not reach the writer")
	}
	if !strings.Contains(w.String(), "/item/1 ") {
		t.Errorf("output %q", w.String())
	}
	time.Sleep(10 * time.Millisecond)
	w.mu.Lock()
	writes := w.writes
	w.mu.Unlock()
	if writes != 1 {
		t.Errorf("%d writes, want 1", writes)
	}
}

func TestWriteErrorReported(t *testing.T) {
	boom := errors.New("disk full")
	l := New(&syncWriter{err: boom})
	e := sampleEntry(1)
	l.NewBuffer().Append(&e)
	if err := l.Close(); err != boom {
		t.Errorf("Close = %v, want %v", err, boom)
	}
}

// TestConcurrentBuffers runs several loops' Buffers into one Logger and
// checks that every line arrives once and whole.
func TestConcurrentBuffers(t *testing.T) {
	const loops, perLoop = 4, 2000
	w := &syncWriter{}
	l := New(w)
	var wg sync.WaitGroup
	for g := 0; g < loops; g++ {
		b := l.NewBuffer()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perLoop; i++ {
				e := sampleEntry(g*perLoop + i)
				b.Append(&e)
				if i%500 == 0 {
					b.Flush()
				}
			}
		}()
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// Four producers on a small machine can outrun even a memory writer
	// (more so under the race detector), so drops are allowed; what must
	// hold is that every line is either written whole or counted.
	seen := make(map[string]bool)
	for _, line := range strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "198.51.100.7 - - [") || !strings.HasSuffix(line, `"Mozilla/5.0 (X11; Linux x86_64) test"`) {
			t.Fatalf("torn line %q", line)
		}
		if seen[line] {
			t.Fatalf("duplicate line %q", line)
		}
		seen[line] = true
	}
	if int64(len(seen))+l.Dropped() != loops*perLoop {
		t.Errorf("%d lines written + %d dropped, want %d", len(seen), l.Dropped(), loops*perLoop)
	}
}

// TestSlowWriterDrops holds the writer still and checks that Append keeps
// going, drops whole lines, counts them, and holds bounded memory.
func TestSlowWriterDrops(t *testing.T) {
	gate := make(chan struct{})
	w := &syncWriter{gate: gate}
	l := New(w)
	b := l.NewBuffer()
	const total = 20000 // about 2.5 MB of lines, far more than the queue holds
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for i := 0; i < total; i++ {
			e := sampleEntry(i)
			b.Append(&e)
		}
		b.Flush()
	}()
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("Append blocked behind a stalled writer")
	}
	dropped := l.Dropped()
	if dropped == 0 {
		t.Fatal("nothing dropped although the writer is stalled")
	}
	if q := len(l.queue); q > maxQueued {
		t.Fatalf("queue holds %d chunks, bound %d", q, maxQueued)
	}
	close(gate)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	out := w.String()
	written := strings.Count(out, "\n")
	if int64(written)+l.Dropped() != total {
		t.Errorf("written %d + dropped %d != %d", written, l.Dropped(), total)
	}
	// At most the queue, the chunk the writer held, and the Buffer's
	// chunk can have survived.
	if max := (maxQueued + 2) * chunkSize; len(out) > max {
		t.Errorf("%d bytes written while stalled, bound %d", len(out), max)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasSuffix(line, `test"`) {
			t.Fatalf("partial line %q", line)
		}
	}
	t.Logf("stalled writer: %d lines written, %d dropped", written, dropped)
}
