package hpack

// Header lists of typical traffic, for the allocation tests and the
// benchmarks.

// h2loadRequest is what a load generator sends: short, few fields.
var h2loadRequest = []pair{
	{":method", "GET"},
	{":path", "/"},
	{":scheme", "https"},
	{":authority", "localhost:8443"},
	{"accept", "*/*"},
	{"accept-encoding", "gzip, deflate"},
	{"user-agent", "h2load nghttp2/1.64.0"},
}

// browserRequest is a browser fetching a subresource: long values,
// Huffman-coded, a cookie.
var browserRequest = []pair{
	{":method", "GET"},
	{":authority", "www.example.com"},
	{":scheme", "https"},
	{":path", "/assets/app.3f9c2b.js?v=12"},
	{"sec-ch-ua", `"Chromium";v="131", "Not_A Brand";v="24"`},
	{"sec-ch-ua-mobile", "?0"},
	{"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{"sec-ch-ua-platform", `"Linux"`},
	{"accept", "*/*"},
	{"sec-fetch-site", "same-origin"},
	{"sec-fetch-mode", "no-cors"},
	{"sec-fetch-dest", "script"},
	{"referer", "https://www.example.com/"},
	{"accept-encoding", "gzip, deflate, br, zstd"},
	{"accept-language", "en-US,en;q=0.9"},
	{"cookie", "session=0123456789abcdef0123456789abcdef; theme=dark"},
	{"priority", "u=1"},
}

// withPath is list with another :path, as the next request of a page.
func withPath(list []pair, path string) []pair {
	out := append([]pair(nil), list...)
	for i := range out {
		if out[i][0] == ":path" {
			out[i][1] = path
		}
	}
	return out
}

// connectionBlocks encodes two consecutive requests of a connection: the
// first all literals, the second mostly indices. Decoding the pair again
// and again leaves the decoder's table as the second block expects, since
// the first re-adds its entries.
func connectionBlocks(list []pair) (first, second []byte) {
	e := NewEncoder()
	first = e.AppendBlockStart(nil)
	for _, f := range list {
		first = e.AppendFieldString(first, f[0], f[1], false)
	}
	second = e.AppendBlockStart(nil)
	for _, f := range withPath(list, "/assets/vendor.js") {
		second = e.AppendFieldString(second, f[0], f[1], false)
	}
	return first, second
}
