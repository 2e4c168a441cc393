package hpack

// Decoder decodes the header blocks of one direction of a connection. It
// holds the dynamic table the peer's encoder updates.
type Decoder struct {
	table dynamicTable
	// maxTableSize is our SETTINGS_HEADER_TABLE_SIZE, the ceiling for the
	// peer's dynamic table size updates.
	maxTableSize uint32
	// sizeUpdateDue: SetMaxTableSize lowered the ceiling below the table's
	// maximum, so the next block must start with an update (§4.2).
	sizeUpdateDue bool
	limits        Limits
	spans         []fieldSpan // reused by DecodeInto
}

// fieldSpan locates a decoded field in the arena. Slices are made only
// once the block is done, as the arena may move while it grows.
type fieldSpan struct {
	start, nameEnd, end int
	sensitive           bool
}

// NewDecoder returns a decoder whose dynamic table starts with maxTableSize
// as its maximum: our SETTINGS_HEADER_TABLE_SIZE as the peer knows it
// (4096 until it acknowledged another). The peer's size updates may not
// exceed it.
func NewDecoder(maxTableSize uint32) *Decoder {
	return &Decoder{
		table:        newDynamicTable(maxTableSize),
		maxTableSize: maxTableSize,
		limits:       Limits{}.resolved(),
	}
}

// SetMaxTableSize applies a new SETTINGS_HEADER_TABLE_SIZE once the peer
// acknowledged it. A lower value shrinks the table now and obliges the
// peer to start its next block with a size update within it.
func (d *Decoder) SetMaxTableSize(n uint32) {
	d.maxTableSize = n
	if d.table.maxSize > n {
		d.table.setMaxSize(n)
		d.sizeUpdateDue = true
	}
}

// SetLimits sets the limits for the following blocks.
func (d *Decoder) SetLimits(l Limits) { d.limits = l.resolved() }

// TableSize is the current size of the dynamic table (RFC 7541 §4.1).
func (d *Decoder) TableSize() uint32 { return d.table.size }

// DecodeInto decodes one complete header block (HEADERS or PUSH_PROMISE
// and its CONTINUATION fragments, concatenated), appending its fields to
// fields and their bytes to arena; the new fields' slices point into the
// returned arena. Both buffers belong to the caller, who reuses them: they
// grow, by append, only when too small.
//
// On error nothing is appended. A *DecodingError or ErrStringTooLong
// leaves the decoder out of step with the peer: close the connection.
// ErrHeaderListTooLarge comes after the whole block was decoded, the
// dynamic table updated as the peer expects.
func (d *Decoder) DecodeInto(block []byte, fields []Field, arena []byte) ([]Field, []byte, error) {
	arena0 := len(arena)
	arena, listSize, err := d.decodeBlock(block, arena)
	if err == nil && d.limits.MaxHeaderListSize != 0 && listSize > uint64(d.limits.MaxHeaderListSize) {
		err = ErrHeaderListTooLarge
	}
	if err != nil {
		return fields, arena[:arena0], err
	}
	for _, s := range d.spans {
		fields = append(fields, Field{
			Name:      arena[s.start:s.nameEnd:s.nameEnd],
			Value:     arena[s.nameEnd:s.end:s.end],
			Sensitive: s.sensitive,
		})
	}
	return fields, arena, nil
}

// decodeBlock decodes block into d.spans and arena, and sizes the list.
// Past MaxHeaderListSize, fields update the table but are not kept.
func (d *Decoder) decodeBlock(block, arena []byte) ([]byte, uint64, error) {
	d.spans = d.spans[:0]
	var listSize uint64
	var start blockStart
	for p := block; len(p) > 0; {
		form := representations[p[0]>>4]
		v, n, err := readInteger(p, form.prefixBits)
		if err != nil {
			return arena, 0, err
		}
		p = p[n:]
		if form.kind == tableSizeUpdate {
			if err := d.checkSizeUpdate(v, &start); err != nil {
				return arena, 0, err
			}
			d.table.setMaxSize(v)
			continue
		}
		if d.sizeUpdateDue {
			return arena, 0, ErrTableSizeUpdateNeeded
		}
		start.sawField = true
		fieldStart := len(arena)
		var nameEnd int
		if arena, p, nameEnd, err = d.decodeField(form.kind, v, p, arena); err != nil {
			return arena, 0, err
		}
		span := fieldSpan{fieldStart, nameEnd, len(arena), form.kind == literalNever}
		listSize += fieldSize(span.nameEnd-span.start, span.end-span.nameEnd)
		if d.limits.MaxHeaderListSize != 0 && listSize > uint64(d.limits.MaxHeaderListSize) {
			arena = arena[:fieldStart] // over the limit: keep decoding, stop keeping
			continue
		}
		d.spans = append(d.spans, span)
	}
	return arena, listSize, nil
}
