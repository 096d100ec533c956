#!/usr/bin/env bash
# Runs the Swift conformance runner (an XCTest case, see Package.swift) and prints its JSON lines.
#   NIXFLEX_MOCK_URL=http://127.0.0.1:PORT tests/conformance/swift/run.sh [name-prefix…]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
NIXFLEX_CONFORMANCE_OUT="$out" NIXFLEX_CONFORMANCE_ONLY="$*" swift test --package-path "$here" >&2
status=$?
cat "$out"
exit $status
