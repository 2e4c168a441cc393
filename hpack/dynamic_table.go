package hpack

// dynamicTable is the HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of
// fields, indexed newest first, evicted oldest first, whose size (name +
// value + 32 per entry) stays within maxSize.
//
// Entry bytes (name then value) are written one after another into a byte
// ring. The live bytes always fit in the ring, so a write never reaches a
// live entry and eviction only forgets a descriptor: O(1). An entry that
// runs past the end of the ring is written whole into a mirror area that
// follows it, and its part beyond the end copied to the start of the ring
// where its successors continue: every entry stays one contiguous slice.
// Descriptors live in a power-of-two ring indexed by sequence number.
// Both rings grow on demand, so a table costs what its peer fills.
type dynamicTable struct {
	ring     []byte // ringSize bytes, then the mirror area of ringSize
	ringSize uint32
	head     uint32 // where the next entry's bytes go
	slots    []tableSlot
	added    uint64 // entries ever added: the next entry's sequence number
	count    uint32 // live entries, sequence numbers added-count .. added-1
	size     uint32 // RFC 7541 §4.1 size of the live entries
	maxSize  uint32
}

type tableSlot struct{ off, nameLen, valueLen uint32 }

func newDynamicTable(maxSize uint32) dynamicTable { return dynamicTable{maxSize: maxSize} }

// setMaxSize applies a maximum size (RFC 7541 §4.3), evicting as needed.
func (t *dynamicTable) setMaxSize(n uint32) {
	t.maxSize = n
	for t.size > n {
		t.evictOldest()
	}
}

// entry returns the r-th newest entry (r from 1); r must be in 1..count.
func (t *dynamicTable) entry(r uint32) (name, value []byte) {
	return t.bySeq(t.added - uint64(r))
}

// bySeq returns the entry with sequence number seq, which must be live.
func (t *dynamicTable) bySeq(seq uint64) (name, value []byte) {
	s := t.slots[seq&uint64(len(t.slots)-1)]
	b := t.ring[s.off : s.off+s.nameLen+s.valueLen]
	return b[:s.nameLen:s.nameLen], b[s.nameLen:]
}

// live reports whether seq names an entry still in the table.
func (t *dynamicTable) live(seq uint64) bool {
	return seq < t.added && seq >= t.added-uint64(t.count)
}

// add inserts name: value as the newest entry after evicting what it needs
// room for (RFC 7541 §4.4). An entry larger than the maximum empties the
// table and is not added. name and value must not alias the table.
func (t *dynamicTable) add(name, value []byte) {
	sz := fieldSize(len(name), len(value))
	if sz > uint64(t.maxSize) {
		for t.count > 0 {
			t.evictOldest()
		}
		return
	}
	for uint64(t.size)+sz > uint64(t.maxSize) {
		t.evictOldest()
	}
	n := uint32(len(name) + len(value))
	t.reserve(n)
	off := t.head
	copy(t.ring[off:], name)
	copy(t.ring[off+uint32(len(name)):], value)
	end := off + n
	if end > t.ringSize {
		copy(t.ring, t.ring[t.ringSize:end])
	}
	t.head = end % max(t.ringSize, 1)
	t.slots[t.added&uint64(len(t.slots)-1)] = tableSlot{off, uint32(len(name)), uint32(len(value))}
	t.added++
	t.count++
	t.size += uint32(sz)
}

func (t *dynamicTable) evictOldest() {
	s := t.slots[(t.added-uint64(t.count))&uint64(len(t.slots)-1)]
	t.size -= s.nameLen + s.valueLen + entryOverhead
	t.count--
}

// liveBytes is the ring space the live entries occupy.
func (t *dynamicTable) liveBytes() uint32 { return t.size - t.count*entryOverhead }

// reserve makes room for one more entry of n bytes, growing the rings
// (and compacting the live entries into the new ones) when they are full.
func (t *dynamicTable) reserve(n uint32) {
	if int(t.count) == len(t.slots) {
		t.regrow(t.ringSize, max(16, 2*len(t.slots)))
	}
	if need := t.liveBytes() + n; need > t.ringSize {
		// Entries cost 32 bytes more than their ring bytes, so the
		// ring never needs to exceed maxSize.
		t.regrow(min(max(need, 2*t.ringSize, 256), t.maxSize), len(t.slots))
	}
}

func (t *dynamicTable) regrow(ringSize uint32, slotCount int) {
	ring := make([]byte, 2*ringSize)
	slots := make([]tableSlot, slotCount)
	var off uint32
	for seq := t.added - uint64(t.count); seq < t.added; seq++ {
		name, value := t.bySeq(seq)
		copy(ring[off:], name)
		copy(ring[off+uint32(len(name)):], value)
		slots[seq&uint64(slotCount-1)] = tableSlot{off, uint32(len(name)), uint32(len(value))}
		off += uint32(len(name) + len(value))
	}
	t.ring, t.ringSize, t.slots = ring, ringSize, slots
	t.head = off % max(ringSize, 1)
}
