#!/usr/bin/env bash
# Builds NixflexFFI.xcframework next to Package.swift: the Rust library as static libraries for
# iOS devices, the iOS simulators (arm64 + x86_64) and macOS (arm64 + x86_64), with the C header
# and module map of the uniffi scaffolding. Package.swift uses it as a binary target once it
# exists. It also writes NixflexFFI.xcframework.zip and its SwiftPM checksum, which a release
# publishes for `.binaryTarget(url:checksum:)`. Needs macOS with Xcode (xcodebuild, lipo,
# ditto, swift) and rustup.
#
#   ./build-xcframework.sh            # release build
#   PROFILE=dev ./build-xcframework.sh
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null 2>&1; then
  echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo); nothing built." >&2
  exit 1
fi

profile=${PROFILE:-release}
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for target in "${targets[@]}"; do
  cargo build -p nixflex-uniffi --lib --profile "$profile" --target "$target"
done

# The committed Swift must match the scaffolding compiled into these libraries.
./generate.sh --check

lib() { echo "../target/$1/$dir/libnixflex_ffi.a"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/headers" "$work/ios-simulator" "$work/macos"
cp Sources/NixflexFFI/NixflexFFI.h "$work/headers/"
cat > "$work/headers/module.modulemap" <<'MAP'
module NixflexFFI {
    header "NixflexFFI.h"
    export *
}
MAP
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$work/ios-simulator/libnixflex_ffi.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$work/macos/libnixflex_ffi.a"

rm -rf NixflexFFI.xcframework
xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$work/headers" \
  -library "$work/ios-simulator/libnixflex_ffi.a" -headers "$work/headers" \
  -library "$work/macos/libnixflex_ffi.a" -headers "$work/headers" \
  -output NixflexFFI.xcframework
echo "built $(pwd)/NixflexFFI.xcframework"

# The zipped form a release ships; ditto keeps the framework's symlinks and metadata as SwiftPM
# expects them.
rm -f NixflexFFI.xcframework.zip
ditto -c -k --sequesterRsrc --keepParent NixflexFFI.xcframework NixflexFFI.xcframework.zip
checksum=$(swift package compute-checksum NixflexFFI.xcframework.zip)
echo "built $(pwd)/NixflexFFI.xcframework.zip"
echo "checksum $checksum"
echo "(recompute it with: swift package compute-checksum NixflexFFI.xcframework.zip)"
echo "a release's Package.swift then names it as:"
echo "  .binaryTarget(name: \"NixflexFFI\", url: \"https://…/NixflexFFI.xcframework.zip\", checksum: \"$checksum\")"
