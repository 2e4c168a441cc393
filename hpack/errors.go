package hpack

import "errors"

// DecodingError is a malformed header block: a connection error of type
// COMPRESSION_ERROR (RFC 9113 §4.3), after which the dynamic tables of the
// two ends no longer agree. Reason says what was wrong, for logs. Only the
// predefined values below are returned, so failing never allocates and
// callers may compare with ==.
type DecodingError struct{ Reason string }

func (e *DecodingError) Error() string { return "hpack: " + e.Reason }

// Representations and indices (RFC 7541 §6).
var (
	ErrIndexZero             = &DecodingError{"index 0"}
	ErrIndexOutOfRange       = &DecodingError{"index beyond the static and dynamic tables"}
	ErrTableSizeTooLarge     = &DecodingError{"dynamic table size update larger than the maximum"}
	ErrTableSizeUpdateLate   = &DecodingError{"dynamic table size update after a field"}
	ErrTooManyTableSizes     = &DecodingError{"more than two dynamic table size updates"}
	ErrTableSizeUpdateNeeded = &DecodingError{"missing dynamic table size update after a lower maximum"}
	ErrIntegerOverflow       = &DecodingError{"integer too large"}
	ErrTruncated             = &DecodingError{"header block ends inside a representation"}
)

// Huffman-coded strings (RFC 7541 §5.2).
var (
	ErrHuffmanPaddingTooLong = &DecodingError{"Huffman padding longer than 7 bits"}
	ErrHuffmanBadPadding     = &DecodingError{"Huffman padding is not a prefix of EOS"}
	ErrHuffmanEOS            = &DecodingError{"Huffman string contains EOS"}
)

// Local limits (Limits). They are not COMPRESSION_ERRORs.
var (
	// ErrHeaderListTooLarge: the decoded list exceeds
	// Limits.MaxHeaderListSize. The whole block was still decoded, so the
	// dynamic table stays in step with the peer's and the connection can
	// go on: the stream is answered 431 or reset.
	ErrHeaderListTooLarge = errors.New("hpack: header list larger than MaxHeaderListSize")
	// ErrStringTooLong: a name or value exceeds Limits.MaxStringLength once
	// decoded. Decoding stops at once, leaving the dynamic table behind the
	// peer's, so the connection must be closed (GOAWAY).
	ErrStringTooLong = errors.New("hpack: string longer than MaxStringLength")
)
