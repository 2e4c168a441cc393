package h1

// ChunkedDecoder decodes a chunked body (RFC 9112 §7.1) in place: the
// data it returns are slices of its input, never copies. It is a byte-wise
// state machine, so the input may be split at any byte. The zero value is
// ready to use with default limits.
//
// Trailer fields (RFC 9112 §7.1.2) are checked like header fields (token
// name, colon, field-value bytes, no obsolete folding) and then dropped:
// golws hands no trailers to applications, which is what RFC 9110 §6.5.1
// allows a recipient to do. Every line of a chunked body, trailers
// included, must end in CRLF.
type ChunkedDecoder struct {
	// MaxChunkSizeLine bounds one chunk-size line with its extensions and
	// CRLF (default 4 KiB) → 400.
	MaxChunkSizeLine int
	// MaxTrailerBytes bounds the trailer section with its final CRLF
	// (default 16 KiB) → 431.
	MaxTrailerBytes int
	// MaxBodyBytes, when positive, bounds the decoded size; a chunk that
	// would pass it is 413 before its data is read. Zero: no limit.
	MaxBodyBytes int64

	state    chunkState
	sawDigit bool   // the size line has a digit
	size     uint64 // the size being read, then the data still due
	lineLen  int    // bytes of the current size line
	trailer  int    // bytes of the trailer section
	total    int64  // sum of the chunk sizes, kept when MaxBodyBytes > 0
	err      *Error // the error once state is stFailed
}

// Defaults of ChunkedDecoder.
const (
	DefaultMaxChunkSizeLine = 4 << 10
	DefaultMaxTrailerBytes  = 16 << 10
	maxChunkSize            = 1 << 62
)

// Reset readies d for the next body, keeping its limits.
func (d *ChunkedDecoder) Reset() {
	*d = ChunkedDecoder{
		MaxChunkSizeLine: d.MaxChunkSizeLine,
		MaxTrailerBytes:  d.MaxTrailerBytes,
		MaxBodyBytes:     d.MaxBodyBytes,
	}
}

// Decode consumes framing from in up to and including the next span of
// chunk data, which it returns as data, a slice of in[:consumed]. Without
// data, it has consumed all of in (consumed == len(in)), or reached the
// end: done is true once the last chunk and the trailer section are
// consumed, and consumed stops right after them (what follows belongs to
// the next message). Call it again with in[consumed:] and any further
// input until done. An *Error is sticky: every later call returns it,
// until Reset.
func (d *ChunkedDecoder) Decode(in []byte) (consumed int, data []byte, done bool, err error) {
	switch d.state {
	case stFailed:
		return 0, nil, false, d.err
	case stDone:
		return 0, nil, true, nil
	}
	for i := 0; i < len(in); i++ {
		switch {
		case d.state == stData:
			n := int(min(d.size, uint64(len(in)-i)))
			d.size -= uint64(n)
			if d.size == 0 {
				d.state = stDataCR
			}
			return i + n, in[i : i+n], false, nil
		case d.state < numLineStates || d.state == stLF:
			d.sizeLine(in[i])
		case d.state >= stTrailerLine && d.state <= stEndLF:
			d.trailerByte(in[i])
		case d.state == stDataCR:
			d.expect(in[i], '\r', stDataLF, ErrMissingChunkCRLF)
		case d.state == stDataLF:
			d.expect(in[i], '\n', stSize, ErrMissingChunkCRLF)
		}
		switch d.state {
		case stFailed:
			return i, nil, false, d.err
		case stDone:
			return i + 1, nil, true, nil
		}
	}
	return len(in), nil, false, nil
}

func (d *ChunkedDecoder) fail(err *Error) {
	d.state, d.err = stFailed, err
}

// expect moves to next if c is want, else fails with err.
func (d *ChunkedDecoder) expect(c, want byte, next chunkState, err *Error) {
	if c != want {
		d.fail(err)
		return
	}
	d.state = next
}

// sizeLine takes one byte of a chunk-size line.
func (d *ChunkedDecoder) sizeLine(c byte) {
	d.lineLen++
	if d.lineLen > positiveOr(d.MaxChunkSizeLine, DefaultMaxChunkSizeLine) {
		d.fail(ErrChunkLineTooLong)
		return
	}
	switch {
	case d.state == stLF:
		d.endSizeLine(c)
		return
	case d.state == stSize && hexValue[c] >= 0:
		// Checked before shifting, so size never wraps.
		if d.size > maxChunkSize>>4 {
			d.fail(ErrChunkSizeOverflow)
			return
		}
		d.size = d.size<<4 | uint64(hexValue[c])
		if d.size > maxChunkSize {
			d.fail(ErrChunkSizeOverflow)
			return
		}
		d.sawDigit = true
		return
	case d.state == stSize && !d.sawDigit:
		d.fail(ErrBadChunkSize)
		return
	}
	next := chunkLineNext[d.state][lineClassOf[c]]
	switch {
	case next != stFailed:
		d.state = next
	case c == '\n':
		d.fail(ErrMissingChunkLF) // a bare LF
	case d.state == stSize:
		d.fail(ErrBadChunkSize)
	default:
		d.fail(ErrBadChunkExtension)
	}
}

// endSizeLine takes the byte after the CR of a size line.
func (d *ChunkedDecoder) endSizeLine(c byte) {
	if c != '\n' {
		d.fail(ErrMissingChunkLF)
		return
	}
	size := d.size
	d.sawDigit, d.lineLen = false, 0
	if size == 0 {
		d.state = stTrailerLine // the last chunk
		return
	}
	if d.MaxBodyBytes > 0 {
		if size > uint64(d.MaxBodyBytes-d.total) {
			d.fail(ErrContentTooLarge)
			return
		}
		d.total += int64(size)
	}
	d.state = stData
}

// trailerByte takes one byte of the trailer section.
func (d *ChunkedDecoder) trailerByte(c byte) {
	d.trailer++
	if d.trailer > positiveOr(d.MaxTrailerBytes, DefaultMaxTrailerBytes) {
		d.fail(ErrTrailerTooLarge)
		return
	}
	tchar := class[c]&classToken != 0
	switch d.state {
	case stTrailerLine:
		switch {
		case c == '\r':
			d.state = stEndLF
		case tchar:
			d.state = stTrailerName
		case isOWS(c):
			d.fail(ErrObsFold)
		case c == ':':
			d.fail(ErrEmptyFieldName)
		case c == '\n':
			d.fail(ErrBadTrailerLineEnding)
		default:
			d.fail(ErrBadFieldName)
		}
	case stTrailerName:
		switch {
		case tchar:
		case c == ':':
			d.state = stTrailerValue
		case isOWS(c):
			d.fail(ErrSpaceBeforeColon)
		case c == '\r', c == '\n':
			d.fail(ErrNoColon)
		default:
			d.fail(ErrBadFieldName)
		}
	case stTrailerValue:
		switch {
		case class[c]&classValue != 0:
		case c == '\r':
			d.state = stTrailerLF
		case c == '\n':
			d.fail(ErrBadTrailerLineEnding)
		default:
			d.fail(ErrBadFieldValue)
		}
	case stTrailerLF:
		d.expect(c, '\n', stTrailerLine, ErrBareCR)
	case stEndLF:
		d.expect(c, '\n', stDone, ErrBareCR)
	}
}

func positiveOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
