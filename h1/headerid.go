package h1

// HeaderID names a field that golws knows, so that roles switch on a small
// integer instead of comparing names. Unknown fields are kept as
// HeaderUnknown with their name.
type HeaderID uint8

// The known fields: those that frame or route a message, the conditional
// and content ones that the file server reads, and the WebSocket and h2c
// upgrade fields.
const (
	HeaderUnknown HeaderID = iota
	HeaderHost
	HeaderContentLength
	HeaderTransferEncoding
	HeaderConnection
	HeaderExpect
	HeaderUpgrade
	HeaderIfNoneMatch
	HeaderIfModifiedSince
	HeaderIfMatch
	HeaderIfUnmodifiedSince
	HeaderRange
	HeaderIfRange
	HeaderAcceptEncoding
	HeaderContentType
	HeaderCookie
	HeaderUserAgent
	HeaderReferer
	HeaderAuthorization
	HeaderAccept
	HeaderAcceptLanguage
	HeaderOrigin
	HeaderCacheControl
	HeaderSecWebSocketKey
	HeaderSecWebSocketVersion
	HeaderSecWebSocketProtocol
	HeaderSecWebSocketExtensions
	HeaderHTTP2Settings
	HeaderTE
	HeaderTrailer
	HeaderKeepAlive
	HeaderProxyConnection
	HeaderXForwardedFor
	HeaderForwarded
	HeaderDate
	HeaderServer
	HeaderContentEncoding
	HeaderLocation
	HeaderSetCookie
	HeaderETag
	HeaderLastModified
	HeaderContentRange
	HeaderAcceptRanges
	HeaderVary
	HeaderContentDisposition
	HeaderContentLanguage
	HeaderPriority
	numHeaderIDs
)

// headerNames are the canonical spellings, as registered with IANA.
var headerNames = [numHeaderIDs]string{
	HeaderHost:                   "Host",
	HeaderContentLength:          "Content-Length",
	HeaderTransferEncoding:       "Transfer-Encoding",
	HeaderConnection:             "Connection",
	HeaderExpect:                 "Expect",
	HeaderUpgrade:                "Upgrade",
	HeaderIfNoneMatch:            "If-None-Match",
	HeaderIfModifiedSince:        "If-Modified-Since",
	HeaderIfMatch:                "If-Match",
	HeaderIfUnmodifiedSince:      "If-Unmodified-Since",
	HeaderRange:                  "Range",
	HeaderIfRange:                "If-Range",
	HeaderAcceptEncoding:         "Accept-Encoding",
	HeaderContentType:            "Content-Type",
	HeaderCookie:                 "Cookie",
	HeaderUserAgent:              "User-Agent",
	HeaderReferer:                "Referer",
	HeaderAuthorization:          "Authorization",
	HeaderAccept:                 "Accept",
	HeaderAcceptLanguage:         "Accept-Language",
	HeaderOrigin:                 "Origin",
	HeaderCacheControl:           "Cache-Control",
	HeaderSecWebSocketKey:        "Sec-WebSocket-Key",
	HeaderSecWebSocketVersion:    "Sec-WebSocket-Version",
	HeaderSecWebSocketProtocol:   "Sec-WebSocket-Protocol",
	HeaderSecWebSocketExtensions: "Sec-WebSocket-Extensions",
	HeaderHTTP2Settings:          "HTTP2-Settings",
	HeaderTE:                     "TE",
	HeaderTrailer:                "Trailer",
	HeaderKeepAlive:              "Keep-Alive",
	HeaderProxyConnection:        "Proxy-Connection",
	HeaderXForwardedFor:          "X-Forwarded-For",
	HeaderForwarded:              "Forwarded",
	HeaderDate:                   "Date",
	HeaderServer:                 "Server",
	HeaderContentEncoding:        "Content-Encoding",
	HeaderLocation:               "Location",
	HeaderSetCookie:              "Set-Cookie",
	HeaderETag:                   "ETag",
	HeaderLastModified:           "Last-Modified",
	HeaderContentRange:           "Content-Range",
	HeaderAcceptRanges:           "Accept-Ranges",
	HeaderVary:                   "Vary",
	HeaderContentDisposition:     "Content-Disposition",
	HeaderContentLanguage:        "Content-Language",
	HeaderPriority:               "Priority",
}

// String returns the canonical name, e.g. "Content-Length", or "" for
// HeaderUnknown and values out of range.
func (id HeaderID) String() string {
	if id >= numHeaderIDs {
		return ""
	}
	return headerNames[id]
}
