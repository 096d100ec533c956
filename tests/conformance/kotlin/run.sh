#!/usr/bin/env bash
# Runs the Kotlin conformance runner (one JUnit test, see pom.xml) and prints its JSON lines.
#   NIXFLEX_MOCK_URL=http://127.0.0.1:PORT tests/conformance/kotlin/run.sh [name-prefix…]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
only=$(IFS=,; echo "$*")
mvn -q -B -f "$here/pom.xml" test -Dconformance.out="$out" -Dconformance.only="$only" \
  ${NIXFLEX_NATIVE_DIR:+-Dnixflex.native.dir="$NIXFLEX_NATIVE_DIR"} >&2
status=$?
cat "$out"
exit $status
