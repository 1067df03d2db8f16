// swift-tools-version:6.0
import PackageDescription

/// Upcoming language features every target opts into: explicit `any` for existentials.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "git-conductor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "git-conductor", targets: ["git-conductor"]),
        .library(name: "ConductorKit", targets: ["ConductorKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // HTTP for the network providers (docs/providers.md says why this client).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // AsyncHTTPClient's own foundation; the test HTTP server in ConductorTesting speaks
        // HTTP/1.1 with NIOHTTP1 directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // Structured logging; AsyncHTTPClient brings it anyway.
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // The only module that sees libgit2's C API.
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "GitKit", dependencies: ["CLibgit2"], swiftSettings: strictSettings),
        .target(name: "ConductorDomain", swiftSettings: strictSettings),
        .target(
            name: "ConductorKit",
            dependencies: [
                "GitKit", "ConductorDomain",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ConductorCLI",
            dependencies: [
                "ConductorKit", "ConductorDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "git-conductor", dependencies: ["ConductorCLI"], swiftSettings: strictSettings),
        // Test and benchmark tooling: not user commands.
        .executableTarget(
            name: "conductor-synth",
            dependencies: ["ConductorKit", "ConductorDomain"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "conductor-bench",
            dependencies: ["ConductorKit", "ConductorDomain", "GitKit", "ConductorTesting"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ConductorTesting",
            dependencies: [
                "ConductorKit", "ConductorDomain", "GitKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ConductorDomainTests", dependencies: ["ConductorDomain"], swiftSettings: strictSettings),
        .testTarget(
            name: "GitKitTests",
            dependencies: ["GitKit", "ConductorTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConductorKitTests",
            dependencies: ["ConductorKit", "ConductorDomain", "GitKit", "ConductorTesting", "conductor-synth"],
            // Golden pull-request bodies, read through #filePath, not bundled.
            exclude: ["Reports/Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConductorCLITests",
            dependencies: ["ConductorTesting", "ConductorDomain", "ConductorKit", "ConductorCLI", "git-conductor", "conductor-synth"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
