#!/usr/bin/env bash
# Runs every golws test: format, vet, staticcheck, the whole suite under the
# race detector (unit, fuzz seed corpora, end-to-end, examples against each
# other), cross-builds for the kqueue platforms, and a short smoke run of the
# benchmark harness. Needs Go, the Go module proxy, and the interop peers
# that .ci/run installs (curl, nghttp2-client, wrk, openssl, h2spec, node
# and npm, chromium).
set -euo pipefail
cd "$(dirname "$0")"
STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2

step() { printf '\n== %s\n' "$*"; }

step gofmt
bad=$(gofmt -l .)
if [ -n "$bad" ]; then echo "gofmt would change:"; echo "$bad"; exit 1; fi

step go vet
go vet ./...
[ -f bench/go.mod ] && (cd bench && go vet ./... && go test ./...)
(cd interop && go vet ./...)

step staticcheck
go run "$STATICCHECK" ./...
[ -f bench/go.mod ] && (cd bench && go run "$STATICCHECK" ./...)
(cd interop && go run "$STATICCHECK" ./...)

step "cross-builds (kqueue platforms)"
for target in darwin/arm64 darwin/amd64 freebsd/amd64 netbsd/amd64 openbsd/amd64 linux/arm64; do
  echo "$target"
  GOOS=${target%/*} GOARCH=${target#*/} go vet ./...
done

step "go test -race ./..."
go test -race -count=1 -timeout 20m ./...

step "differential tests against x/net (interop/, a test-only module)"
(cd interop && go test -race -count=1 ./...)

step "allocation tests without the race detector (it makes pools drop items)"
go test -count=1 -run 'Alloc' ./...

step "benchmark harness smoke run (figures from it mean nothing)"
if [ -f bench/go.mod ]; then
  (cd bench && go run ./cmd/rawbench -duration 200ms -sizes 64 -conns 1,100 -idle 200 -count 1 -out /tmp/golws-rawbench-smoke.md >/dev/null)
  (cd bench && go run ./cmd/httpbench -proto h2 -servers golws,nethttp -scale 0.01 -count 1 -quiet-wait 2s -retries 0 -out /tmp/golws-h2bench-smoke.md >/dev/null)
  echo ok
fi
