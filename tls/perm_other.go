//go:build !unix

package tls

import "os"

// Permission bits mean little outside Unix (Windows reports 0666/0777), so
// there is nothing to check.

func checkDir(os.FileInfo) error { return nil }

func keyFileSecure(os.FileInfo) bool { return true }
