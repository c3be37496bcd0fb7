// swift-tools-version:6.1
// genmon: a local, private monitor for Generac Evolution and Nexus standby generators.
import PackageDescription

let package = Package(
    name: "genmon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "genmon", targets: ["genmon"]),
        .executable(name: "genmon-bench", targets: ["genmon-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // The web app: HTTP server, TLS, password hashing, certificates.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
    ],
    targets: [
        // Pure Modbus codecs: CRC, RTU and MBAP framing, PDUs. No dependencies, no I/O.
        .target(name: "ModbusCore", exclude: ["README.md"], swiftSettings: optimizedInDebug),
        // The few POSIX calls Swift's Glibc module does not import (pseudo-terminal allocation).
        .target(name: "CPosixSupport"),
        // Byte streams (serial, pseudo-terminal, TCP) and the Modbus client and server built on them.
        .target(
            name: "ModbusTransport",
            dependencies: ["ModbusCore", "CPosixSupport", .product(name: "_CryptoExtras", package: "swift-crypto")],
            exclude: ["README.md"]
        ),
        // Everything Generac: register map, detection, decoders, logs, alarm and model tables, commands. Pure.
        .target(name: "Generac", exclude: ["README.md"]),
        // A simulated Evolution / Nexus controller served as a Modbus slave.
        .target(name: "Simulator", dependencies: ["ModbusCore", "ModbusTransport", "Generac"], exclude: ["README.md"]),
        // The heart: polls the controller, keeps one snapshot, detects events, runs commands through one door.
        .target(name: "Monitor", dependencies: ["ModbusCore", "ModbusTransport", "Generac"], exclude: ["README.md"]),
        // genmon.conf: an INI reader and the settings genmon understands (the original's keys, plus ours).
        .target(name: "GenmonConfig", dependencies: ["Generac", "ModbusTransport"], exclude: ["README.md"]),
        // SQLite persistence: events, outages, audit log, downsampled history for charts.
        .target(
            name: "Store",
            dependencies: ["Monitor", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["README.md"]
        ),
        // The original genmon's TCP command protocol and text/JSON reports, so its clients keep working.
        .target(
            name: "LegacyProtocol",
            dependencies: [
                "Monitor", "Generac", "ModbusTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        // The web app: status, history, controls and the JSON / legacy HTTP APIs, with accounts and sessions.
        .target(
            name: "Web",
            dependencies: [
                "Monitor", "Generac", "ModbusTransport", "Store", "LegacyProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["README.md", "Assets"]
        ),
        // The kernel's GPIO character-device uAPI (<linux/gpio.h>): ioctl numbers, layouts for the ABI tests.
        .target(name: "CGPIO"),
        // GPIO: the v2 character device and a simulated chip, the Pi header table, gengpio/gengpioin config and rules.
        .target(name: "GPIO", dependencies: ["CGPIO", "GenmonConfig", "Generac"], exclude: ["README.md"], swiftSettings: optimizedInDebug),
        .executableTarget(
            name: "genmon",
            dependencies: [
                "ModbusCore", "ModbusTransport", "Generac", "Simulator", "Monitor", "Store", "LegacyProtocol", "GenmonConfig", "CPosixSupport", "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "genmon-bench",
            dependencies: ["ModbusCore", "ModbusTransport", "Simulator", "Generac", "Monitor", "LegacyProtocol", "Store", "Web"],
            path: "Benchmarks/genmon-bench"
        ),
        .testTarget(name: "ModbusCoreTests", dependencies: ["ModbusCore"]),
        .testTarget(name: "ModbusTransportTests", dependencies: ["ModbusCore", "ModbusTransport"]),
        .testTarget(name: "GeneracTests", dependencies: ["Generac"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "ModbusTransport", "Generac"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "Simulator", "ModbusTransport", "Generac"]),
        .testTarget(name: "GenmonConfigTests", dependencies: ["GenmonConfig", "Generac"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Monitor"]),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Monitor", "Generac", "Store", "Simulator", "ModbusTransport", "LegacyProtocol", "GenmonConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(name: "GPIOTests", dependencies: ["GPIO", "CGPIO", "GenmonConfig", "Generac"]),
        .testTarget(name: "LegacyProtocolTests", dependencies: ["LegacyProtocol", "Monitor", "Generac", "Simulator", "ModbusTransport"]),
    ]
)

/// The codecs run for every byte on the wire and in million-frame test runs; keep them optimised
/// even in debug builds so the test suite stays fast.
var optimizedInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }
