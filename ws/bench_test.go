package ws

import (
	"bytes"
	"compress/flate"
	"strings"
	"testing"
)

// benchFeed feeds copies of stream (Feed unmasks in place) to r.
func benchFeed(b *testing.B, r *Receiver, stream []byte) {
	buf := bytes.Clone(stream)
	c := &counter{}
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, stream)
		if _, err := r.Feed(buf, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiverFeed(b *testing.B) {
	text1k := frame(true, 0, Text, []byte(strings.Repeat("Hello-µ@ßöäüàá-UTF-8!! ", 45)[:1024]), true)
	bin64k := frame(true, 0, Binary, bytes.Repeat([]byte{1, 2, 3}, 64<<10/3), true)
	small := frame(true, 0, Text, []byte("hello"), true)
	b.Run("text1k/whole", func(b *testing.B) { benchFeed(b, &Receiver{Server: true}, text1k) })
	b.Run("text1k/fragments", func(b *testing.B) { benchFeed(b, &Receiver{Server: true, Deliver: Fragments}, text1k) })
	b.Run("text1k/fragmented+ping", func(b *testing.B) { benchFeed(b, &Receiver{Server: true}, textStream()) })
	b.Run("binary64k/whole", func(b *testing.B) { benchFeed(b, &Receiver{Server: true}, bin64k) })
	b.Run("binary64k/fragments", func(b *testing.B) { benchFeed(b, &Receiver{Server: true, Deliver: Fragments}, bin64k) })
	b.Run("100x5B", func(b *testing.B) { benchFeed(b, &Receiver{Server: true}, bytes.Repeat(small, 100)) })
	msg := []byte(strings.Repeat("Hello-µ@ßöäüàá-UTF-8!! 0123456789 ", 30))
	// Throughput counts compressed bytes.
	b.Run("deflate1k/no-context", func(b *testing.B) {
		dn, _ := NewDeflater(flate.DefaultCompression, true)
		benchFeed(b, &Receiver{Server: true, AllowRSV1: true, Inflater: &Inflater{NoContextTakeover: true}},
			frame(true, Rsv1, Text, dn.Deflate(nil, msg), true))
	})
}

func BenchmarkDeflate(b *testing.B) {
	msg := []byte(strings.Repeat("Hello-µ@ßöäüàá-UTF-8!! 0123456789 ", 30))
	for _, noContext := range []bool{false, true} {
		name := "context"
		if noContext {
			name = "no-context"
		}
		b.Run(name, func(b *testing.B) {
			d, _ := NewDeflater(flate.BestSpeed, noContext)
			var out []byte
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				out = d.Deflate(out[:0], msg)
			}
		})
	}
}
