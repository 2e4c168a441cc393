package urlpath

// HasPrefix reports whether the cleaned path p lies inside the mount prefix,
// comparing whole segments: "/static" contains "/static" and "/static/x"
// but not "/staticfoo". A trailing slash on prefix is ignored, so "/static/"
// and "/static" mount the same tree, and "/" contains every path.
func HasPrefix(p []byte, prefix string) bool {
	_, ok := TrimPrefix(p, prefix)
	return ok
}

// TrimPrefix returns the part of the cleaned path p below the mount prefix,
// as a path that starts with '/' (or is empty when p names the mount point
// itself without a trailing slash), and whether p is inside the prefix at
// all (see [HasPrefix]). The result aliases p.
//
// The empty remainder is distinct from "/" on purpose: "/static" names the
// mounted directory without a trailing slash, which a file server answers
// with a redirect to "/static/".
func TrimPrefix(p []byte, prefix string) ([]byte, bool) {
	for len(prefix) > 0 && prefix[len(prefix)-1] == '/' {
		prefix = prefix[:len(prefix)-1]
	}
	if len(p) < len(prefix) || string(p[:len(prefix)]) != prefix {
		return nil, false
	}
	rest := p[len(prefix):]
	if len(rest) > 0 && rest[0] != '/' {
		return nil, false
	}
	return rest, true
}
