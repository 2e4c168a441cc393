package h1

import "bytes"

// headScan is the resumable part of parsing a head, shared by the request
// and response parsers. A head is parsed line by line; between calls the
// scan remembers which lines are done and how far the search for the
// current line's LF got, so no byte is searched or checked twice however
// the head is split.
type headScan struct {
	started  bool  // a head is in progress
	inFields bool  // the start line is done
	line     int   // offset of the current line's first byte
	searched int   // buf[line:searched] holds no LF
	base     *byte // &buf[0] at the last call, to notice a moved buffer
	baseCap  int   // cap(buf) at the last call
}

// begin reports whether buf starts a new head: none is in progress, or
// the caller broke the contract by shrinking buf, in which case starting
// over is the only safe reading.
func (s *headScan) begin(buf []byte) bool {
	if s.started && len(buf) >= s.searched && len(buf) >= s.line {
		return false
	}
	*s = headScan{started: true}
	return true
}

// track notices a buffer that was reallocated (or re-capped) since the
// last call: it returns the old capacity, for rebase, and whether the
// fields parsed so far must be re-pointed.
func (s *headScan) track(buf []byte) (oldCap int, moved bool) {
	if len(buf) == 0 {
		return 0, false
	}
	b := &buf[0]
	oldCap, moved = s.baseCap, s.base != nil && (s.base != b || s.baseCap != cap(buf))
	s.base, s.baseCap = b, cap(buf)
	return oldCap, moved
}

// nextLine finds the LF that ends the current line. It returns its index,
// or -1 while buf does not hold it yet. The LF may not lie past deadline:
// over is true as soon as buf shows that it does not, so a peer cannot
// make the search run past the limit.
func (s *headScan) nextLine(buf []byte, deadline int) (lf int, over bool) {
	from := max(s.line, s.searched)
	end := min(len(buf), deadline+1)
	if from < end {
		if i := bytes.IndexByte(buf[from:end], '\n'); i >= 0 {
			return from + i, false
		}
	}
	if len(buf) > deadline {
		return -1, true
	}
	s.searched = max(from, end)
	return -1, false
}

// lineBefore returns the current line up to the LF at lf, without a CR
// just before it: RFC 9112 §2.2 lets a recipient accept a bare LF as a
// line terminator. Any other CR stays in the line and is rejected there.
func (s *headScan) lineBefore(buf []byte, lf int) []byte {
	line := buf[s.line:lf]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}

// fields parses field lines up to and including the empty line that ends
// the head, adding them to headers through x. It returns the head length
// once the empty line is in buf, or 0 to wait for more.
func (s *headScan) fields(buf []byte, lim Limits, headers *[]Header, x *fieldIndex) (int, *Error) {
	for {
		lf, over := s.nextLine(buf, lim.MaxHeaderBytes-1)
		if over {
			return 0, ErrHeadTooLarge
		}
		if lf < 0 {
			return 0, nil
		}
		line := s.lineBefore(buf, lf)
		s.line = lf + 1
		if len(line) == 0 {
			return s.line, nil
		}
		if len(*headers) >= lim.MaxHeaders {
			return 0, ErrTooManyHeaders
		}
		// Parsed in place: a Header is 56 bytes, worth not copying.
		i := len(*headers)
		*headers = append(*headers, Header{})
		if err := parseFieldLine(line, &(*headers)[i]); err != nil {
			return 0, err
		}
		x.index(*headers, i)
	}
}
