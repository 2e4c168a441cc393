package hpack

// decodeField decodes the rest of a field representation whose first
// integer (an index, or 0 for a literal name) was index, appending name
// then value to arena. p is the block after that integer; the unread rest
// is returned.
func (d *Decoder) decodeField(kind representation, index uint32, p, arena []byte) (_, rest []byte, nameEnd int, err error) {
	start := len(arena)
	if kind == indexedField {
		name, value, err := d.lookup(index)
		if err != nil {
			return arena, p, 0, err
		}
		arena = append(append(arena, name...), value...)
		return arena, p, start + len(name), nil
	}
	if index == 0 {
		arena, p, err = d.readString(arena, p)
	} else {
		// The name is copied before the entry is added: adding may evict
		// the entry it came from (RFC 7541 §4.4).
		var name []byte
		name, _, err = d.lookup(index)
		arena = append(arena, name...)
	}
	if err != nil {
		return arena, p, 0, err
	}
	nameEnd = len(arena)
	if arena, p, err = d.readString(arena, p); err != nil {
		return arena, p, 0, err
	}
	if kind == literalIncremental {
		d.table.add(arena[start:nameEnd], arena[nameEnd:])
	}
	return arena, p, nameEnd, nil
}

// lookup resolves an index into the static then the dynamic table (RFC
// 7541 §2.3.3).
func (d *Decoder) lookup(index uint32) (name, value []byte, err error) {
	switch {
	case index == 0:
		return nil, nil, ErrIndexZero
	case index <= uint32(len(staticTable)):
		e := &staticTable[index-1]
		return e.name, e.value, nil
	case index-uint32(len(staticTable)) <= d.table.count:
		name, value = d.table.entry(index - uint32(len(staticTable)))
		return name, value, nil
	}
	return nil, nil, ErrIndexOutOfRange
}

// readString appends the string literal at p[0] (RFC 7541 §5.2), decoded,
// to arena.
func (d *Decoder) readString(arena, p []byte) (_, rest []byte, err error) {
	if len(p) == 0 {
		return arena, p, ErrTruncated
	}
	huffman := p[0]&huffmanFlag != 0
	n, k, err := readInteger(p, 7)
	if err != nil {
		return arena, p, err
	}
	p = p[k:]
	if uint64(n) > uint64(len(p)) {
		return arena, p, ErrTruncated
	}
	s, rest := p[:n], p[n:]
	if huffman {
		arena, err = decodeHuffman(arena, s, d.limits.MaxStringLength)
		return arena, rest, err
	}
	if len(s) > d.limits.MaxStringLength {
		return arena, rest, ErrStringTooLong
	}
	return append(arena, s...), rest, nil
}

// blockStart is what a block did before its first field: only there may
// it update the dynamic table size, at most twice (RFC 7541 §4.2).
type blockStart struct {
	sizeUpdates int
	sawField    bool
}

// checkSizeUpdate validates a dynamic table size update (§6.3): at the
// start of the block, and within our SETTINGS_HEADER_TABLE_SIZE.
func (d *Decoder) checkSizeUpdate(size uint32, start *blockStart) error {
	start.sizeUpdates++
	switch {
	case start.sawField:
		return ErrTableSizeUpdateLate
	case start.sizeUpdates > 2:
		return ErrTooManyTableSizes
	case size > d.maxTableSize:
		return ErrTableSizeTooLarge
	}
	d.sizeUpdateDue = false
	return nil
}
