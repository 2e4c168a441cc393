package h1

// LookupHeader returns the ID of a field name, ignoring ASCII case, or
// HeaderUnknown. It does not allocate.
//
// The known names are told apart by a perfect hash of their length, first
// and last letters (found offline; TestHeaderHashPerfect guards it), so a
// lookup is one table load and one comparison with a single candidate.
func LookupHeader(name []byte) HeaderID { return lookupHeader(name) }

// lookupHeaderString is LookupHeader for a string, without converting it.
func lookupHeaderString(name string) HeaderID { return lookupHeader(name) }

const headerHashSize = 128

// headerHash maps nameHash of each known name to its ID; unused slots
// hold HeaderUnknown.
var headerHash, lowerNames, minNameLen, maxNameLen = buildHeaderHash()

// nameHash hashes a name by its length and its first and last bytes with
// the case bit set: every known name begins and ends with a letter (see
// buildHeaderHash), which |0x20 turns to lower case; any other byte leads
// to some slot whose name it cannot match.
func nameHash(n int, first, last byte) uint {
	return (uint(n)*21 + uint(first|0x20)*19 + uint(last|0x20)*11) % headerHashSize
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func buildHeaderHash() (h [headerHashSize]HeaderID, low [numHeaderIDs]string, minLen, maxLen int) {
	minLen = 1 << 30
	for id := HeaderHost; id < numHeaderIDs; id++ {
		name := headerNames[id]
		b := []byte(name)
		for i, c := range b {
			b[i] = lower[c]
		}
		low[id] = string(b)
		if !isLetter(name[0]) || !isLetter(name[len(name)-1]) {
			panic("h1: header name " + name + " does not begin and end with a letter")
		}
		slot := nameHash(len(name), name[0], name[len(name)-1])
		if h[slot] != HeaderUnknown {
			panic("h1: header hash collision between " + name + " and " + headerNames[h[slot]])
		}
		h[slot] = id
		minLen = min(minLen, len(name))
		maxLen = max(maxLen, len(name))
	}
	return h, low, minLen, maxLen
}

func lookupHeader[T string | []byte](name T) HeaderID {
	n := len(name)
	if n < minNameLen || n > maxNameLen {
		return HeaderUnknown
	}
	id := headerHash[nameHash(n, name[0], name[n-1])]
	// Most senders spell names canonically: one memory compare settles it.
	if string(name) == headerNames[id] || equalFold(name, lowerNames[id]) {
		return id
	}
	return HeaderUnknown
}

// nameWords is a known name as three little-endian words, for the fast
// path's lookups (fastLines, lookupNameAt): lower holds its lower-case spelling, fold has 0x20 in the
// byte of each letter and keep has 0xFF in each byte of the name. The
// bytes of a word x lie within a name that matches when
// (x|fold^lower)&keep == 0: a letter may come in either case, every
// other byte must be exact, and bytes past the name do not count.
type nameWords struct {
	lower, fold, keep [3]uint64
	n                 int // the name's length
	id                HeaderID
}

// slotWords is headerHash with the words of each name beside its ID, so
// that a lookup loads one entry.
var slotWords = func() (t [headerHashSize]nameWords) {
	for slot, id := range headerHash {
		if id == HeaderUnknown {
			continue
		}
		w := &t[slot]
		w.n, w.id = len(lowerNames[id]), id
		for i := 0; i < w.n; i++ {
			c, shift := lowerNames[id][i], 8*(i%8)
			w.lower[i/8] |= uint64(c) << shift
			w.keep[i/8] |= 0xff << shift
			if c >= 'a' && c <= 'z' {
				w.fold[i/8] |= 0x20 << shift
			}
		}
	}
	return t
}()

// lookupNameAt is LookupHeader(buf[start:end]) for the parser's fast
// path: where buf has room for the whole words that cover the name, they
// are compared with those of the one candidate (see nameAt).
func lookupNameAt(buf []byte, start, end int) HeaderID {
	n := end - start
	if start > len(buf)-(n+7)&^7 {
		return lookupHeader(buf[start:end])
	}
	return nameAt(buf, start, n)
}

// nameAt is the ID of the n-byte name at buf[start:], which must have room
// for the whole words that cover it: the name is compared a word at a
// time with the one candidate, and the bytes read past it are masked off.
func nameAt(buf []byte, start, n int) HeaderID {
	w := &slotWords[nameHash(n, buf[start], buf[start+n-1])]
	if w.n != n || !w.match(buf, start) {
		return HeaderUnknown
	}
	return w.id
}

// match reports whether the words at buf[start:] match w, for a name of
// w's length.
func (w *nameWords) match(buf []byte, start int) bool {
	d := uint64(0)
	for k := 0; k < len(w.keep) && w.keep[k] != 0; k++ {
		d |= (word(buf, start+8*k) | w.fold[k] ^ w.lower[k]) & w.keep[k]
	}
	return d == 0
}
