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

func nameHash(n int, first, last byte) uint {
	return (uint(n)*21 + uint(lower[first])*19 + uint(lower[last])*11) % headerHashSize
}

func buildHeaderHash() (h [headerHashSize]HeaderID, low [numHeaderIDs]string, minLen, maxLen int) {
	minLen = 1 << 30
	for id := HeaderHost; id < numHeaderIDs; id++ {
		name := headerNames[id]
		b := []byte(name)
		for i, c := range b {
			b[i] = lower[c]
		}
		low[id] = string(b)
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
