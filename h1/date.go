package h1

import (
	"sync/atomic"
	"time"
)

// The names of RFC 9110 §5.6.7 (case-sensitive), indexed like time.Weekday
// and time.Month-1.
var (
	dayNames     = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames   = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// httpDateLen is len("Sun, 06 Nov 1994 08:49:37 GMT").
const httpDateLen = 29

// AppendHTTPDate appends t as an IMF-fixdate (RFC 9110 §5.6.7), e.g.
// "Sun, 06 Nov 1994 08:49:37 GMT", in UTC whatever t's location. Years
// outside 0–9999 cannot be written in the format.
func AppendHTTPDate(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	dst = append(dst, dayNames[t.Weekday()]...)
	dst = append(dst, ", "...)
	dst = append2(dst, day)
	dst = append(dst, ' ')
	dst = append(dst, monthNames[month-1]...)
	dst = append(dst, ' ')
	dst = append2(append2(dst, year/100%100), year%100)
	dst = append(dst, ' ')
	dst = append2(dst, hour)
	dst = append(dst, ':')
	dst = append2(dst, minute)
	dst = append(dst, ':')
	dst = append2(dst, sec)
	return append(dst, " GMT"...)
}

// append2 appends v (0–99) as two digits.
func append2(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// DateCache hands out the "Date: <IMF-fixdate>\r\n" line that every
// response carries (RFC 9110 §6.6.1), formatting it at most once per
// second. Any number of loops may share one: the line is an immutable
// value behind an atomic pointer, replaced whole when the second changes.
// The zero value is ready to use.
type DateCache struct {
	line atomic.Pointer[dateLine]
}

// dateLine is the cached line for one second of Unix time.
type dateLine struct {
	sec  int64
	text [len("Date: \r\n") + httpDateLen]byte
}

// Append appends the Date line for now. It allocates only when now is in
// a later second than the cached line; a loop whose clock reading lags
// another's formats its own line instead of replacing a newer one.
func (c *DateCache) Append(dst []byte, now time.Time) []byte {
	sec := now.Unix()
	cached := c.line.Load()
	switch {
	case cached != nil && cached.sec == sec:
		return append(dst, cached.text[:]...)
	case cached != nil && sec < cached.sec:
		return appendDateLine(dst, now)
	}
	fresh := &dateLine{sec: sec}
	appendDateLine(fresh.text[:0], now)
	c.line.Store(fresh)
	return append(dst, fresh.text[:]...)
}

func appendDateLine(dst []byte, now time.Time) []byte {
	dst = append(dst, "Date: "...)
	dst = AppendHTTPDate(dst, now)
	return append(dst, "\r\n"...)
}
