package hpack

// AppendField appends the representation of f (see encoder_policy.go for
// which one).
func (e *Encoder) AppendField(dst []byte, f Field) []byte {
	return e.appendField(dst, bytesString(f.Name), bytesString(f.Value), f.Sensitive)
}

// AppendFieldString is AppendField for strings, without converting them.
func (e *Encoder) AppendFieldString(dst []byte, name, value string, sensitive bool) []byte {
	return e.appendField(dst, name, value, sensitive)
}

// appendField emits, in order of preference: an index for an exact match
// (static table first, its indices are stable and small), else a literal
// whose name refers to the tables when it can. Only a field the policy
// indexes can be in the dynamic table, so only such a field is looked up
// there, and the hashes are computed only when the dynamic table is used.
func (e *Encoder) appendField(dst []byte, name, value string, sensitive bool) []byte {
	k := knownLookup.get(name)
	rep := e.representationFor(k, name, value, sensitive)
	if rep != literalNever {
		if i := staticExact(k, name, value); i != 0 {
			return appendInteger(dst, formIndexed.pattern, formIndexed.prefixBits, uint64(i))
		}
	}
	var h fieldHashes
	if rep == literalIncremental || k.static == 0 {
		h = hashField(name, value)
	}
	if rep == literalIncremental {
		if i := e.index.findField(&e.table, h, name, value); i != 0 {
			return appendInteger(dst, formIndexed.pattern, formIndexed.prefixBits, uint64(i))
		}
	}
	nameIndex := int(k.static)
	if nameIndex == 0 {
		nameIndex = e.index.findName(&e.table, h, name)
	}
	form := formWithout
	switch rep {
	case literalIncremental:
		form = formIncremental
	case literalNever:
		form = formNever
	}
	dst = appendInteger(dst, form.pattern, form.prefixBits, uint64(nameIndex))
	if nameIndex == 0 {
		dst = e.appendString(dst, name)
	}
	dst = e.appendString(dst, value)
	if rep == literalIncremental {
		added := e.table.added
		e.table.add(stringBytes(name), stringBytes(value))
		if e.table.added != added {
			e.index.record(&e.table, h)
		}
	}
	return dst
}

// appendString appends a string literal (RFC 7541 §5.2), Huffman-coded
// when that is shorter.
func (e *Encoder) appendString(dst []byte, s string) []byte {
	huffman := e.huffman == huffmanAlways
	n := len(s)
	if e.huffman == huffmanWhenShorter {
		if hn := huffmanLen(s); hn < n {
			huffman, n = true, hn
		}
	}
	if !huffman {
		dst = appendInteger(dst, 0, 7, uint64(n))
		return append(dst, s...)
	}
	if e.huffman == huffmanAlways {
		n = huffmanLen(s)
	}
	dst = appendInteger(dst, huffmanFlag, 7, uint64(n))
	return appendHuffman(dst, s)
}
