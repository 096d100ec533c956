#!/usr/bin/env bash
# The uniffi crate and the Swift package: the crate's Rust tests, the generated Swift and Kotlin
# sources checked fresh against the built library, and the XCTest suite where a Swift toolchain
# exists (against NIXFLEX_MOCK_URL, else a mock started here).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

cargo test --quiet -p nixflex-uniffi --features bindgen --lib
bindings-swift/generate.sh --check

written=$(grep -ho 'func test[A-Za-z0-9_]*(' bindings-swift/Tests/NixflexTests/*.swift | wc -l | tr -d ' ')
if command -v swift >/dev/null 2>&1; then
  if [ -z "${NIXFLEX_MOCK_URL:-}" ]; then
    start_mock
    trap stop_mock EXIT
  fi
  (cd bindings-swift && swift test)
else
  echo "Swift: $written tests written, not run: no Swift toolchain on this machine"
fi
