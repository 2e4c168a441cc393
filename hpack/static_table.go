package hpack

// headerEntry is a field stored in the static or the dynamic table.
type headerEntry struct{ name, value []byte }

// staticTable is RFC 7541 Appendix A; HPACK index i is staticTable[i-1].
var staticTable = [...]headerEntry{
	{[]byte(":authority"), nil},
	{[]byte(":method"), []byte("GET")},
	{[]byte(":method"), []byte("POST")},
	{[]byte(":path"), []byte("/")},
	{[]byte(":path"), []byte("/index.html")},
	{[]byte(":scheme"), []byte("http")},
	{[]byte(":scheme"), []byte("https")},
	{[]byte(":status"), []byte("200")},
	{[]byte(":status"), []byte("204")},
	{[]byte(":status"), []byte("206")},
	{[]byte(":status"), []byte("304")},
	{[]byte(":status"), []byte("400")},
	{[]byte(":status"), []byte("404")},
	{[]byte(":status"), []byte("500")},
	{[]byte("accept-charset"), nil},
	{[]byte("accept-encoding"), []byte("gzip, deflate")},
	{[]byte("accept-language"), nil},
	{[]byte("accept-ranges"), nil},
	{[]byte("accept"), nil},
	{[]byte("access-control-allow-origin"), nil},
	{[]byte("age"), nil},
	{[]byte("allow"), nil},
	{[]byte("authorization"), nil},
	{[]byte("cache-control"), nil},
	{[]byte("content-disposition"), nil},
	{[]byte("content-encoding"), nil},
	{[]byte("content-language"), nil},
	{[]byte("content-length"), nil},
	{[]byte("content-location"), nil},
	{[]byte("content-range"), nil},
	{[]byte("content-type"), nil},
	{[]byte("cookie"), nil},
	{[]byte("date"), nil},
	{[]byte("etag"), nil},
	{[]byte("expect"), nil},
	{[]byte("expires"), nil},
	{[]byte("from"), nil},
	{[]byte("host"), nil},
	{[]byte("if-match"), nil},
	{[]byte("if-modified-since"), nil},
	{[]byte("if-none-match"), nil},
	{[]byte("if-range"), nil},
	{[]byte("if-unmodified-since"), nil},
	{[]byte("last-modified"), nil},
	{[]byte("link"), nil},
	{[]byte("location"), nil},
	{[]byte("max-forwards"), nil},
	{[]byte("proxy-authenticate"), nil},
	{[]byte("proxy-authorization"), nil},
	{[]byte("range"), nil},
	{[]byte("referer"), nil},
	{[]byte("refresh"), nil},
	{[]byte("retry-after"), nil},
	{[]byte("server"), nil},
	{[]byte("set-cookie"), nil},
	{[]byte("strict-transport-security"), nil},
	{[]byte("transfer-encoding"), nil},
	{[]byte("user-agent"), nil},
	{[]byte("vary"), nil},
	{[]byte("via"), nil},
	{[]byte("www-authenticate"), nil},
}

// StaticTableLen is the number of static table entries (61): dynamic
// table entries start at index StaticTableLen()+1.
func StaticTableLen() int { return len(staticTable) }

// StaticEntry returns the name and value at static index i (1-based), or
// ok == false when i is not a static index. The slices are shared: do not
// modify them.
func StaticEntry(i int) (name, value []byte, ok bool) {
	if i < 1 || i > len(staticTable) {
		return nil, nil, false
	}
	e := &staticTable[i-1]
	return e.name, e.value, true
}
