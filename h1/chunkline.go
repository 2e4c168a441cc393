package h1

// The chunk-size line (RFC 9112 §7.1, §7.1.1) is a state machine driven
// one byte at a time, so that a body split anywhere decodes the same:
//
//	chunk-size [ chunk-ext ] CRLF
//	chunk-ext  = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//	chunk-ext-val = token / quoted-string
//
// Extensions are checked against this grammar and dropped. Whitespace is
// allowed only where BWS is, so "5 \r\n" is rejected: a recipient that
// trimmed it and one that did not would disagree about the framing.

// chunkState is the decoder's position in the body's grammar.
type chunkState uint8

const (
	stSize         chunkState = iota // hex digits of the size
	stPreSemi                        // BWS that must lead to ";"
	stPreName                        // after ";": BWS, then an extension name
	stName                           // in an extension name
	stPostName                       // BWS after a name: "=" or ";" follow
	stPreValue                       // after "=": BWS, then the value
	stToken                          // in a token value
	stQuoted                         // in a quoted-string value
	stQuotedPair                     // after a backslash in a quoted-string
	stPostQuoted                     // after the closing quote
	stLF                             // CR of the size line seen: LF must follow
	stData                           // in chunk data
	stDataCR                         // data done: CR must follow
	stDataLF                         // LF must follow
	stTrailerLine                    // at the start of a trailer field line
	stTrailerName                    // in a trailer field name
	stTrailerValue                   // in a trailer field value
	stTrailerLF                      // CR of a trailer field line seen
	stEndLF                          // CR of the final empty line seen
	stDone                           // the body and its trailers are consumed
	stFailed                         // an error was returned
)

// numLineStates counts the states that chunkLineNext drives.
const numLineStates = stLF

// lineClass groups the bytes that the chunk-size line grammar tells apart.
type lineClass uint8

const (
	lcOther     lineClass = iota // CTLs, LF, DEL: never valid in the line
	lcHex                        // 0-9 A-F a-f (tchar too)
	lcToken                      // the other tchar
	lcWS                         // SP HTAB
	lcSemi                       // ;
	lcEq                         // =
	lcQuote                      // "
	lcBackslash                  // \
	lcQuoted                     // the other qdtext bytes, obs-text included
	lcCR                         // CR
	numLineClasses
)

var lineClassOf = func() (t [256]lineClass) {
	for c := range t {
		switch b := byte(c); {
		case hexValue[b] >= 0:
			t[c] = lcHex
		case class[b]&classToken != 0:
			t[c] = lcToken
		case isOWS(b):
			t[c] = lcWS
		case b == ';':
			t[c] = lcSemi
		case b == '=':
			t[c] = lcEq
		case b == '"':
			t[c] = lcQuote
		case b == '\\':
			t[c] = lcBackslash
		case class[b]&classQdtext != 0:
			t[c] = lcQuoted
		case b == '\r':
			t[c] = lcCR
		}
	}
	return t
}()

// chunkLineNext is the transition table of the size line; stFailed marks
// bytes the grammar does not allow there. Digits are added to the size
// by the decoder as it follows stSize → stSize.
var chunkLineNext = func() (t [numLineStates][numLineClasses]chunkState) {
	for s := range t {
		for c := range t[s] {
			t[s][c] = stFailed
		}
	}
	set := func(s chunkState, next chunkState, classes ...lineClass) {
		for _, c := range classes {
			t[s][c] = next
		}
	}
	name := []lineClass{lcHex, lcToken}
	quotedText := []lineClass{lcHex, lcToken, lcWS, lcSemi, lcEq, lcQuoted}

	set(stSize, stSize, lcHex)
	set(stSize, stPreSemi, lcWS)
	set(stSize, stPreName, lcSemi)
	set(stSize, stLF, lcCR)

	set(stPreSemi, stPreSemi, lcWS)
	set(stPreSemi, stPreName, lcSemi)

	set(stPreName, stPreName, lcWS)
	set(stPreName, stName, name...)

	set(stName, stName, name...)
	set(stName, stPostName, lcWS)
	set(stName, stPreName, lcSemi)
	set(stName, stPreValue, lcEq)
	set(stName, stLF, lcCR)

	set(stPostName, stPostName, lcWS)
	set(stPostName, stPreName, lcSemi)
	set(stPostName, stPreValue, lcEq)

	set(stPreValue, stPreValue, lcWS)
	set(stPreValue, stToken, name...)
	set(stPreValue, stQuoted, lcQuote)

	set(stToken, stToken, name...)
	set(stToken, stPreSemi, lcWS)
	set(stToken, stPreName, lcSemi)
	set(stToken, stLF, lcCR)

	set(stQuoted, stQuoted, quotedText...)
	set(stQuoted, stQuotedPair, lcBackslash)
	set(stQuoted, stPostQuoted, lcQuote)

	set(stQuotedPair, stQuoted, append(quotedText, lcQuote, lcBackslash)...)

	set(stPostQuoted, stPreSemi, lcWS)
	set(stPostQuoted, stPreName, lcSemi)
	set(stPostQuoted, stLF, lcCR)
	return t
}()
