package golws

import (
	"bytes"
	"strconv"
	"time"

	"github.com/golws/golws/hpack"
)

// appendH2Fields appends a response's fields after :status: date, server,
// content-type, and the handler's headers, whose names HTTP/2 wants in
// lowercase and without the fields that only HTTP/1.1 framing uses.
func (c *Context) appendH2Fields(b []byte, enc *hpack.Encoder, w *Response, now time.Time) []byte {
	var date [64]byte
	d := c.date.Append(date[:0], now) // "Date: ...\r\n"
	b = enc.AppendFieldString(b, "date", bytesToString(d[len("Date: "):len(d)-2]), false)
	if c.server != "" {
		b = enc.AppendFieldString(b, "server", c.cfg.ServerName, false)
	}
	if w.ctype != "" {
		b = enc.AppendFieldString(b, "content-type", w.ctype, false)
	}
	if w.hdr == nil {
		return b
	}
	var lower [64]byte
	for lines := w.hdr.B; len(lines) > 0; {
		end := bytes.IndexByte(lines, '\n')
		line := lines[:end-1] // without CRLF
		lines = lines[end+1:]
		colon := bytes.IndexByte(line, ':')
		name, value := line[:colon], line[colon+2:]
		var lname []byte
		if len(name) <= len(lower) {
			lname = lower[:len(name)]
		} else {
			lname = make([]byte, len(name))
		}
		for i, ch := range name {
			if ch >= 'A' && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			lname[i] = ch
		}
		switch string(lname) {
		case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length":
			continue
		}
		sensitive := string(lname) == "set-cookie" || string(lname) == "authorization"
		b = enc.AppendFieldString(b, bytesToString(lname), bytesToString(value), sensitive)
	}
	return b
}

// appendH2ContentLength appends content-length: n without allocating.
func appendH2ContentLength(b []byte, enc *hpack.Encoder, n int64) []byte {
	var digits [20]byte
	return enc.AppendFieldString(b, "content-length", bytesToString(strconv.AppendInt(digits[:0], n, 10)), false)
}
