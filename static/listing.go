package static

import "io/fs"

// AppendDirListing appends a minimal HTML index page for the directory at
// urlPath (the decoded, cleaned request path, ending in '/') listing
// entries in the order given. Names are HTML-escaped in text and
// percent-encoded in links; links are relative and start with "./", so a
// name like "javascript:x" or "a:b" cannot be read as a URL scheme.
// Directories get a trailing slash. The caller serves it as
// "text/html; charset=utf-8"; listing is off unless RootOptions.ListDirs.
func AppendDirListing(dst []byte, urlPath string, entries []fs.DirEntry) []byte {
	dst = append(dst, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of "...)
	dst = appendHTMLEscaped(dst, urlPath)
	dst = append(dst, "</title></head>\n<body><h1>Index of "...)
	dst = appendHTMLEscaped(dst, urlPath)
	dst = append(dst, "</h1>\n<ul>\n"...)
	if urlPath != "/" {
		dst = append(dst, "<li><a href=\"../\">../</a></li>\n"...)
	}
	for _, e := range entries {
		slash := ""
		if e.IsDir() {
			slash = "/"
		}
		dst = append(dst, "<li><a href=\"./"...)
		dst = appendPathEscaped(dst, e.Name())
		dst = append(dst, slash...)
		dst = append(dst, "\">"...)
		dst = appendHTMLEscaped(dst, e.Name())
		dst = append(dst, slash...)
		dst = append(dst, "</a></li>\n"...)
	}
	return append(dst, "</ul>\n</body></html>\n"...)
}

// htmlEscapes are the replacements that keep text inside an element or a
// quoted attribute value from being read as markup.
var htmlEscapes = [256]string{
	'&':  "&amp;",
	'<':  "&lt;",
	'>':  "&gt;",
	'"':  "&#34;",
	'\'': "&#39;",
}

func appendHTMLEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if esc := htmlEscapes[s[i]]; esc != "" {
			dst = append(dst, esc...)
		} else {
			dst = append(dst, s[i])
		}
	}
	return dst
}

// pathUnescaped marks the bytes left as they are in a link: RFC 3986
// unreserved characters. Everything else, including '/', '%', '?', '#',
// and every byte that is special in HTML, is percent-encoded, so a name is
// always exactly one path segment and needs no HTML escaping in the href.
var pathUnescaped = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['.'], t['_'], t['~'] = true, true, true, true
	return t
}()

func appendPathEscaped(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if pathUnescaped[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}
