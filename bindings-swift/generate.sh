#!/usr/bin/env bash
# Generates the Swift and Kotlin sources from the built uniffi library (library mode) with the
# crate's own `uniffi-bindgen`, so the bindings always match the scaffolding.
#
#   bindings-swift/generate.sh           # write them into the Swift package and the Maven project
#   bindings-swift/generate.sh --check   # fail if the committed ones differ from fresh ones
#
# The typed Rust surface itself comes from spec/ (python3 tools/codegen/main.py); run that first
# when the spec changes.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
[ "${1:-}" = "--check" ] && check=true

cargo build --quiet -p nixflex-uniffi --features bindgen
case "$(uname -s)" in
  Darwin) lib=target/debug/libnixflex_ffi.dylib ;;
  *) lib=target/debug/libnixflex_ffi.so ;;
esac

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# --no-format: ktlint or swift-format, where installed, would make the output machine-dependent.
./target/debug/uniffi-bindgen generate --no-format --library "$lib" \
  --language swift --language kotlin --out-dir "$out" >/dev/null

# generated file -> committed path
pairs=(
  "$out/Nixflex.swift:bindings-swift/Sources/Nixflex/Nixflex.swift"
  "$out/NixflexFFI.h:bindings-swift/Sources/NixflexFFI/NixflexFFI.h"
  "$out/com/nixflex/nixflex_ffi.kt:bindings-kotlin/src/main/kotlin/com/nixflex/nixflex_ffi.kt"
)

stale=()
for pair in "${pairs[@]}"; do
  src=${pair%%:*}
  dst=${pair#*:}
  if $check; then
    cmp -s "$src" "$dst" || stale+=("$dst")
  elif ! cmp -s "$src" "$dst"; then
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
    echo "wrote $dst"
  fi
done

if [ ${#stale[@]} -gt 0 ]; then
  echo "uniffi bindings are stale; run bindings-swift/generate.sh:"
  printf '  %s\n' "${stale[@]}"
  exit 1
fi
$check && echo "uniffi bindings are fresh (Swift, C header, Kotlin)"
exit 0
