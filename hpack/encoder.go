package hpack

// Encoder encodes the header blocks of one direction of a connection. It
// holds the dynamic table the peer's decoder mirrors.
type Encoder struct {
	table dynamicTable
	index tableIndex
	// maxCap is our own cap on the table, whatever the peer allows.
	maxCap uint32
	// Table size changes not yet signalled: the smallest and the last
	// value since the previous block (RFC 7541 §4.2).
	sizePending        bool
	sizeMin, sizeFinal uint32
	indexAll           bool          // tests: index every literal, as RFC 7541 Appendix C does
	huffman            huffmanChoice // tests: force or forbid Huffman coding
}

// huffmanChoice is when string literals are Huffman-coded.
type huffmanChoice uint8

const (
	huffmanWhenShorter huffmanChoice = iota
	huffmanNever
	huffmanAlways
)

// defaultTableSize is the initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113
// §6.5.2) and the encoder's own cap: larger tables compress response
// headers little better and cost memory on every connection.
const defaultTableSize = 4096

// NewEncoder returns an encoder for a peer using the default table size.
func NewEncoder() *Encoder {
	return &Encoder{table: newDynamicTable(defaultTableSize), maxCap: defaultTableSize}
}

// SetMaxTableSize applies the peer's SETTINGS_HEADER_TABLE_SIZE. The table
// takes min(n, 4096); the change is signalled by size updates at the start
// of the next block, which AppendBlockStart emits.
func (e *Encoder) SetMaxTableSize(n uint32) {
	n = min(n, e.maxCap)
	if !e.sizePending || n < e.sizeMin {
		e.sizeMin = n
	}
	e.sizeFinal = n
	e.sizePending = true
}

// AppendBlockStart must begin every header block: it appends the pending
// dynamic table size updates, if any. When the size went down and back up
// since the previous block, the lowest value comes first so that the
// peer's decoder evicts what it expects (RFC 7541 §4.2).
func (e *Encoder) AppendBlockStart(dst []byte) []byte {
	if !e.sizePending {
		return dst
	}
	e.sizePending = false
	if e.sizeMin < e.sizeFinal {
		dst = e.appendSizeUpdate(dst, e.sizeMin)
	}
	if e.sizeFinal != e.table.maxSize || e.sizeMin < e.sizeFinal {
		dst = e.appendSizeUpdate(dst, e.sizeFinal)
	}
	return dst
}

func (e *Encoder) appendSizeUpdate(dst []byte, n uint32) []byte {
	e.table.setMaxSize(n)
	return appendInteger(dst, formSizeUpdate.pattern, formSizeUpdate.prefixBits, uint64(n))
}
