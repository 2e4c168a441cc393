package h1

// Method is a request method from RFC 9110 §9 or RFC 5789 (PATCH), or
// MethodOther for any other token (whose spelling is in
// Request.MethodName). Methods are case-sensitive: "get" is MethodOther.
type Method uint8

// The methods golws tells apart.
const (
	MethodGET Method = iota
	MethodHEAD
	MethodPOST
	MethodPUT
	MethodDELETE
	MethodOPTIONS
	MethodCONNECT
	MethodTRACE
	MethodPATCH
	MethodOther
)

var methodNames = [...]string{
	MethodGET:     "GET",
	MethodHEAD:    "HEAD",
	MethodPOST:    "POST",
	MethodPUT:     "PUT",
	MethodDELETE:  "DELETE",
	MethodOPTIONS: "OPTIONS",
	MethodCONNECT: "CONNECT",
	MethodTRACE:   "TRACE",
	MethodPATCH:   "PATCH",
	MethodOther:   "other",
}

// String returns the method's name, or "other" for MethodOther.
func (m Method) String() string {
	if int(m) >= len(methodNames) {
		return "other"
	}
	return methodNames[m]
}

// parseMethod maps a method token to its Method. The switch on a
// converted []byte compiles to length-then-content comparisons and does
// not allocate.
func parseMethod(b []byte) Method {
	switch string(b) {
	case "GET":
		return MethodGET
	case "HEAD":
		return MethodHEAD
	case "POST":
		return MethodPOST
	case "PUT":
		return MethodPUT
	case "DELETE":
		return MethodDELETE
	case "OPTIONS":
		return MethodOPTIONS
	case "CONNECT":
		return MethodCONNECT
	case "TRACE":
		return MethodTRACE
	case "PATCH":
		return MethodPATCH
	}
	return MethodOther
}
