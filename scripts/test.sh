#!/usr/bin/env bash
# `npm test`, the README's test command, and what CI (.ci/run) runs after `npm ci`: the Debian packages
# the tests need (installed when missing, see scripts/system-packages.sh), then the build (the notebooks
# and the packed-tarball test use dist/), lint, the notebooks executed headlessly, and the vitest suite.
# Every stage runs even when an earlier one fails; the last lines say which failed and how many tests
# passed. For a quick subset: npm run test:vitest -- test/cli
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh || exit 1

status=0
report=()
stage() {
  local name=$1
  shift
  echo "== npm test: $name"
  if "$@"; then report+=("$name ok"); else report+=("$name FAILED"); status=1; fi
}
stage build npm run --silent build
stage lint npm run --silent lint
stage notebooks env FLOWPROOF_SKIP_BUILD=1 notebooks/execute.sh
stage tests npm run --silent test:vitest -- "$@"

echo
echo "npm test: $(IFS=,; echo "${report[*]}" | sed 's/,/, /g')"
node scripts/summary.mjs test-artifacts/vitest.json
exit $status
