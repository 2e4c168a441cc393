package h1

import "strconv"

// statusText holds the reason phrases of the IANA HTTP Status Code
// Registry, indexed by code.
var statusText = [600]string{
	100: "Continue",
	101: "Switching Protocols",
	102: "Processing",
	103: "Early Hints",

	200: "OK",
	201: "Created",
	202: "Accepted",
	203: "Non-Authoritative Information",
	204: "No Content",
	205: "Reset Content",
	206: "Partial Content",
	207: "Multi-Status",
	208: "Already Reported",
	226: "IM Used",

	300: "Multiple Choices",
	301: "Moved Permanently",
	302: "Found",
	303: "See Other",
	304: "Not Modified",
	305: "Use Proxy",
	307: "Temporary Redirect",
	308: "Permanent Redirect",

	400: "Bad Request",
	401: "Unauthorized",
	402: "Payment Required",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	406: "Not Acceptable",
	407: "Proxy Authentication Required",
	408: "Request Timeout",
	409: "Conflict",
	410: "Gone",
	411: "Length Required",
	412: "Precondition Failed",
	413: "Content Too Large",
	414: "URI Too Long",
	415: "Unsupported Media Type",
	416: "Range Not Satisfiable",
	417: "Expectation Failed",
	421: "Misdirected Request",
	422: "Unprocessable Content",
	423: "Locked",
	424: "Failed Dependency",
	425: "Too Early",
	426: "Upgrade Required",
	428: "Precondition Required",
	429: "Too Many Requests",
	431: "Request Header Fields Too Large",
	451: "Unavailable For Legal Reasons",

	500: "Internal Server Error",
	501: "Not Implemented",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Timeout",
	505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates",
	507: "Insufficient Storage",
	508: "Loop Detected",
	510: "Not Extended",
	511: "Network Authentication Required",
}

// StatusText returns the registered reason phrase of status, or "" for a
// code without one.
func StatusText(status int) string {
	if status < 0 || status >= len(statusText) {
		return ""
	}
	return statusText[status]
}

// statusTail is " 200 OK\r\n" and so on for each registered code, built
// once so that a status line is two appends.
var statusTail = func() (t [len(statusText)]string) {
	for code, text := range statusText {
		if text != "" {
			t[code] = " " + strconv.Itoa(code) + " " + text + "\r\n"
		}
	}
	return t
}()

// AppendStatusLine appends "HTTP/1.<minor> <status> <reason>\r\n"; minor
// is 0 or 1 (larger reads as 1). status must have three digits; a code
// without a registered phrase gets an empty one, which RFC 9112 §4
// allows.
func AppendStatusLine(dst []byte, minor uint8, status int) []byte {
	if minor == 0 {
		dst = append(dst, "HTTP/1.0"...)
	} else {
		dst = append(dst, "HTTP/1.1"...)
	}
	if status >= 0 && status < len(statusTail) && statusTail[status] != "" {
		return append(dst, statusTail[status]...)
	}
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(status), 10)
	return append(dst, " \r\n"...)
}
