package h1

import "testing"

func TestAddHeader(t *testing.T) {
	var r Request
	r.Reset()
	r.AddHeader([]byte("user-agent"), []byte("a"))
	r.AddHeader([]byte("x-thing"), []byte("b"))
	r.AddHeader([]byte("user-agent"), []byte("c"))
	if got := string(r.Get(HeaderUserAgent)); got != "a" {
		t.Fatalf("Get(User-Agent) = %q", got)
	}
	if got := string(r.GetName("X-Thing")); got != "b" {
		t.Fatalf("GetName(X-Thing) = %q", got)
	}
	if ParseMethod([]byte("PATCH")) != MethodPATCH || ParseMethod([]byte("get")) != MethodOther {
		t.Fatal("ParseMethod")
	}
	if n, ok := ParseContentLength([]byte("42")); !ok || n != 42 {
		t.Fatal("ParseContentLength")
	}
	r.Reset()
	if r.Get(HeaderUserAgent) != nil || len(r.Headers) != 0 {
		t.Fatal("Reset kept fields")
	}
}
