// Package mimetype maps file name extensions to Content-Type values for the
// static file server.
//
// It is deliberately not the standard mime package: that one consults the
// system's mime.types files, so the answer for a given file would depend on
// the host, and its lookups allocate. This table is fixed, small and
// explicit about charsets, and lookups never allocate.
package mimetype
