package h1

import "encoding/binary"

// The fast path. Nearly every head a server sees arrives whole, in one
// read, and is well formed. For such a head the incremental machinery
// (remembering offsets between calls, finding each line's LF before
// parsing it, screening the method as it trickles in) is pure overhead,
// so parseWhole parses a fresh head in a single pass: each scanning loop
// stops on the byte that ends its element, and that byte must be the one
// the grammar wants next. No line is searched for first, no byte is
// checked twice, and nothing is recorded for a next call.
//
// The fast path never decides that a head is malformed or incomplete: at
// the first thing it does not expect (a bad byte, a limit, the end of the
// buffer, an empty line before the request line) it gives up, and Parse
// starts over with the incremental parser, which gives every verdict. So
// whatever it accepts, the incremental parser accepts with the same
// result, and the verdicts cannot drift apart. Only interpret, which both
// paths share and which sees the same Request either way, may fail here.

// parseWhole parses the head at the start of buf into r if it is
// complete and well formed as far as its syntax goes. It returns the head
// length, or (0, *Error) for a verdict of interpret, or (0, nil) to leave
// the head to the incremental parser.
func parseWhole(buf []byte, lim *Limits, r *Request, hosts *hostMemo) (int, *Error) {
	// A head that fits MaxHeaderBytes ends inside this prefix; bytes past
	// it are never scanned, however long buf is. The capacity is clipped
	// too, so that no word read (see word) can reach past the length.
	n := min(len(buf), lim.MaxHeaderBytes)
	buf = buf[:n:n]
	r.Reset()
	i := wholeRequestLine(buf, lim.MaxRequestLine, r)
	if i == 0 {
		return 0, nil
	}
	n, r.Headers = wholeFields(buf, i, lim.MaxHeaders, r.Headers, &r.index)
	if n == 0 {
		return 0, nil
	}
	if err := r.interpret(*lim, hosts); err != nil {
		return 0, err
	}
	return n, nil
}

// wholeRequestLine parses the request line at the start of buf into r
// and returns the offset of the next line, or 0 to give up.
func wholeRequestLine(buf []byte, maxLine int, r *Request) int {
	m, method := 3, MethodGET
	if len(buf) < 4 || binary.LittleEndian.Uint32(buf) != getSP {
		if m, method = wholeMethod(buf); m == 0 {
			return 0
		}
	}
	t := m + 1
	n, q := targetLen(buf[t:])
	e := t + n
	// The target ends at a SP, and "HTTP/1.x" and at least an LF follow.
	if n == 0 || e > len(buf)-10 || buf[e] != ' ' {
		return 0
	}
	minor, ok := wholeVersion(word(buf, e+1))
	end := e + 9 // the line's length, without its terminator
	next := lineEnd(buf, end)
	if !ok || next == 0 || end > maxLine {
		return 0
	}
	target := buf[t:e]
	if target[0] == '/' && method != MethodCONNECT {
		// The origin-form of nearly every request, split as parseTarget
		// would, at the '?' that targetLen found.
		r.Path = target
		if q >= 0 {
			r.Path, r.Query = target[:q], target[q+1:]
		}
	} else if !wholeTarget(target, method, r) {
		return 0
	}
	r.Method, r.MethodName, r.Target = method, buf[:m], target
	r.Major, r.Minor = 1, minor
	return next
}

// wholeTarget sets the parts of a target other than origin-form in r.
func wholeTarget(target []byte, method Method, r *Request) bool {
	var parts targetParts
	if parseTarget(target, method, &parts) != nil {
		return false
	}
	r.Path = parts.path.of(target)
	r.Query = parts.query.of(target)
	r.Authority = parts.authority.of(target)
	return true
}

// getSP is "GET " read as a little-endian word: the method of most
// requests, recognized with one comparison.
const getSP = 'G' | 'E'<<8 | 'T'<<16 | ' '<<24

// wholeMethod returns the length of the method at the start of buf, which
// a SP follows, and its Method; 0 if there is no such method.
func wholeMethod(buf []byte) (int, Method) {
	m := 0
	for m < len(buf) && class[buf[m]]&classToken != 0 {
		m++
	}
	if m == 0 || m == len(buf) || buf[m] != ' ' {
		return 0, MethodOther
	}
	return m, parseMethod(buf[:m])
}

// httpMajor1 is "HTTP/1." read as the low seven bytes of a little-endian
// word.
const httpMajor1 = 'H' | 'T'<<8 | 'T'<<16 | 'P'<<24 | '/'<<32 | '1'<<40 | '.'<<48

// wholeVersion reads "HTTP/1." DIGIT from the word v.
func wholeVersion(v uint64) (minor uint8, ok bool) {
	d := byte(v >> 56)
	if v&(1<<56-1) != httpMajor1 || !isDigit(d) {
		return 0, false
	}
	return min(d-'0', 1), true
}

// lineEnd returns the offset after the CRLF or bare LF at buf[i], or 0 if
// buf[i] starts neither (or buf ends first).
func lineEnd(buf []byte, i int) int {
	switch {
	case i >= len(buf):
	case buf[i] == '\n':
		return i + 1
	case buf[i] == '\r' && i+1 < len(buf) && buf[i+1] == '\n':
		return i + 2
	}
	return 0
}

// wholeFields parses the field lines from buf[i:] and the empty line
// after them, appending to hs and indexing in x, and returns the head
// length, or 0 to give up, and hs.
func wholeFields(buf []byte, i, maxHeaders int, hs []Header, x *fieldIndex) (int, []Header) {
	for {
		i, hs = fastLines(buf, i, hs[:len(hs):min(cap(hs), maxHeaders)], x)
		if i >= len(buf) {
			return 0, hs
		}
		if c := buf[i]; c == '\r' || c == '\n' {
			return lineEnd(buf, i), hs
		}
		if len(hs) == maxHeaders {
			return 0, hs
		}
		if i, hs = wholeLine(buf, i, hs, x); i == 0 {
			return 0, hs
		}
	}
}

// fastLines parses the field lines from buf[i:], appending to hs and
// indexing in x, for as long as each line is a simple one and hs has
// room: a name and its colon, then a value ended by CRLF, each found
// within whole words of buf. It returns the offset of the first line it
// leaves (the empty line, or one for wholeLine), and hs.
//
// For a known name the loop calls no function, not even to grow hs: a
// call would make the compiler keep the offsets in memory rather than in
// registers. That is also why the rarer cases are left to wholeLine.
func fastLines(buf []byte, i int, hs []Header, x *fieldIndex) (int, []Header) {
	for len(hs) < cap(hs) && i < len(buf) {
		colon := colonIndex(buf, i)
		if colon >= len(buf) || buf[colon] != ':' || colon == i {
			break
		}
		// The words that colonIndex read hold the whole name, so it can
		// be matched with its one candidate in place. A known name
		// matches its spelling, so its bytes are tchars: only other
		// names need the table.
		id := HeaderUnknown
		if w := &slotWords[nameHash(colon-i, buf[i], buf[colon-1])]; w.n == colon-i && w.match(buf, i) {
			id = w.id
		} else if !isToken(buf[i:colon]) {
			break
		}
		// The entry is filled as soon as each part is known, which frees
		// registers for the value's scan; it counts only once the line
		// is known to be a simple one.
		h := &hs[:len(hs)+1][len(hs)]
		h.ID, h.Name = id, buf[i:colon]
		v := colon + 1
		end := stopIndex(buf, v, ' ')
		if end >= len(buf)-1 || buf[end] != '\r' || buf[end+1] != '\n' {
			break
		}
		i = end + 2
		v, end = trimSpan(buf, v, end)
		h.Value = buf[v:end]
		hs = hs[:len(hs)+1]
		x.add(h.ID, len(hs)-1)
	}
	return i, hs
}

// wholeLine parses the field line at buf[i:], one that fastLines left,
// appending to hs and indexing in x. It returns the offset of the next
// line, or 0 to give up, and hs.
func wholeLine(buf []byte, i int, hs []Header, x *fieldIndex) (int, []Header) {
	colon := indexColon(buf, i)
	if colon <= i {
		return 0, hs
	}
	id := lookupNameAt(buf, i, colon)
	if id == HeaderUnknown && !isToken(buf[i:colon]) {
		return 0, hs
	}
	v := colon + 1
	end := v + valueLen(buf[v:])
	next := lineEnd(buf, end)
	if next == 0 {
		return 0, hs
	}
	v, end = trimSpan(buf, v, end)
	hs = append(hs, Header{ID: id, Name: buf[i:colon], Value: buf[v:end]})
	x.add(id, len(hs)-1)
	return next, hs
}

// trimSpan drops optional whitespace from both ends of buf[start:end],
// as trimOWS does, and returns the bounds left.
func trimSpan(buf []byte, start, end int) (int, int) {
	for start < end && isOWS(buf[start]) {
		start++
	}
	for end > start && isOWS(buf[end-1]) {
		end--
	}
	return start, end
}
