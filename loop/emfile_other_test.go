//go:build !linux

package loop

const emfileChildEnv = "GOLWS_TEST_EMFILE_CHILD"

func emfileChild() {}
