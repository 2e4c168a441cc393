package golws

import "unsafe"

// bytesToString views b as a string for the duration of a call that only
// reads it.
func bytesToString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// stringToBytes views s as bytes for a call that only reads them.
func stringToBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
