package hpack

import (
	"hash/maphash"
	"math/bits"
)

// tableIndex finds entries of the encoder's dynamic table by name and
// value, or by name alone, without allocating. Each bucket remembers the
// newest entry that hashed there, which answers nearly every lookup in
// O(1); a candidate is checked against the table before use, and when a
// collision overwrote the bucket the table (at most 128 entries) is
// searched, so that the output does not depend on the hash seed.
type tableIndex struct {
	fields [indexBuckets]uint64 // 1 + sequence number; 0 is empty
	names  [indexBuckets]uint64
}

// indexBuckets is twice the entries a 4096-octet table can hold.
const indexBuckets = 2 * defaultTableSize / entryOverhead

// fieldHashes hash a name, and a name with its value.
type fieldHashes struct{ name, field uint64 }

// hashSeed keys maphash, the runtime's string hash: fast on long values
// (it takes 8 or 16 octets a step) and, with a random seed, hard for a
// peer to aim collisions at (which would only cost compression).
var hashSeed = maphash.MakeSeed()

func hashField(name, value string) fieldHashes {
	n := maphash.String(hashSeed, name)
	return fieldHashes{n, bits.RotateLeft64(n, 31) ^ maphash.String(hashSeed, value)}
}

// record notes that the newest entry of t has hashes h.
func (x *tableIndex) record(t *dynamicTable, h fieldHashes) {
	x.fields[h.field%indexBuckets] = t.added
	x.names[h.name%indexBuckets] = t.added
}

// findField returns the HPACK index of name: value in t, or 0.
func (x *tableIndex) findField(t *dynamicTable, h fieldHashes, name, value string) int {
	if seq, ok := x.candidate(t, x.fields[h.field%indexBuckets]); ok {
		if n, v := t.bySeq(seq); string(n) == name && string(v) == value {
			return dynamicIndex(t, seq)
		}
	}
	for seq := t.added; seq > t.added-uint64(t.count); {
		seq--
		if n, v := t.bySeq(seq); string(n) == name && string(v) == value {
			return dynamicIndex(t, seq)
		}
	}
	return 0
}

// findName returns the HPACK index of an entry of t named name, or 0.
func (x *tableIndex) findName(t *dynamicTable, h fieldHashes, name string) int {
	if seq, ok := x.candidate(t, x.names[h.name%indexBuckets]); ok {
		if n, _ := t.bySeq(seq); string(n) == name {
			return dynamicIndex(t, seq)
		}
	}
	for seq := t.added; seq > t.added-uint64(t.count); {
		seq--
		if n, _ := t.bySeq(seq); string(n) == name {
			return dynamicIndex(t, seq)
		}
	}
	return 0
}

func (x *tableIndex) candidate(t *dynamicTable, bucket uint64) (uint64, bool) {
	if bucket == 0 || !t.live(bucket-1) {
		return 0, false
	}
	return bucket - 1, true
}

// dynamicIndex is the HPACK index of the live entry seq: the newest entry
// follows the static table.
func dynamicIndex(t *dynamicTable, seq uint64) int {
	return len(staticTable) + int(t.added-seq)
}
