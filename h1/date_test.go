package h1

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// rfcDate is the example instant of RFC 9110 §5.6.7.
var rfcDate = time.Date(1994, time.November, 6, 8, 49, 37, 0, time.UTC)

func TestAppendHTTPDate(t *testing.T) {
	if got := string(AppendHTTPDate(nil, rfcDate)); got != "Sun, 06 Nov 1994 08:49:37 GMT" {
		t.Errorf("%q", got)
	}
	// Whatever the location, the date is written in GMT, and agrees with
	// net/http's format over a spread of instants.
	est := time.FixedZone("EST", -5*3600)
	for sec := int64(-1e10); sec < 2e11; sec += 7777777 {
		tm := time.Unix(sec, 0).In(est)
		if got, want := string(AppendHTTPDate(nil, tm)), tm.UTC().Format(http.TimeFormat); got != want {
			t.Fatalf("%v: %q, want %q", tm, got, want)
		}
	}
}

func TestParseHTTPDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		// The three forms of RFC 9110 §5.6.7.
		{"Sun, 06 Nov 1994 08:49:37 GMT", rfcDate},
		{"Sunday, 06-Nov-94 08:49:37 GMT", rfcDate},
		{"Sun Nov  6 08:49:37 1994", rfcDate},
		{"Sun Nov 06 08:49:37 1994", rfcDate},
		{"Wednesday, 09-Sep-15 23:59:59 GMT", time.Date(2015, 9, 9, 23, 59, 59, 0, time.UTC)},
		{"Thursday, 01-Jan-70 00:00:00 GMT", time.Unix(0, 0).UTC()},
		{"Tue, 29 Feb 2000 12:00:00 GMT", time.Date(2000, 2, 29, 12, 0, 0, 0, time.UTC)},
		{"Wed, 31 Dec 2025 23:59:60 GMT", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		got, ok := ParseHTTPDate([]byte(c.in))
		if !ok || !got.Equal(c.want) {
			t.Errorf("ParseHTTPDate(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{
		"",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 gmt",
		"sun, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 8:49:37 GMT ",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 23:60:00 GMT",
		"Sun, 06 Nov 1994 23:59:61 GMT",
		"Sun, 31 Nov 1994 08:49:37 GMT",
		"Sun, 29 Feb 1900 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08-49-37 GMT",
		"Sun, 06 Nov +994 08:49:37 GMT",
		"Funday, 06-Nov-94 08:49:37 GMT",
		"Sunday, 06 Nov 94 08:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun Nov  6 08:49:37 94  ",
		"Sun Nov 6  08:49:37 1994",
		"Sun Nov  6 08:49:37 1994 GMT",
		"1994-11-06T08:49:37Z",
	} {
		if got, ok := ParseHTTPDate([]byte(bad)); ok {
			t.Errorf("ParseHTTPDate(%q) = %v, want failure", bad, got)
		}
	}
}

func TestParseHTTPDateRoundTrip(t *testing.T) {
	for sec := int64(0); sec < 4e9; sec += 9876543 {
		tm := time.Unix(sec, 0).UTC()
		got, ok := ParseHTTPDate(AppendHTTPDate(nil, tm))
		if !ok || !got.Equal(tm) {
			t.Fatalf("%v: %v %v", tm, got, ok)
		}
	}
}

func TestDateCache(t *testing.T) {
	var dc DateCache
	t0 := rfcDate.Add(300 * time.Millisecond)
	if got := string(dc.Append(nil, t0)); got != "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" {
		t.Fatalf("%q", got)
	}
	first := dc.line.Load()
	dc.Append(nil, t0.Add(600*time.Millisecond)) // same second: no rebuild
	if dc.line.Load() != first {
		t.Error("rebuilt within a second")
	}
	if got := string(dc.Append(nil, t0.Add(time.Second))); got != "Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n" {
		t.Errorf("%q", got)
	}
	second := dc.line.Load()
	// A lagging clock gets its own line and leaves the newer one cached.
	if got := string(dc.Append(nil, t0)); got != "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" {
		t.Errorf("%q", got)
	}
	if dc.line.Load() != second {
		t.Error("a lagging clock replaced the cached line")
	}
}

// TestDateCacheConcurrent has several loops share one cache across
// second boundaries; run it with -race.
func TestDateCacheConcurrent(t *testing.T) {
	var dc DateCache
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 64)
			for i := 0; i < 2000; i++ {
				now := rfcDate.Add(time.Duration(i) * 5 * time.Millisecond)
				buf = dc.Append(buf[:0], now)
				want := "Date: " + now.UTC().Format(http.TimeFormat) + "\r\n"
				if string(buf) != want {
					t.Errorf("%q, want %q", buf, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
