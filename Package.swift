// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "testbed",
    // Linux only: network namespaces, iproute2 and libssh2 are what it drives.
    products: [
        .executable(name: "testbed", targets: ["testbed"]),
        .executable(name: "testbed-fuzz", targets: ["TestbedFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // Pure model: topology, plans, importers, the kernel-state model. No I/O beyond reading files.
        .target(
            name: "PlanModel",
            dependencies: [
                "Yams",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Frames between the orchestrator and the on-node agent, the agent text, parsers of its replies.
        .target(
            name: "NodeAgentProtocol",
            dependencies: ["PlanModel"],
            swiftSettings: swiftSettings
        ),
        // The Netsukuku domain (address schemes, IP mapping, route semantics) and the scenario compiler. Pure.
        .target(
            name: "Netsukuku",
            dependencies: [
                "PlanModel",
                "Yams",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"]), .brew(["libssh2"])]
        ),
        // Linux calls Swift's Glibc module hides behind _GNU_SOURCE.
        .target(name: "CSupport"),
        // The run session, schedules and engine, checks, connections (libssh2, agent), the local lab, reports.
        .target(
            name: "Orchestrator",
            dependencies: [
                "PlanModel",
                "NodeAgentProtocol",
                "CLibSSH2",
                "CSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmark command's measurements: testbed against its peers, run in one invocation.
        .target(
            name: "TestbedBench",
            dependencies: [
                "PlanModel",
                "NodeAgentProtocol",
                "Netsukuku",
                "Orchestrator",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "testbed",
            dependencies: [
                "PlanModel",
                "NodeAgentProtocol",
                "Netsukuku",
                "Orchestrator",
                "TestbedBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The parsers' fuzz harness. Plain build: replays inputs through a parser. Built by Scripts/fuzz with
        // `--sanitize fuzzer -Xswiftc -DFUZZING`, it is a libFuzzer binary (libFuzzer's main drives it).
        .executableTarget(
            name: "TestbedFuzz",
            dependencies: ["PlanModel", "NodeAgentProtocol", "Netsukuku", "Orchestrator"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PlanModelTests",
            dependencies: ["PlanModel"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetsukukuTests",
            dependencies: ["Netsukuku", "PlanModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NodeAgentProtocolTests",
            dependencies: ["NodeAgentProtocol", "PlanModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: [
                "Orchestrator", "PlanModel", "NodeAgentProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real kernel, real sshd, real namespaces; also runs the built `testbed` binary end to end.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Orchestrator", "PlanModel", "NodeAgentProtocol", "testbed",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Support/junit.xsd"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
