package static

import (
	"strconv"
	"time"
)

// AppendETag appends the entity-tag of a file of the given size and
// modification time, quoted: "\"<mtime ns hex>-<size hex>\"".
//
// It is a strong validator: two different contents get different tags
// unless a file is rewritten with the same size within the same
// nanosecond timestamp. Unlike inode-based tags it is stable across
// replicas that copy files with their times, and it needs no reading.
func AppendETag(dst []byte, size int64, mtime time.Time) []byte {
	dst = append(dst, '"')
	dst = strconv.AppendUint(dst, uint64(mtime.UnixNano()), 16)
	dst = append(dst, '-')
	dst = strconv.AppendUint(dst, uint64(size), 16)
	return append(dst, '"')
}

// splitETag separates an entity-tag into its weakness and its opaque-tag
// (the quoted part, quotes included).
func splitETag(tag []byte) (opaque []byte, weak bool) {
	if len(tag) >= 2 && tag[0] == 'W' && tag[1] == '/' {
		return tag[2:], true
	}
	return tag, false
}

// etagList walks a comma-separated list of entity-tags (RFC 9110 §8.8.3:
// 1#entity-tag, with optional whitespace and empty elements). It is a
// small scanner rather than a callback so matching never allocates.
type etagList struct{ rest []byte }

// next returns the next entity-tag. ok is false at the end of the list
// and when the rest of the list is malformed, which ends the walk: a
// garbled validator cannot be trusted to match anything.
func (l *etagList) next() (tag []byte, ok bool) {
	s := trimLeftOWSAndCommas(l.rest)
	if len(s) == 0 {
		l.rest = nil
		return nil, false
	}
	start := s
	if len(s) >= 2 && s[0] == 'W' && s[1] == '/' {
		s = s[2:]
	}
	if len(s) < 2 || s[0] != '"' {
		l.rest = nil
		return nil, false
	}
	end := 1
	for end < len(s) && s[end] != '"' {
		end++
	}
	if end == len(s) {
		l.rest = nil
		return nil, false
	}
	tag = start[:len(start)-len(s)+end+1]
	s = trimLeftOWS(s[end+1:])
	if len(s) > 0 && s[0] != ',' {
		l.rest = nil
		return nil, false
	}
	l.rest = s
	return tag, true
}

// matchETags reports whether the If-Match / If-None-Match value list
// matches etag, the current representation's tag. "*" matches any existing
// representation. Strong comparison requires both tags to be strong and
// equal; weak comparison only compares the opaque-tags (RFC 9110 §8.8.3.2).
func matchETags(list, etag []byte, strong bool) bool {
	if string(trimOWS(list)) == "*" {
		return true
	}
	cur, curWeak := splitETag(etag)
	if len(cur) == 0 || (strong && curWeak) {
		return false
	}
	l := etagList{rest: list}
	for {
		tag, ok := l.next()
		if !ok {
			return false
		}
		opaque, weak := splitETag(tag)
		if string(opaque) == string(cur) && !(strong && weak) {
			return true
		}
	}
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' }

func trimLeftOWS(s []byte) []byte {
	for len(s) > 0 && isOWS(s[0]) {
		s = s[1:]
	}
	return s
}

func trimLeftOWSAndCommas(s []byte) []byte {
	for len(s) > 0 && (isOWS(s[0]) || s[0] == ',') {
		s = s[1:]
	}
	return s
}

func trimOWS(s []byte) []byte {
	s = trimLeftOWS(s)
	for len(s) > 0 && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
