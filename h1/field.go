package h1

// Header is one field line of a head. Name and Value alias the parsed
// buffer.
type Header struct {
	ID    HeaderID // HeaderUnknown for names outside the table
	Name  []byte   // as sent
	Value []byte   // without leading and trailing whitespace; empty, never nil
}

// parseFieldLine parses one field line, given without its line terminator
// (RFC 9112 §5: field-name ":" OWS field-value OWS), into h. The error
// checks sit after the scanning loops, on the byte that stopped them, so a
// valid line costs one table test per byte (or less, see scanClass).
func parseFieldLine(line []byte, h *Header) *Error {
	if isOWS(line[0]) { // the caller has handled the empty line
		return ErrObsFold
	}
	i := 0
	for i < len(line) && class[line[i]]&classToken != 0 {
		i++
	}
	if i == len(line) {
		return ErrNoColon
	}
	switch c := line[i]; {
	case c == ':' && i == 0:
		return ErrEmptyFieldName
	case c == ':':
	case isOWS(c):
		return ErrSpaceBeforeColon
	case c == '\r':
		return ErrBareCR
	default:
		return ErrBadFieldName
	}
	value, err := fieldValue(line[i+1:])
	if err != nil {
		return err
	}
	h.ID, h.Name, h.Value = LookupHeader(line[:i]), line[:i], value
	return nil
}

// fieldValue checks the bytes after a colon and returns them without
// surrounding whitespace.
func fieldValue(v []byte) ([]byte, *Error) {
	i := scanClass(v, classValue, ' ')
	if i < len(v) {
		if v[i] == '\r' {
			return nil, ErrBareCR
		}
		return nil, ErrBadFieldValue
	}
	return trimOWS(v), nil
}

// fieldIndex holds which IDs are present, and which more than once, so
// that interpret need not visit the fields when none of those it acts on
// is present; and, per HeaderID present, the position of the first field
// with that ID, so that Get is O(1). Only the masks need clearing: an
// entry of first counts only while its bit of seen is set.
type fieldIndex struct {
	seen, repeated uint64     // bit id
	first          [64]uint16 // by id&63, which needs no bounds check
}

// The masks hold a bit per HeaderID.
var _ [64 - numHeaderIDs]struct{}

// add records that headers[i], with id, has just been added.
func (x *fieldIndex) add(id HeaderID, i int) {
	if id == HeaderUnknown {
		return
	}
	bit := uint64(1) << (id & 63)
	if x.seen&bit != 0 {
		x.repeated |= bit
		return
	}
	x.seen |= bit
	x.first[id&63] = uint16(i)
}

// reset forgets every field.
func (x *fieldIndex) reset() { x.seen, x.repeated = 0, 0 }

// index records that headers[i] has just been added.
func (x *fieldIndex) index(headers []Header, i int) { x.add(headers[i].ID, i) }

// get returns the value of the first field with a known id, or nil.
func (x *fieldIndex) get(headers []Header, id HeaderID) []byte {
	if id >= numHeaderIDs || x.seen&(1<<id) == 0 {
		return nil
	}
	return headers[x.first[id]].Value
}

// getName returns the value of the first field called name, ignoring
// case, or nil.
func (x *fieldIndex) getName(headers []Header, name string) []byte {
	if id := lookupHeaderString(name); id != HeaderUnknown {
		return x.get(headers, id)
	}
	for i := range headers {
		if h := &headers[i]; h.ID == HeaderUnknown && sameName(h.Name, name) {
			return h.Value
		}
	}
	return nil
}

// sameName compares field names ignoring ASCII case.
func sameName(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lower[a[i]] != lower[b[i]] {
			return false
		}
	}
	return true
}

// rebase re-points headers, parsed from a buffer whose capacity was
// oldCap, into buf, which holds the same bytes at the same offsets (the
// caller's buffer was reallocated between two calls of an incremental
// parse). A slice s = old[i:j] has cap(s) == oldCap-i, which gives i back
// without keeping the old buffer's address.
func rebase(headers []Header, buf []byte, oldCap int) {
	for i := range headers {
		h := &headers[i]
		h.Name = moved(h.Name, buf, oldCap)
		h.Value = moved(h.Value, buf, oldCap)
	}
}

func moved(s, buf []byte, oldCap int) []byte {
	off := oldCap - cap(s)
	return buf[off : off+len(s)]
}
