package hpack

import "unsafe"

// bytesString views b as a string without copying, for the []byte entry
// points (Encoder.AppendField, the Huffman helpers) to share the string
// code path of AppendFieldString. The callee only reads the string and
// copies whatever it keeps, so b may change afterwards.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// stringBytes views s as bytes for a callee that only reads them.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
