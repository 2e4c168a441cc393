#!/usr/bin/env bash
# The long fuzz runner: every FuzzXxx target in the module, each for a
# while (default 60s; FUZZTIME=10m fuzz/run.sh for a soak). Crashers land
# in the package's testdata/fuzz/ and fail the run; commit them as seeds
# once fixed. `go test ./...` already runs every seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${FUZZTIME:-60s}
status=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "== $pkg $target ($time)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$time" || status=1
  done
done
exit $status
