package hpack

// The encoder's indexing policy. A literal is added to the dynamic table
// (incremental indexing) when its field is likely to be sent again on the
// connection: content-type, server, cache-control, vary, :status values
// outside the static table, :authority, user-agent, accept... — any field
// whose value is at most maxIndexedValue octets, unless its name says the
// value changes with every message. Indexing a one-off value would only
// evict entries that do repeat.
//
// date is indexed: it changes once a second, so a busy connection sends
// each value many times, one octet each after the first.
//
// Sensitive fields go as never-indexed literals (RFC 7541 §7.1.3), so that
// neither this table nor an intermediary's ever holds them and no
// compression-ratio attack can probe them: credentials, set-cookie, short
// cookies (under 20 octets, easy to guess), and any Field.Sensitive.

// maxIndexedValue bounds the values worth a table entry: larger ones are
// rarely repeated verbatim and would flush a 4096-octet table quickly.
const maxIndexedValue = 256

// minSafeCookie is the cookie length from which RFC 7541 §7.1.3 deems
// guessing impractical.
const minSafeCookie = 20

// valuePolicy is how the encoder indexes the values of a field name.
type valuePolicy uint8

const (
	indexSmallValues valuePolicy = iota // the default
	neverIndexValues                    // a new value in nearly every message
	sensitiveValues                     // credentials: never-indexed literals
	sensitiveIfShort                    // cookie: never-indexed below minSafeCookie
)

// namePolicies lists the names that do not take the default.
var namePolicies = map[string]valuePolicy{
	"authorization":       sensitiveValues,
	"proxy-authorization": sensitiveValues,
	"set-cookie":          sensitiveValues,
	"cookie":              sensitiveIfShort,
	"content-length":      neverIndexValues,
	"content-range":       neverIndexValues,
	"etag":                neverIndexValues,
	"last-modified":       neverIndexValues,
	"age":                 neverIndexValues,
	"expires":             neverIndexValues,
	"location":            neverIndexValues,
	"if-modified-since":   neverIndexValues,
	"if-unmodified-since": neverIndexValues,
	"if-none-match":       neverIndexValues,
	"if-range":            neverIndexValues,
	"x-request-id":        neverIndexValues,
	"traceparent":         neverIndexValues,
}

// knownName is what the encoder knows of a name, found by one map lookup:
// its first static index (0 if none) and the policy for its values.
type knownName struct {
	static uint8
	policy valuePolicy
}

var knownNames = func() map[string]knownName {
	m := make(map[string]knownName, len(staticTable)+len(namePolicies))
	for i := len(staticTable) - 1; i >= 0; i-- {
		m[string(staticTable[i].name)] = knownName{static: uint8(i + 1)}
	}
	for name, p := range namePolicies {
		k := m[name]
		k.policy = p
		m[name] = k
	}
	return m
}()

// staticExact returns the static index of name: value, searched from the
// name's first index (entries sharing a name are adjacent), or 0.
func staticExact(k knownName, name, value string) int {
	if k.static == 0 {
		return 0
	}
	for i := int(k.static); i <= len(staticTable) && string(staticTable[i-1].name) == name; i++ {
		if string(staticTable[i-1].value) == value {
			return i
		}
	}
	return 0
}

// representationFor chooses the literal representation of a field with no
// exact match in the tables.
func (e *Encoder) representationFor(k knownName, name, value string, sensitive bool) representation {
	switch {
	case sensitive:
		return literalNever
	case e.indexAll:
		return literalIncremental
	case k.policy == sensitiveValues,
		k.policy == sensitiveIfShort && len(value) < minSafeCookie:
		return literalNever
	case k.policy == neverIndexValues,
		len(value) > maxIndexedValue,
		fieldSize(len(name), len(value)) > uint64(e.table.maxSize):
		return literalWithout
	}
	return literalIncremental
}
