// swift-tools-version:6.0
import PackageDescription

// No package dependencies on purpose: every target here is small, and a clean
// build on a 2-core CI machine stays in seconds (see docs/architecture.md).
let package = Package(
    name: "liege",
    products: [
        .executable(name: "liege", targets: ["liege"]),
    ],
    targets: [
        // System libraries and the C shim for what Swift's Glibc module does not import.
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPython", pkgConfig: "python3-embed", providers: [.apt(["python3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CSystem"),

        // Libraries, one folder each.
        .target(name: "LiegeConfig", dependencies: ["CLibYAML", "LiegeSystem", "LiegeHTTP"]),
        .target(name: "LiegeSystem", dependencies: ["CSystem"]),
        .target(name: "LiegeHTTP", dependencies: ["CZlib"]),
        .target(name: "LiegePython", dependencies: ["CPython"]),
        .target(name: "LiegeWorker", dependencies: ["LiegeConfig", "LiegeSystem", "LiegeHTTP", "LiegePython"]),
        .target(name: "LiegeMaster", dependencies: ["LiegeConfig", "LiegeSystem", "LiegeHTTP"]),
        .target(name: "LiegeEmperor", dependencies: ["LiegeConfig", "LiegeSystem"]),

        // The one executable: picks the role (master, worker, tools).
        .executableTarget(name: "liege", dependencies: ["LiegeConfig", "LiegeSystem", "LiegeMaster", "LiegeWorker", "LiegeEmperor"]),

        // Unit tests on pure logic; integration tests live in Tests/integration (pytest, real binary).
        .testTarget(name: "LiegeConfigTests", dependencies: ["LiegeConfig"]),
        .testTarget(name: "LiegeHTTPTests", dependencies: ["LiegeHTTP"]),
        .testTarget(name: "LiegeSystemTests", dependencies: ["LiegeSystem"]),
        .testTarget(name: "LiegePythonTests", dependencies: ["LiegePython"]),
        .testTarget(name: "LiegeWorkerTests", dependencies: ["LiegeWorker", "LiegeHTTP"]),
        .testTarget(name: "LiegeMasterTests", dependencies: ["LiegeMaster", "LiegeSystem"]),
        .testTarget(name: "LiegeEmperorTests", dependencies: ["LiegeEmperor", "LiegeConfig", "LiegeSystem"]),
    ]
)
