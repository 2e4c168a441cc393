package h1

import "time"

// ParseHTTPDate parses an HTTP-date (RFC 9110 §5.6.7): the IMF-fixdate
// that senders must use, and the obsolete RFC 850 and asctime forms that
// recipients must accept. It does not allocate.
//
// The day name is checked for spelling, not against the date. An RFC 850
// two-digit year yy is read as 20yy when yy < 70, else as 19yy: the RFC's
// rule depends on the current date, and this package reads no clock;
// the two agree for every year up to 2069.
func ParseHTTPDate(b []byte) (time.Time, bool) {
	switch {
	case len(b) == httpDateLen && b[3] == ',':
		return parseIMFFixdate(b)
	case len(b) == len("Sun Nov  6 08:49:37 1994") && b[3] == ' ':
		return parseASCTime(b)
	}
	return parseRFC850(b)
}

// parseIMFFixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
func parseIMFFixdate(b []byte) (time.Time, bool) {
	if !oneOf(b[:3], dayNames[:]) || b[4] != ' ' || b[7] != ' ' || b[11] != ' ' || b[16] != ' ' ||
		string(b[25:]) != " GMT" {
		return time.Time{}, false
	}
	day, ok1 := digits(b[5:7])
	year, ok2 := digits(b[12:16])
	if !ok1 || !ok2 {
		return time.Time{}, false
	}
	return assemble(year, b[8:11], day, b[17:25])
}

// parseRFC850: "Sunday, 06-Nov-94 08:49:37 GMT".
func parseRFC850(b []byte) (time.Time, bool) {
	const rest = len(", 06-Nov-94 08:49:37 GMT")
	if len(b) <= rest || len(b) > rest+len("Wednesday") {
		return time.Time{}, false
	}
	n := len(b) - rest
	d := b[n:]
	if !oneOf(b[:n], longDayNames[:]) || d[0] != ',' || d[1] != ' ' || d[4] != '-' || d[8] != '-' ||
		d[11] != ' ' || string(d[20:]) != " GMT" {
		return time.Time{}, false
	}
	day, ok1 := digits(d[2:4])
	yy, ok2 := digits(d[9:11])
	if !ok1 || !ok2 {
		return time.Time{}, false
	}
	year := 1900 + yy
	if yy < 70 {
		year = 2000 + yy
	}
	return assemble(year, d[5:8], day, d[12:20])
}

// parseASCTime: "Sun Nov  6 08:49:37 1994" (the day is SP DIGIT or 2DIGIT).
func parseASCTime(b []byte) (time.Time, bool) {
	if !oneOf(b[:3], dayNames[:]) || b[7] != ' ' || b[10] != ' ' || b[19] != ' ' {
		return time.Time{}, false
	}
	dayField := b[8:10]
	if dayField[0] == ' ' {
		dayField = dayField[1:]
	}
	day, ok1 := digits(dayField)
	year, ok2 := digits(b[20:24])
	if !ok1 || !ok2 {
		return time.Time{}, false
	}
	return assemble(year, b[4:7], day, b[11:19])
}

// assemble checks the month name, day and "hh:mm:ss" and builds the time.
// A leap second (:60) is accepted and, as time.Date does, rolls over.
func assemble(year int, month []byte, day int, clock []byte) (time.Time, bool) {
	m := -1
	for i, name := range monthNames {
		if string(month) == name {
			m = i
		}
	}
	if m < 0 || clock[2] != ':' || clock[5] != ':' {
		return time.Time{}, false
	}
	hour, ok1 := digits(clock[0:2])
	minute, ok2 := digits(clock[3:5])
	sec, ok3 := digits(clock[6:8])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 60 ||
		day < 1 || day > daysIn(time.Month(m+1), year) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(m+1), day, hour, minute, sec, 0, time.UTC), true
}

// digits reads 1*DIGIT of at most 4 digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

func oneOf(b []byte, names []string) bool {
	for _, n := range names {
		if string(b) == n {
			return true
		}
	}
	return false
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
