//go:build linux

package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsflate"
	"github.com/golws/golws"
	"github.com/golws/golws/bench/internal/ctl"
	"github.com/golws/golws/bench/internal/machine"
	gorilla "github.com/gorilla/websocket"
	nbiolog "github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"
	nbws "github.com/lesismal/nbio/nbhttp/websocket"
)

// allImpls are the servers this binary can run, in report order.
var allImpls = []string{"golws", "gorilla", "coder", "gobwas", "nbio", implLws}

// maxMessage bounds a message on every server (each one's read limit).
const maxMessage = 16 << 20

// serverMain runs one echo implementation and answers the harness's
// control commands (package ctl: stats, gc, fds) read from stdin. Every
// server accepts permessage-deflate when the client offers it; the client
// decides per run whether to offer it.
func serverMain(args []string) int {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	impl := fs.String("impl", "golws", "implementation: golws, gorilla, coder, gobwas or nbio (lws is a C program the harness starts itself)")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "wsbench server %s: %v\n", *impl, err)
		return 1
	}
	if _, err := machine.RaiseNofile(); err != nil {
		return fail(err)
	}
	ctlSrv, err := ctl.NewServer()
	if err != nil {
		return fail(err)
	}
	var bound string
	switch *impl {
	case "golws":
		bound, err = serveGolws(*addr)
	case "gorilla":
		bound, err = serveHTTP(*addr, gorillaHandler())
	case "coder":
		bound, err = serveHTTP(*addr, coderHandler())
	case "gobwas":
		bound, err = serveGobwas(*addr)
	case "nbio":
		bound, err = serveNbio(*addr)
	case implLws:
		err = errors.New("lws is a C program (bench/lws-echo), the harness starts it itself")
	default:
		err = fmt.Errorf("unknown implementation %q", *impl)
	}
	if err != nil {
		return fail(err)
	}
	if err := ctlSrv.Ready(bound); err != nil {
		return fail(err)
	}
	ctlSrv.Serve()
	return 0
}

// golwsEcho is the library under test: echo in OnMessage.
type golwsEcho struct{}

func (golwsEcho) OnOpen(*golws.WebSocket, *golws.Request) {}

func (golwsEcho) OnMessage(s *golws.WebSocket, text bool, data []byte, final bool) {
	var err error
	if text {
		err = s.WriteText(data)
	} else {
		err = s.WriteBinary(data)
	}
	if err != nil {
		s.Close(1011, "write failed")
	}
}

func (golwsEcho) OnClose(*golws.WebSocket, uint16, []byte) {}

func serveGolws(addr string) (string, error) {
	var cfg golws.Config
	cfg.Loop.Loops = 1
	ctx, err := golws.New(cfg)
	if err != nil {
		return "", err
	}
	v := ctx.Vhost("bench")
	v.WebSocket("/", golws.WSOptions{MaxMessage: maxMessage, Compression: true}, golws.Protocol("echo", golwsEcho{}))
	a, err := ctx.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// serveHTTP runs h on a net/http server: a goroutine per connection.
func serveHTTP(addr string, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	go srv.Serve(ln)
	return ln.Addr().String(), nil
}

// gorillaHandler is gorilla's echo example: ReadMessage, WriteMessage,
// with its default 4 KiB buffers and compression accepted when offered
// (gorilla always answers with both no_context_takeover parameters).
func gorillaHandler() http.Handler {
	up := gorilla.Upgrader{
		ReadBufferSize:    4096,
		WriteBufferSize:   4096,
		EnableCompression: true,
		CheckOrigin:       func(*http.Request) bool { return true },
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(maxMessage)
		for {
			mt, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(mt, msg); err != nil {
				return
			}
		}
	})
}

// coderHandler is coder/websocket's echo example: stream each message
// from its Reader into a Writer with io.Copy. Compression mode
// NoContextTakeover (coder's default threshold: messages under 512 bytes
// go out uncompressed).
func coderHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
			CompressionMode: websocket.CompressionNoContextTakeover,
		})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(maxMessage)
		ctx := context.Background()
		for {
			typ, rd, err := c.Reader(ctx)
			if err != nil {
				return
			}
			wr, err := c.Writer(ctx, typ)
			if err != nil {
				return
			}
			if _, err := io.Copy(wr, rd); err != nil {
				return
			}
			if err := wr.Close(); err != nil {
				return
			}
		}
	})
}

// gobwasDeflate is one connection's permessage-deflate state: wsflate's
// Reader and Writer around compress/flate at level 1 (as gorilla, coder,
// nbio and golws use; wsflate.DefaultHelper uses level 9), reset for
// every message (no context takeover either way), as in gobwas's README
// example of compression with wsutil.
type gobwasDeflate struct {
	fr    *wsflate.Reader
	fw    *wsflate.Writer
	src   bytes.Reader
	plain bytes.Buffer
	z     bytes.Buffer
}

// flateReader gives compress/flate's reader the Reset(io.Reader) that
// wsflate looks for, so it is reused instead of built per message.
type flateReader struct{ io.ReadCloser }

func (f flateReader) Reset(r io.Reader) { f.ReadCloser.(flate.Resetter).Reset(r, nil) }

func newGobwasDeflate() *gobwasDeflate {
	return &gobwasDeflate{
		fr: wsflate.NewReader(nil, func(r io.Reader) wsflate.Decompressor {
			return flateReader{flate.NewReader(r)}
		}),
		fw: wsflate.NewWriter(nil, func(w io.Writer) wsflate.Compressor {
			f, _ := flate.NewWriter(w, flate.BestSpeed)
			return f
		}),
	}
}

func (d *gobwasDeflate) inflate(p []byte) ([]byte, error) {
	d.src.Reset(p)
	d.fr.Reset(&d.src)
	d.plain.Reset()
	if _, err := d.plain.ReadFrom(d.fr); err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return d.plain.Bytes(), nil
}

func (d *gobwasDeflate) deflate(p []byte) ([]byte, error) {
	d.z.Reset()
	d.fw.Reset(&d.z)
	if _, err := d.fw.Write(p); err != nil {
		return nil, err
	}
	if err := d.fw.Flush(); err != nil {
		return nil, err
	}
	return d.z.Bytes(), nil
}

// serveGobwas is gobwas/ws's low-level example: accept on a net.Listener,
// ws.Upgrade in the connection's goroutine, then ReadHeader, a payload
// slice per frame, unmask, write the header and payload back. The one
// change: reads and writes go through 4 KiB bufio buffers, as gobwas's
// own high-load examples do, instead of a syscall per header field.
// Frames echo one by one (the client sends single-frame messages). With
// permessage-deflate negotiated (wsflate, no context takeover either
// way), compressed frames are inflated and the echo deflated with a
// per-connection wsflate Reader and Writer (gobwasDeflate).
func serveGobwas(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				fmt.Fprintf(os.Stderr, "wsbench server gobwas: accept: %v\n", err)
				time.Sleep(10 * time.Millisecond)
				continue
			}
			go gobwasConn(c)
		}
	}()
	return ln.Addr().String(), nil
}

func gobwasConn(conn net.Conn) {
	defer conn.Close()
	ext := wsflate.Extension{Parameters: wsflate.Parameters{ServerNoContextTakeover: true, ClientNoContextTakeover: true}}
	u := ws.Upgrader{Negotiate: ext.Negotiate}
	if _, err := u.Upgrade(conn); err != nil {
		return
	}
	var z *gobwasDeflate
	if _, ok := ext.Accepted(); ok {
		z = newGobwasDeflate()
	}
	br := bufio.NewReaderSize(conn, 4096)
	bw := bufio.NewWriterSize(conn, 4096)
	for {
		header, err := ws.ReadHeader(br)
		if err != nil || header.Length > maxMessage {
			return
		}
		payload := make([]byte, header.Length)
		if _, err := io.ReadFull(br, payload); err != nil {
			return
		}
		if header.Masked {
			ws.Cipher(payload, header.Mask, 0)
		}
		header.Masked = false
		if z != nil && header.OpCode.IsData() {
			var compressed bool
			var err error
			if header, compressed, err = wsflate.UnsetBit(header); err != nil {
				return
			}
			if compressed {
				if payload, err = z.inflate(payload); err != nil {
					return
				}
			}
			if payload, err = z.deflate(payload); err != nil {
				return
			}
			if header, err = wsflate.SetBit(header); err != nil {
				return
			}
			header.Length = int64(len(payload))
		}
		if header.OpCode == ws.OpClose {
			ws.WriteFrame(bw, ws.NewCloseFrame(nil))
			bw.Flush()
			return
		}
		if err := ws.WriteHeader(bw, header); err != nil {
			return
		}
		if _, err := bw.Write(payload); err != nil {
			return
		}
		if err := bw.Flush(); err != nil {
			return
		}
	}
}

// serveNbio runs nbio's websocket on nbhttp with one poller, event-driven:
// the upgrade handler and OnMessage run on the poller goroutine itself
// (ServerExecutor runs the task in place) instead of nbhttp's default
// goroutine pool. Payloads go back to nbio's allocator after OnMessage.
func serveNbio(addr string) (string, error) {
	nbiolog.SetLevel(nbiolog.LevelError)
	u := nbws.NewUpgrader()
	u.EnableCompression(true)
	u.MessageLengthLimit = maxMessage
	u.CheckOrigin = func(*http.Request) bool { return true }
	u.OnMessage(func(c *nbws.Conn, mt nbws.MessageType, data []byte) {
		if err := c.WriteMessage(mt, data); err != nil {
			c.Close()
		}
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, err := u.Upgrade(w, r, nil); err != nil {
			return
		}
	})
	e := nbhttp.NewEngine(nbhttp.Config{
		Network:                 "tcp",
		Addrs:                   []string{addr},
		NPoller:                 1,
		Handler:                 mux,
		ServerExecutor:          func(f func()) { f() },
		ReleaseWebsocketPayload: true,
	})
	if err := e.Start(); err != nil {
		return "", err
	}
	return addr, nil
}
