#!/usr/bin/env bash
# Builds cascade and runs the conformance corpus (../shared/conformance/cases): every case
# is a small network of simulated peers running Cascade's AIR interpreter, compared with
# the real AquaVM's recorded run by ../shared/conformance/compare.mjs.
set -euo pipefail
cd "$(dirname "$0")"
shared="$(pwd)/../shared"
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
[ -d "$shared/oracle/node_modules" ] || (cd "$shared/oracle" && npm ci --no-audit --no-fund)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/cascade" ./cmd/cascade
node "$shared/conformance/compare.mjs" --strict-cids --strict-data \
  --run "$bin/cascade conformance" "$shared/conformance/cases"
