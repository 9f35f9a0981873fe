#!/usr/bin/env bash
# Runs every check of the repository: go vet, gofmt, go test, then the conformance corpus
# (../shared/conformance/cases) on the cascade binary, compared with the real AquaVM's
# recorded results by ../shared/conformance/compare.mjs --strict-cids --strict-data.
# Ends with "N passed, N failed" over all suites run (each vet/gofmt check, each go test
# package, each conformance case) and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
shared="$root/../shared"
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"

# Install what the checks use.
if [ ! -d "$shared/oracle/node_modules" ] || [ "${CI:-}" = true ]; then
  (cd "$shared/oracle" && npm ci --no-audit --no-fund)
fi
go mod download

passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

suite() { # NAME CMD...: one suite that passes or fails as a whole
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
}

gofmt_clean() { # every Go file outside testdata/
  local files
  files=$(find . -name '*.go' -not -path '*/testdata/*' -not -path './.git/*' -print0 | xargs -0 -r gofmt -l)
  [ -z "$files" ] || { echo "not gofmt-formatted:"; echo "$files"; return 1; }
}

suite "go vet" go vet ./...
suite "gofmt" gofmt_clean

echo "== go test"
set +e
go test -timeout 15m ./... 2>&1 | tee "$work/gotest.txt"
set -e
ok=$(grep -cE '^ok[[:space:]]' "$work/gotest.txt" || true)
bad=$(grep -cE '^FAIL[[:space:]]+[^[:space:]]' "$work/gotest.txt" || true)
passed=$((passed + ok))
failed=$((failed + bad))
echo "go test: $ok packages ok, $bad failed"

echo "== conformance (compare.mjs --strict-cids --strict-data)"
if go build -o "$work/cascade" ./cmd/cascade; then
  set +e
  node "$shared/conformance/compare.mjs" --strict-cids --strict-data \
    --run "$work/cascade conformance" "$shared/conformance/cases" | tee "$work/compare.txt"
  set -e
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/compare.txt" | tail -n 1 || true)
  if [ -n "$line" ]; then
    read -r cp _ cf _ <<<"$line"
    passed=$((passed + cp))
    failed=$((failed + cf))
  else
    echo "FAIL conformance: compare.mjs gave no summary"
    failed=$((failed + 1))
  fi
else
  echo "FAIL conformance: go build ./cmd/cascade failed"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
