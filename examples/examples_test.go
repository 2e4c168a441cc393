// Package examples runs the minimal examples against each other, as lws's
// CI does with its minimal-examples.
package examples

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build %s: %v", pkg, err)
	}
	return out
}

func TestRawEchoClientAgainstServer(t *testing.T) {
	dir := t.TempDir()
	server := build(t, dir, "./raw-echo-server")
	client := build(t, dir, "./raw-echo-client")

	srv := exec.Command(server, "-addr", "127.0.0.1:0")
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("server said %q, %v", line, err)
	}
	for _, size := range []string{"1", "64", "100000"} {
		out, err := exec.Command(client, "-addr", addr, "-n", "500", "-size", size).CombinedOutput()
		if err != nil {
			t.Fatalf("client -size %s: %v\n%s", size, err, out)
		}
		t.Logf("%s", strings.TrimSpace(string(out)))
	}
	// SIGTERM is a graceful shutdown: the server exits 0.
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
}
