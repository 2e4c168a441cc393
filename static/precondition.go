package static

import "time"

// Precondition holds a request's conditional header fields. A nil or empty
// field means the header was absent. Several lines of one field must be
// joined with ", " by the caller, as the list syntax allows.
type Precondition struct {
	IfMatch           []byte
	IfNoneMatch       []byte
	IfModifiedSince   []byte
	IfUnmodifiedSince []byte
	// GetOrHead is whether the method is GET or HEAD: the only methods
	// for which a passing If-None-Match or a failing If-Modified-Since
	// mean 304 Not Modified rather than 412.
	GetOrHead bool
}

// Evaluate applies the preconditions to the current representation,
// identified by its entity-tag and modification time, in the order of RFC
// 9110 §13.2.2, and returns 0 to proceed, 304 (Not Modified) or 412
// (Precondition Failed). If-Range is not a precondition; [ParseRange]
// handles it.
//
//  1. If-Match (strong comparison; "*" matches): false → 412.
//  2. Else If-Unmodified-Since: modified after the date → 412.
//  3. If-None-Match (weak comparison; "*" matches): true → 304 for
//     GET/HEAD, else 412.
//  4. Else, for GET/HEAD, If-Modified-Since: not modified after the date →
//     304.
//
// Dates that do not parse are ignored, as the RFC requires. Times compare
// at one-second resolution, the resolution of HTTP dates.
func Evaluate(p *Precondition, etag []byte, modTime time.Time) int {
	mod := modTime.Unix()
	if len(p.IfMatch) > 0 {
		if !matchETags(p.IfMatch, etag, true) {
			return 412
		}
	} else if t, ok := ParseHTTPDate(p.IfUnmodifiedSince); ok && mod > t.Unix() {
		return 412
	}
	if len(p.IfNoneMatch) > 0 {
		if matchETags(p.IfNoneMatch, etag, false) {
			if p.GetOrHead {
				return 304
			}
			return 412
		}
	} else if p.GetOrHead {
		if t, ok := ParseHTTPDate(p.IfModifiedSince); ok && mod <= t.Unix() {
			return 304
		}
	}
	return 0
}
