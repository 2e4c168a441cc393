package golws

import (
	"github.com/golws/golws/h1"
	"github.com/golws/golws/ws"
)

// tryWS upgrades an HTTP/1.1 request to a WebSocket endpoint (RFC 6455
// §4.2): it checks the handshake, answers 101 and hands the connection to
// the WebSocket role. It returns false to serve the request normally (a
// refusal is then the handler's answer).
func (h *h1Conn) tryWS(x *exchange, m *wsMount) bool {
	hd := &x.head
	switch {
	case hd.Method != h1.MethodGET || hd.Minor == 0 || hd.HasBody():
		x.handler = wsRefusal{400, "a WebSocket handshake is a GET without a body"}
		return false
	case string(hd.GetName("Sec-WebSocket-Version")) != "13":
		x.handler = wsRefusal{426, "WebSocket version 13 only"}
		return false
	case !ws.ValidKey(hd.GetName("Sec-WebSocket-Key")):
		x.handler = wsRefusal{400, "invalid Sec-WebSocket-Key"}
		return false
	case !m.originAllowed(hd.GetName("Origin")):
		x.handler = wsRefusal{403, "origin not allowed"}
		return false
	}
	proto, name := m.pick(hd.GetName("Sec-WebSocket-Protocol"))
	b := h.pl.scratch[:0]
	b = append(b, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
	b = ws.AcceptKey(b, hd.GetName("Sec-WebSocket-Key"))
	b = append(b, "\r\n"...)
	if name != "" {
		b = append(append(append(b, "Sec-WebSocket-Protocol: "...), name...), "\r\n"...)
	}
	var zp ws.DeflateParams
	deflate := false
	if m.opt.Compression {
		mark := len(b)
		b = append(b, "Sec-WebSocket-Extensions: "...)
		if zp, b, deflate = negotiateDeflate(b, hd.GetName("Sec-WebSocket-Extensions")); deflate {
			b = append(b, "\r\n"...)
		} else {
			b = b[:mark]
		}
	}
	b = append(b, "\r\n"...)
	h.c.WriteAll(b)
	h.pl.scratch = b[:0]
	x.resp.status = 101
	h.logRequest(x)

	wh := &wsH1{c: h.c}
	t := &wh.t
	t.init(wh, h.pl, m, proto, name)
	if deflate {
		t.enableDeflate(zp, h.pl)
	}
	h.c.SetHandler(wh)
	h.c.ClearTimeout()
	t.armKeepalive()
	proto.OnOpen(&t.s, &x.req)
	h.pl.putExchange(x)
	h.x = nil
	h.closing = true // this role is done; the connection is the WebSocket's
	h.switched = wh
	return true
}

// originAllowed checks Origin against the mount's list (any if empty).
func (m *wsMount) originAllowed(origin []byte) bool {
	if len(m.opt.Origins) == 0 {
		return true
	}
	for _, o := range m.opt.Origins {
		if o == string(origin) {
			return true
		}
	}
	return false
}

// wsRefusal answers a WebSocket handshake that cannot be accepted.
type wsRefusal struct {
	status int
	reason string
}

func (f wsRefusal) Serve(w *Response, r *Request) {
	if f.status == 426 {
		w.Header("Sec-WebSocket-Version", "13")
	}
	w.Error(f.status, f.reason)
}
