// swift-tools-version:5.9
// The Swift runner of the conformance scenarios (tests/conformance/README.md): an XCTest case
// over the same scenario files, calling the Swift package of ../../../bindings-swift as an app
// would. Run it through ./run.sh (or tests/conformance/run.py) where a Swift toolchain exists.
import Foundation
import PackageDescription

let packageDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let rustLibDir = ProcessInfo.processInfo.environment["NIXFLEX_RUST_LIB_DIR"]
    ?? packageDir.appendingPathComponent("../../../target/debug").standardizedFileURL.path

let package = Package(
    name: "NixflexConformance",
    platforms: [.macOS(.v10_15)],
    dependencies: [
        .package(name: "Nixflex", path: "../../../bindings-swift"),
    ],
    targets: [
        .testTarget(
            name: "ConformanceTests",
            dependencies: [.product(name: "Nixflex", package: "Nixflex")],
            path: "Tests/ConformanceTests",
            linkerSettings: [.unsafeFlags(["-L", rustLibDir, "-Xlinker", "-rpath", "-Xlinker", rustLibDir])]
        ),
    ]
)
