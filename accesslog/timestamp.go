package accesslog

import "time"

// stampLen is the length of "[02/Jan/2006:15:04:05 -0700]".
const stampLen = 28

// timestamp caches the formatted time of the current second: a busy loop
// logs thousands of lines per second with the same stamp.
type timestamp struct {
	sec int64
	loc *time.Location
	buf [stampLen]byte
}

var monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// format returns the bracketed Common Log Format time of t, in t's own
// location. The result aliases the cache and is valid until the next call.
func (s *timestamp) format(t time.Time) []byte {
	sec, loc := t.Unix(), t.Location()
	if sec == s.sec && loc == s.loc {
		return s.buf[:]
	}
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	_, offset := t.Zone()
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	b := append(s.buf[:0], '[')
	b = append2(b, day)
	b = append(b, '/')
	b = append(b, monthNames[month-1]...)
	b = append(b, '/')
	b = append2(b, year/100%100)
	b = append2(b, year%100)
	b = append(b, ':')
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	b = append2(b, second)
	b = append(b, ' ', sign)
	b = append2(b, offset/3600)
	b = append2(b, offset/60%60)
	b = append(b, ']')
	s.sec, s.loc = sec, loc
	return b
}

// append2 appends n (0..99) as two digits.
func append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}
