package mimetype

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxExt bounds the extensions the table can hold, dot included, so a
// lookup can lower-case the extension into a stack buffer instead of
// allocating. No real extension comes close.
const maxExt = 32

// table is the current extension map. Lookups load it without locking;
// Register publishes a modified copy (copy-on-write), so registering is
// safe at any time, even while other goroutines look types up.
var table atomic.Pointer[map[string]string]

// registerMu serializes writers so concurrent Register calls do not lose
// each other's copies.
var registerMu sync.Mutex

func init() { table.Store(&builtin) }

// Lookup returns the Content-Type for the extension of name (the part from
// the last '.' of its last path element, compared case-insensitively:
// "index.HTML" gives "text/html; charset=utf-8"), or "" when the extension
// is unknown or there is none. Callers typically fall back to [Default].
func Lookup(name string) string {
	var buf [maxExt]byte
	ext, ok := lowerExt(buf[:0], name)
	if !ok {
		return ""
	}
	return (*table.Load())[string(ext)]
}

// LookupBytes is [Lookup] for a name held in a byte slice. It does not
// allocate.
func LookupBytes(name []byte) string {
	var buf [maxExt]byte
	ext, ok := lowerExt(buf[:0], name)
	if !ok {
		return ""
	}
	return (*table.Load())[string(ext)]
}

// Register maps ext to contentType, adding to or overriding the table for
// every later lookup. ext may be given with or without its leading dot and
// in any case (".WASM", "wasm"). It panics on an empty extension, one
// containing '/' or a further '.', or one longer than 31 bytes, since such
// a registration could never match and is a programming error.
func Register(ext, contentType string) {
	ext = strings.TrimPrefix(ext, ".")
	if ext == "" || len(ext) >= maxExt || strings.ContainsAny(ext, "./") {
		panic("mimetype: invalid extension " + `"` + ext + `"`)
	}
	key := "." + strings.ToLower(ext)

	registerMu.Lock()
	defer registerMu.Unlock()
	old := *table.Load()
	next := make(map[string]string, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[key] = contentType
	table.Store(&next)
}

// lowerExt appends to buf the ASCII-lower-cased extension of name,
// including its dot. It reports false when name's last element has no dot
// or the extension is too long to be in the table.
func lowerExt[S ~string | ~[]byte](buf []byte, name S) ([]byte, bool) {
	dot := -1
	for i := len(name) - 1; i >= 0 && name[i] != '/'; i-- {
		if name[i] == '.' {
			dot = i
			break
		}
	}
	if dot < 0 || len(name)-dot > maxExt {
		return nil, false
	}
	for i := dot; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf, true
}
