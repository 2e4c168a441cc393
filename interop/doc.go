// Package interop holds differential tests of golws's protocol cores
// against trusted implementations. It is a module of its own so that the
// main module keeps no dependency on them.
package interop
