package static

import "time"

// HTTP dates (RFC 9110 §5.6.7). Servers send only IMF-fixdate; recipients
// must also accept the two obsolete forms, which old clients and caches
// still echo back in conditional headers:
//
//	IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
//	RFC 850      Sunday, 06-Nov-94 08:49:37 GMT
//	asctime      Sun Nov  6 08:49:37 1994
//
// The formatter and parser are written out here because time.Parse
// allocates on errors and time.Format needs a layout string walk per call;
// these run on every conditional request.

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

var monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// AppendHTTPDate appends t as an IMF-fixdate, in UTC ("GMT" in HTTP).
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
	dst = append2(dst, year/100)
	dst = append2(dst, year%100)
	dst = append(dst, ' ')
	dst = append2(dst, hour)
	dst = append(dst, ':')
	dst = append2(dst, minute)
	dst = append(dst, ':')
	dst = append2(dst, sec)
	return append(dst, " GMT"...)
}

// append2 appends n as two decimal digits (n in 0..99).
func append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

// ParseHTTPDate parses an HTTP date in any of the three forms and reports
// whether it was one. The result is in UTC. Weekday names are not checked
// against the date: they carry no information and a mismatch is harmless.
func ParseHTTPDate(b []byte) (time.Time, bool) {
	b = trimOWS(b)
	switch {
	case len(b) == len("Sun, 06 Nov 1994 08:49:37 GMT") && b[3] == ',':
		return parseDate(b[5:], 2, ' ', 4, " GMT")
	case len(b) == len("Sun Nov  6 08:49:37 1994") && b[3] == ' ':
		return parseAsctime(b[4:])
	}
	// RFC 850: a full weekday name, then ", 06-Nov-94 08:49:37 GMT".
	for i := 6; i <= 9 && i < len(b); i++ {
		if b[i] == ',' {
			if len(b)-i != len(", 06-Nov-94 08:49:37 GMT") || b[i+1] != ' ' {
				return time.Time{}, false
			}
			return parseDate(b[i+2:], 2, '-', 2, " GMT")
		}
	}
	return time.Time{}, false
}

// parseDate parses "DD<sep>Mon<sep>YY[YY] HH:MM:SS<zone>", the shared tail
// of IMF-fixdate and RFC 850 dates.
func parseDate(b []byte, dayDigits int, sep byte, yearDigits int, zone string) (time.Time, bool) {
	day, ok1 := digits(b[:dayDigits])
	b = b[dayDigits:]
	if len(b) != 1+3+1+yearDigits+1+8+len(zone) || b[0] != sep || b[4] != sep {
		return time.Time{}, false
	}
	month, ok2 := monthByName(b[1:4])
	year, ok3 := digits(b[5 : 5+yearDigits])
	b = b[5+yearDigits:]
	if b[0] != ' ' || string(b[9:]) != zone || !(ok1 && ok2 && ok3) {
		return time.Time{}, false
	}
	if yearDigits == 2 {
		year = expandYear(year, time.Now().Year())
	}
	return makeDate(year, month, day, b[1:9])
}

// parseAsctime parses asctime's "Nov  6 08:49:37 1994" (day padded with a
// space, not a zero).
func parseAsctime(b []byte) (time.Time, bool) {
	month, ok1 := monthByName(b[:3])
	if b[3] != ' ' || b[6] != ' ' || b[15] != ' ' {
		return time.Time{}, false
	}
	dayField := b[4:6]
	if dayField[0] == ' ' {
		dayField = dayField[1:]
	}
	day, ok2 := digits(dayField)
	year, ok3 := digits(b[16:20])
	if !(ok1 && ok2 && ok3) {
		return time.Time{}, false
	}
	return makeDate(year, month, day, b[7:15])
}

// makeDate validates the fields and builds the time from "HH:MM:SS".
// Out-of-range fields are refused rather than normalized, so "31 Feb"
// is not silently read as early March.
func makeDate(year int, month time.Month, day int, clock []byte) (time.Time, bool) {
	if clock[2] != ':' || clock[5] != ':' {
		return time.Time{}, false
	}
	hour, ok1 := digits(clock[0:2])
	minute, ok2 := digits(clock[3:5])
	sec, ok3 := digits(clock[6:8])
	if !(ok1 && ok2 && ok3) || hour > 23 || minute > 59 || sec > 60 || day < 1 {
		return time.Time{}, false
	}
	if sec == 60 {
		// A leap second; time.Time has none, so use the last
		// representable instant of that minute.
		sec = 59
	}
	t := time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}

// expandYear turns a two-digit RFC 850 year into a full one as RFC 9110
// §5.6.7 requires: a year that would be more than 50 years in the future
// is the most recent past year with those digits.
func expandYear(yy, thisYear int) int {
	year := thisYear/100*100 + yy
	switch {
	case year > thisYear+50:
		year -= 100
	case year+100 <= thisYear+50:
		year += 100
	}
	return year
}

func monthByName(b []byte) (time.Month, bool) {
	for i, name := range monthNames {
		if string(b) == name {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

// digits parses a short run of ASCII digits; false if empty or not digits.
func digits(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
