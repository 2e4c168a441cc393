package ws

import (
	"fmt"
	"strings"
	"testing"
)

func TestAcceptKey(t *testing.T) {
	// RFC 6455 §1.3.
	if got := AcceptKey([]byte("x"), []byte("dGhlIHNhbXBsZSBub25jZQ==")); string(got) != "xs3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Errorf("AcceptKey = %q", got)
	}
	long := []byte(strings.Repeat("k", 200))
	short := AcceptKey(nil, long)
	if len(short) != 28 {
		t.Errorf("long key: %q", short)
	}
}

func TestValidKey(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"dGhlIHNhbXBsZSBub25jZQ==", true},
		{"AAAAAAAAAAAAAAAAAAAAAA==", true},
		{"dGhlIHNhbXBsZSBub25jZQ", false},
		{"dGhlIHNhbXBsZSBub25jZQ=", false},
		{"dGhlIHNhbXBsZSBub25jZSE=", false}, // 17 bytes
		{"dGhlIHNhbXBsZSBub25j*Q==", false},
		{"dGhlIHNhbXBsZSBub25\njZQ==", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidKey([]byte(tt.key)); got != tt.ok {
			t.Errorf("ValidKey(%q) = %v", tt.key, got)
		}
	}
}

func TestSelectProtocol(t *testing.T) {
	tests := []struct {
		header    string
		supported []string
		want      string
	}{
		{"chat, superchat", []string{"superchat", "chat"}, "superchat"},
		{"chat, superchat", []string{"chat", "superchat"}, "chat"},
		{" superchat ,chat", []string{"superchat"}, "superchat"},
		{"Chat", []string{"chat"}, ""},
		{"", []string{"chat"}, ""},
		{",, ,", []string{""}, ""},
		{"mqtt", nil, ""},
		{"a,b,\tc\t", []string{"c"}, "c"},
	}
	for _, tt := range tests {
		if got := SelectProtocol([]byte(tt.header), tt.supported); got != tt.want {
			t.Errorf("SelectProtocol(%q, %q) = %q, want %q", tt.header, tt.supported, got, tt.want)
		}
	}
}

// extString renders what ParseExtensions reports, for comparison.
func extString(header string) (string, error) {
	var b strings.Builder
	err := ParseExtensions([]byte(header), func(name []byte, params []Param) bool {
		fmt.Fprintf(&b, "[%s", name)
		for _, p := range params {
			if p.Value == nil {
				fmt.Fprintf(&b, " %s", p.Name)
			} else {
				fmt.Fprintf(&b, " %s=%s", p.Name, p.Value)
			}
		}
		b.WriteString("]")
		return true
	})
	return b.String(), err
}

func TestParseExtensions(t *testing.T) {
	tests := []struct {
		header string
		want   string
		err    error
	}{
		{"", "", nil},
		{"permessage-deflate", "[permessage-deflate]", nil},
		{"permessage-deflate; client_max_window_bits", "[permessage-deflate client_max_window_bits]", nil},
		{"permessage-deflate;server_max_window_bits=10;client_no_context_takeover, permessage-deflate",
			"[permessage-deflate server_max_window_bits=10 client_no_context_takeover][permessage-deflate]", nil},
		{"a ; b = \"12\" , , c\t;\td=e", "[a b=12][c d=e]", nil},
		{" , foo ,", "[foo]", nil},
		{`x; y="a\"b"`, `[x y=a\"b]`, nil},
		{"a;", "", ErrBadExtensions},
		{"a; =1", "", ErrBadExtensions},
		{"a; b=", "", ErrBadExtensions},
		{`a; b=""`, "", ErrBadExtensions},
		{`a; b="12`, "", ErrBadExtensions},
		{"a b", "", ErrBadExtensions},
		{"ok, a/b", "[ok]", ErrBadExtensions},
		{"a" + strings.Repeat(";p", 17), "", ErrBadExtensions},
	}
	for _, tt := range tests {
		got, err := extString(tt.header)
		if got != tt.want || err != tt.err {
			t.Errorf("%q: %q %v; want %q %v", tt.header, got, err, tt.want, tt.err)
		}
	}
	n := 0
	_ = ParseExtensions([]byte("a, b, c"), func([]byte, []Param) bool { n++; return false })
	if n != 1 {
		t.Errorf("walk not stopped: %d calls", n)
	}
}

func TestNegotiateDeflate(t *testing.T) {
	tests := []struct {
		offer    string
		ok       bool
		params   DeflateParams
		response string
	}{
		{"permessage-deflate", true, DeflateParams{}, "permessage-deflate"},
		{"permessage-deflate; client_max_window_bits", true, DeflateParams{}, "permessage-deflate"},
		{"permessage-deflate; client_max_window_bits=10", true, DeflateParams{ClientMaxWindowBits: 10}, "permessage-deflate"},
		{"Permessage-Deflate; Server_No_Context_Takeover", true, DeflateParams{ServerNoContextTakeover: true}, "permessage-deflate; server_no_context_takeover"},
		{"permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; client_max_window_bits=\"8\"", true,
			DeflateParams{ServerNoContextTakeover: true, ClientNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 8},
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15"},
		// Declined offers, then an acceptable one.
		{"permessage-deflate; server_max_window_bits=10, permessage-deflate; client_no_context_takeover", true,
			DeflateParams{ClientNoContextTakeover: true}, "permessage-deflate; client_no_context_takeover"},
		{"x-webkit-deflate-frame, permessage-deflate; unknown, permessage-deflate", true, DeflateParams{}, "permessage-deflate"},
		{"permessage-deflate; server_no_context_takeover; server_no_context_takeover", false, DeflateParams{}, ""},
		{"permessage-deflate; server_no_context_takeover=1", false, DeflateParams{}, ""},
		{"permessage-deflate; client_no_context_takeover=\"x\"", false, DeflateParams{}, ""},
		{"permessage-deflate; server_max_window_bits", false, DeflateParams{}, ""},
		{"permessage-deflate; server_max_window_bits=8", false, DeflateParams{}, ""},
		{"permessage-deflate; server_max_window_bits=015", false, DeflateParams{}, ""},
		{"permessage-deflate; client_max_window_bits=16", false, DeflateParams{}, ""},
		{"permessage-deflate; client_max_window_bits=7", false, DeflateParams{}, ""},
		{"permessage-deflate; client_max_window_bits=\"1\\5\"", false, DeflateParams{}, ""},
		{"permessage-deflate; client_max_window_bits; client_max_window_bits", false, DeflateParams{}, ""},
		{"permessage-deflate; a=", false, DeflateParams{}, ""},
		{"foo", false, DeflateParams{}, ""},
		{"", false, DeflateParams{}, ""},
	}
	for _, tt := range tests {
		params, resp, ok := NegotiateDeflate([]byte("x"), []byte(tt.offer))
		if ok != tt.ok || params != tt.params || string(resp) != "x"+tt.response {
			t.Errorf("%q: %+v %q %v; want %+v %q %v", tt.offer, params, resp, ok, tt.params, "x"+tt.response, tt.ok)
		}
		if ok {
			// The response is itself a valid, acceptable extension list.
			if _, _, again := NegotiateDeflate(nil, resp[1:]); !again {
				t.Errorf("%q: response %q not acceptable", tt.offer, resp)
			}
		}
	}
}
