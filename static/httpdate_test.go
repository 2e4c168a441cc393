package static

import (
	"net/http"
	"testing"
	"time"
)

func TestAppendHTTPDate(t *testing.T) {
	times := []time.Time{
		time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC),
		time.Date(2026, 2, 28, 23, 59, 59, 999999999, time.FixedZone("X", -7*3600)),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0),
	}
	for _, tm := range times {
		got := string(AppendHTTPDate(nil, tm))
		if want := tm.UTC().Format(http.TimeFormat); got != want {
			t.Errorf("AppendHTTPDate(%v) = %q, want %q", tm, got, want)
		}
	}
	dst := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { dst = AppendHTTPDate(dst[:0], times[1]) }); n != 0 {
		t.Errorf("AppendHTTPDate allocates %v times", n)
	}
}

func TestParseHTTPDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	good := []string{
		"Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
		"Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
		"Sun Nov  6 08:49:37 1994",       // asctime
		"Sun Nov 06 08:49:37 1994",       // asctime, zero-padded day
		" Sun, 06 Nov 1994 08:49:37 GMT ",
		"Mon, 06 Nov 1994 08:49:37 GMT", // wrong weekday is tolerated
		"Wednesday, 06-Nov-94 08:49:37 GMT",
	}
	for _, s := range good {
		got, ok := ParseHTTPDate([]byte(s))
		if !ok || !got.Equal(want) {
			t.Errorf("ParseHTTPDate(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	bad := []string{
		"",
		"garbage",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 +0000",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nox 1994 08:49:37 GMT",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"Sun, 31 Feb 1994 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 1994 08-49-37 GMT",
		"Sun, 06 Nov 19x4 08:49:37 GMT",
		"Sun, 06-Nov-1994 08:49:37 GMT",
		"Sunday, 06 Nov 94 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 UTC",
		"Sun Nov  6 08:49:37 94",
		"Sun Nov 6 08:49:37 1994",
		"Sun Nov  6 08:49:37 1994 GMT",
		"1994-11-06T08:49:37Z",
		"Sunday,06-Nov-94 08:49:37 GMT!",
	}
	for _, s := range bad {
		if got, ok := ParseHTTPDate([]byte(s)); ok {
			t.Errorf("ParseHTTPDate(%q) = %v, want failure", s, got)
		}
	}
	if got, ok := ParseHTTPDate([]byte("Tue, 30 Jun 2015 23:59:60 GMT")); !ok || got.Second() != 59 {
		t.Errorf("leap second: %v, %v", got, ok)
	}
	b := []byte("Sunday, 06-Nov-94 08:49:37 GMT")
	if n := testing.AllocsPerRun(100, func() { ParseHTTPDate(b) }); n != 0 {
		t.Errorf("ParseHTTPDate allocates %v times", n)
	}
}

func TestExpandYear(t *testing.T) {
	cases := []struct{ yy, now, want int }{
		{94, 2026, 1994},
		{26, 2026, 2026},
		{76, 2026, 2076},
		{77, 2026, 1977},
		{0, 2099, 2100},
		{99, 2001, 1999},
	}
	for _, tc := range cases {
		if got := expandYear(tc.yy, tc.now); got != tc.want {
			t.Errorf("expandYear(%d, %d) = %d, want %d", tc.yy, tc.now, got, tc.want)
		}
	}
}
