#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs the peer tools the tests
# compare with (scripts/test-deps.sh), then runs every test with the race
# detector. Arguments are passed to go test (e.g. -run, -count=1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-deps.sh
exec go test -race -timeout 45m "$@" ./...
