// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-warnings-as-errors"], .when(configuration: .debug)),
]

let package = Package(
    name: "estbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "estbench", targets: ["estbench"]),
        .library(name: "DER", targets: ["DER"]),
        .library(name: "PKI", targets: ["PKI"]),
        .library(name: "EventLoop", targets: ["EventLoop"]),
        .library(name: "HTTP", targets: ["HTTP"]),
        .library(name: "TLS", targets: ["TLS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C at the edges: system libraries through pkg-config, shims for macros and variadics.
        .systemLibrary(
            name: "CLibUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "COpenSSLShims", dependencies: ["COpenSSL"]),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // libuv event loop: the only importer of CLibUV.
        .target(name: "EventLoop", dependencies: ["CLibUV"], swiftSettings: strict),
        // HTTP/1.1 encoders and incremental parsers with limits: pure Swift.
        .target(name: "HTTP", swiftSettings: strict),
        // TLS through OpenSSL memory BIOs (TLSContext, TLSSession) and its glue to TCPConnection.
        .target(name: "TLS", dependencies: ["COpenSSL", "COpenSSLShims", "EventLoop", "PKI", "DER"], swiftSettings: strict),

        // EST operations, paths, media types, request bodies and response validation.
        .target(name: "EST", dependencies: ["HTTP", "PKI", "DER"], swiftSettings: strict),
        // The built-in EST server: EventLoop + TLS + HTTP + PKI.
        .target(name: "Server", dependencies: ["EST", "EventLoop", "TLS", "HTTP", "PKI", "DER"], swiftSettings: strict),

        // Phase timestamps, HDR histograms per (operation, phase), counters, error taxonomy, timeline,
        // TLS facts, interop findings and the tool's own usage: everything mergeable.
        .target(name: "Metrics", dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")], swiftSettings: strict),

        // Profile model, YAML parsing + validation, overrides, arrival schedules and rate-limiter math.
        .target(name: "Workload", dependencies: ["EST", "PKI", "Metrics", .product(name: "Yams", package: "Yams")], swiftSettings: strict),

        // Results folder (result.json, timeline.csv, .hgrm, .hlog), the console summary table and the HTML report.
        .target(name: "Report", dependencies: ["Metrics", "Workload", "CZlib", .product(name: "Histogram", package: "hdrhistogram-swift")], swiftSettings: strict),
        // Workers, devices, the run coordinator: takes a target and returns measurements (no Server, no Report).
        .target(name: "Engine", dependencies: ["Workload", "Metrics", "EST", "TLS", "EventLoop", "HTTP", "PKI", "DER"], swiftSettings: strict),

        // Pure Swift DER writer and reader: no dependencies at all.
        .target(name: "DER", swiftSettings: strict),
        // Keys, CSR builder, CSR pools, certs-only reader, and their OpenSSL baselines (EventLoop: for its clock only).
        .target(name: "PKI", dependencies: ["DER", "EventLoop", "COpenSSL", "COpenSSLShims"], swiftSettings: strict),

        .executableTarget(
            name: "estbench",
            dependencies: [
                "DER", "PKI", "EventLoop", "HTTP", "TLS", "EST", "Server", "Workload", "Metrics", "Engine", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Third-party peers for tests (openssl s_server), shared by test targets.
        .target(name: "TestSupport", dependencies: ["PKI"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "EST", "PKI"], swiftSettings: strict),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Metrics", "Workload", "Server", "EST", "PKI", "EventLoop", "HTTP", "TLS"], swiftSettings: strict),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Metrics", "Workload", .product(name: "Histogram", package: "hdrhistogram-swift")], swiftSettings: strict),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], swiftSettings: strict),
        .testTarget(name: "DERTests", dependencies: ["DER", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop"], swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "DER", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "PKI", "EventLoop", "TestSupport", "COpenSSL", "COpenSSLShims"], swiftSettings: strict),
        .testTarget(name: "PKITests", dependencies: ["PKI", "DER", "COpenSSL", "COpenSSLShims", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ESTTests", dependencies: ["EST", "HTTP", "PKI", "DER", "COpenSSL"], swiftSettings: strict),
        .testTarget(name: "ServerTests", dependencies: ["Server", "EST", "TLS", "EventLoop", "HTTP", "PKI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["estbench", "TestSupport"], swiftSettings: strict),
    ]
)
