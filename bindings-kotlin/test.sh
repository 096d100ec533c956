#!/usr/bin/env bash
# Builds the native library with cargo and runs the Kotlin tests (JUnit 5 through Maven) against
# the mock server: NIXFLEX_MOCK_URL when set, else a mock started here and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# The same features as bindings-swift/generate.sh, so the two never rebuild each other's library.
cargo build --quiet -p nixflex-uniffi --features bindgen

if [ -z "${NIXFLEX_MOCK_URL:-}" ]; then
  start_mock
  trap stop_mock EXIT
fi

rm -rf bindings-kotlin/target/surefire-reports
started=$(date +%s)
status=0
# install, not just test: the conformance runner depends on the package as a user would.
mvn -q -B -Dstyle.color=never -f bindings-kotlin/pom.xml install || status=$?
elapsed=$(( $(date +%s) - started ))

# Maven is quiet: print what ran, the figures the tests report, and one closing line.
python3 - "$elapsed" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for path in sorted(glob.glob("bindings-kotlin/target/surefire-reports/TEST-*.xml")):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0))
    failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
for path in sorted(glob.glob("bindings-kotlin/target/surefire-reports/*-output.txt")):
    for line in open(path, errors="replace"):
        if line.startswith(("exactly-once", "operations:")):
            print(line.rstrip())
passed = tests - failed - skipped
print(f"Kotlin: mvn install (with the tests) took {sys.argv[1]} s")
if tests == 0:
    print("Kotlin: no test ran (the build failed before the tests; see Maven's errors above)")
print(f"Kotlin: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
