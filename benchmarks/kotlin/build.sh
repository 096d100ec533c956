#!/usr/bin/env bash
# Builds the Kotlin driver (benchmarks/kotlin) with Maven, compiling bindings-kotlin's sources in,
# and prints on stdout the command line that runs it against the release uniffi library.
# Exits non-zero (with the reason on stderr) when there is no Kotlin package or it does not build.
#   build.sh [1|0]   # 0: reuse the previous build
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
REPO=$(cd ../.. && pwd)
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
[ -f "$REPO/bindings-kotlin/pom.xml" ] || { echo "bindings-kotlin does not exist" >&2; exit 1; }
command -v mvn >/dev/null || { echo "mvn is not installed" >&2; exit 1; }
command -v java >/dev/null || { echo "java is not installed" >&2; exit 1; }
[ -f "$TARGET/release/libnixflex_ffi.so" ] || { echo "no release uniffi library (cargo build --release -p nixflex-uniffi)" >&2; exit 1; }
if [ "${1:-1}" = 1 ] || [ ! -f target/classpath.txt ]; then
  mvn -q -B -f pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
# A bounded heap, as an app server or a phone gives one: left alone, the JVM sizes its heap
# to a quarter of the machine's memory and its RSS follows.
echo "java -Xss4m -Xmx256m -Djna.library.path=$TARGET/release -cp $HERE/target/classes:$(cat target/classpath.txt) com.nixflex.bench.MainKt"
