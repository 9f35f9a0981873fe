#!/bin/sh
# Runs a large differential test: N generated AIR scenarios (and N/3 malformed ones) of
# seed SEED on Cascade and on the real AquaVM, compared with compare.mjs.
#
#   scripts/difftest.sh [N] [SEED]      N defaults to 2000, SEED to a random one (printed)
#
# Extra `go test` flags may follow in $DIFFTEST_FLAGS (e.g. "-difftest.save=50" or
# "-difftest.dir=/some/dir" to keep the cases). Diverging cases are copied into
# air/testdata/difftest/ (see air/difftest); replay them with
#   go test ./air/difftest -run TestCorpus
# Needs node and ../shared/oracle with its node_modules (npm ci).
set -eu
cd "$(dirname "$0")/.."
n=${1:-2000}
seed=${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
m=$((n / 3))
echo "difftest: $n valid and $m malformed cases, seed $seed" >&2
# shellcheck disable=SC2086
exec go test ./air/difftest -count=1 -timeout 0 -v -run '^TestDifferential$' \
	-difftest.n="$n" -difftest.malformed="$m" -difftest.seed="$seed" ${DIFFTEST_FLAGS:-}
