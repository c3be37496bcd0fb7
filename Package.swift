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
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Metrics: the swift-metrics API (the Modbus client's timer) and its Prometheus backend for /metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        // HTTP client for the notification channels (Twilio, Pushover, Slack, ntfy, Discord, Telegram, webhooks).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
    ],
    targets: [
        // What every module shares: the one clock, log lines for the journal, a seeded random generator.
        .target(name: "GenmonBasics", dependencies: [.product(name: "Logging", package: "swift-log")], exclude: ["README.md"]),
        // Pure Modbus codecs: CRC, RTU and MBAP framing, PDUs. No dependencies, no I/O.
        .target(name: "ModbusCore", exclude: ["README.md"], swiftSettings: optimizedInDebug),
        // The few POSIX calls Swift's Glibc module does not import (pseudo-terminal allocation).
        .target(name: "CPosixSupport"),
        // Byte streams (serial, pseudo-terminal, TCP) and the Modbus client and server built on them.
        .target(
            name: "ModbusTransport",
            dependencies: ["ModbusCore", "CPosixSupport", "GenmonBasics", .product(name: "_CryptoExtras", package: "swift-crypto"),
                           .product(name: "CoreMetrics", package: "swift-metrics")],
            exclude: ["README.md"]
        ),
        // Everything Generac: register map, detection, decoders, logs, alarm and model tables, commands. Pure.
        .target(name: "Generac", exclude: ["README.md"]),
        // A simulated Evolution / Nexus controller served as a Modbus slave.
        .target(
            name: "Simulator",
            dependencies: ["ModbusCore", "ModbusTransport", "Generac", "GenmonBasics", .product(name: "Logging", package: "swift-log")],
            exclude: ["README.md"]
        ),
        // The heart: polls the controller, keeps one snapshot, detects events, runs commands through one door.
        .target(
            name: "Monitor",
            dependencies: [
                "ModbusCore", "ModbusTransport", "Generac", "GenmonBasics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"]
        ),
        // genmon.conf: an INI reader and the settings genmon understands (the original's keys, plus ours).
        .target(
            name: "GenmonConfig",
            dependencies: ["Generac", "ModbusTransport", "GenmonBasics", "MailProtocol", .product(name: "Logging", package: "swift-log")],
            exclude: ["README.md"]
        ),
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
                "Monitor", "Generac", "GenmonBasics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        // Telling people: events and readings to notifications (the original's catalogue, threshold rules,
        // noise control), the durable outbox's delivery worker, and the channels (e-mail first).
        .target(
            name: "Notify",
            dependencies: [
                "Monitor", "Generac", "GenmonBasics", "GenmonConfig", "Store", "LegacyProtocol", "MailProtocol", "MailTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // The web app: status, history, controls and the JSON / legacy HTTP APIs, with accounts and sessions.
        .target(
            name: "Web",
            dependencies: [
                "Monitor", "Generac", "GenmonBasics", "Store", "LegacyProtocol", "Notify",
                .product(name: "Logging", package: "swift-log"),
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
        // Pure mail codecs: SMTP commands, replies and session, MIME writing, header and address reading,
        // IMAP commands, response framing and parsing, the IMAP session.
        .target(name: "MailProtocol", exclude: ["README.md"], swiftSettings: optimizedInDebug),
        // SMTP and IMAP clients over SwiftNIO with TLS, and the IMAP intake loop.
        .target(
            name: "MailTransport",
            dependencies: [
                "MailProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        // Commands by e-mail: who may command, one-time codes, Authentication-Results, threaded replies through
        // the outbox, and the IMAP intake service that claims each message before its command runs.
        .target(
            name: "MailCommands",
            dependencies: [
                "MailProtocol", "MailTransport", "OneTimeCode", "LegacyProtocol", "Monitor", "Notify", "Store", "GenmonBasics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"]
        ),
        // Pure MQTT 3.1.1 / 5 codecs, topic rules, framer, offline buffer and the client session state machine.
        .target(name: "MQTTProtocol", dependencies: ["GenmonBasics"], exclude: ["README.md"], swiftSettings: optimizedInDebug),
        // The MQTT client service: the session driven over SwiftNIO, TCP or TLS, reconnecting forever.
        .target(
            name: "MQTT",
            dependencies: [
                "MQTTProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        // Test support shared by the suites and the benchmarks: a manual clock, an in-memory controller
        // link, a fixed generator service, the process runner, the CPU lane, the pseudo-terminal harness.
        .target(
            name: "GenmonTesting",
            dependencies: ["GenmonBasics", "ModbusCore", "ModbusTransport", "Generac", "Monitor", "Simulator", "CGenmonTesting",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")],
            exclude: ["README.md"]
        ),
        // Turns off Swift Testing's backtrace for every thrown error before it starts (see its source).
        .target(name: "CGenmonTesting"),
        // One-time codes for e-mail commands: Base32, HOTP/TOTP, otpauth:// URIs, QR codes for the terminal.
        .target(name: "OneTimeCode", dependencies: [.product(name: "Crypto", package: "swift-crypto")], exclude: ["README.md"],
                swiftSettings: optimizedInDebug),
        // The kernel's GPIO character-device uAPI (<linux/gpio.h>): ioctl numbers, layouts for the ABI tests.
        .target(name: "CGPIO"),
        // GPIO: the v2 character device and a simulated chip, the Pi header table, gengpio/gengpioin config and rules.
        .target(
            name: "GPIO",
            dependencies: [
                "CGPIO", "GenmonConfig", "Generac", "Monitor", "GenmonBasics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"], swiftSettings: optimizedInDebug
        ),
        // MQTT publishing (the original's genmqtt layout, genmon's own layout, Home Assistant discovery,
        // commands over MQTT) and the Prometheus metrics, all from the monitor's snapshots and events.
        .target(
            name: "HomeAutomation",
            dependencies: [
                "Monitor", "Generac", "GenmonBasics", "GenmonConfig", "LegacyProtocol", "MQTT", "MQTTProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["README.md"]
        ),
        // zlib from the system (every Pi has it): gzip for the support bundle.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // genmon as an appliance: sd_notify (READY, STATUS, WATCHDOG), the systemd unit and the install plan,
        // the doctor's checks, the support bundle's archive and secret masking.
        .target(
            name: "Appliance",
            dependencies: [
                "Monitor", "Generac", "GenmonBasics", "GenmonConfig", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "genmon",
            dependencies: [
                "ModbusCore", "ModbusTransport", "Generac", "Simulator", "Monitor", "Store", "LegacyProtocol", "GenmonConfig", "CPosixSupport", "Web",
                "GenmonBasics", "GPIO", "Notify", "MailProtocol", "MailTransport", "HomeAutomation", "MailCommands", "OneTimeCode", "Appliance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            linkerSettings: hotCodeFirst
        ),
        .executableTarget(
            name: "genmon-bench",
            dependencies: ["ModbusCore", "ModbusTransport", "Simulator", "Generac", "Monitor", "LegacyProtocol", "Store", "Web",
                           "GenmonBasics", "GenmonTesting", "GenmonConfig", "Notify", "MailProtocol", "MailTransport", "HomeAutomation", "MQTT", "MQTTProtocol", "Appliance",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/genmon-bench"
        ),
        .testTarget(name: "GenmonTestingTests", dependencies: ["GenmonTesting"]),
        .testTarget(name: "GenmonBasicsTests", dependencies: ["GenmonBasics", "GenmonTesting", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ModbusCoreTests", dependencies: ["ModbusCore", "GenmonBasics", "GenmonTesting"]),
        .testTarget(name: "ModbusTransportTests", dependencies: ["ModbusCore", "ModbusTransport", "GenmonBasics", "GenmonTesting"]),
        .testTarget(name: "GeneracTests", dependencies: ["Generac", "GenmonBasics", "GenmonTesting"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "ModbusTransport", "Generac", "GenmonBasics", "GenmonTesting"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "Simulator", "ModbusTransport", "Generac", "GenmonBasics", "GenmonTesting"]),
        .testTarget(name: "GenmonConfigTests", dependencies: ["GenmonConfig", "Generac", "GenmonTesting", "MailProtocol"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Monitor", "GenmonTesting"]),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Monitor", "Generac", "Store", "Simulator", "ModbusTransport", "LegacyProtocol", "GenmonConfig",
                "GenmonBasics", "GenmonTesting", "Notify",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(name: "MailProtocolTests", dependencies: ["GenmonBasics", "MailProtocol", "GenmonTesting"]),
        .testTarget(
            name: "MailTransportTests",
            dependencies: [
                "MailTransport", "MailProtocol", "GenmonTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(name: "IMAPProtocolTests", dependencies: ["GenmonBasics", "MailProtocol", "GenmonTesting"]),
        .testTarget(
            name: "IMAPTransportTests",
            dependencies: [
                "MailProtocol", "MailTransport", "GenmonTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "OneTimeCodeTests", dependencies: ["GenmonBasics", "OneTimeCode", "GenmonTesting"]),
        .testTarget(
            name: "LegacyProtocolTests",
            dependencies: ["LegacyProtocol", "Monitor", "Generac", "Simulator", "ModbusTransport", "GenmonBasics", "GenmonTesting"]
        ),
        .testTarget(name: "MQTTProtocolTests", dependencies: ["GenmonBasics", "MQTTProtocol", "GenmonTesting"]),
        .testTarget(
            name: "MQTTTests",
            dependencies: [
                "MQTT", "MQTTProtocol", "GenmonTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "HomeAutomationTests",
            dependencies: [
                "HomeAutomation", "MQTT", "MQTTProtocol", "Monitor", "Generac", "GenmonConfig", "LegacyProtocol", "GenmonBasics",
                "GenmonTesting", "Simulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "GPIOTests", dependencies: ["GPIO", "CGPIO", "GenmonConfig", "Generac", "Monitor", "GenmonBasics", "GenmonTesting"]),
        .testTarget(
            name: "ApplianceTests",
            dependencies: ["Appliance", "Monitor", "Generac", "GenmonBasics", "GenmonConfig", "GenmonTesting", "Simulator", "LegacyProtocol", "CPosixSupport",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .testTarget(
            name: "NotifyTests",
            dependencies: [
                "Notify", "Monitor", "Generac", "GenmonBasics", "GenmonConfig", "GenmonTesting", "Store", "LegacyProtocol",
                "MailProtocol", "MailTransport", "Simulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "MailCommandsTests",
            dependencies: [
                "MailCommands", "MailProtocol", "MailTransport", "OneTimeCode", "LegacyProtocol", "Monitor", "Generac", "Notify", "Store",
                "GenmonBasics", "GenmonConfig", "GenmonTesting", "Simulator",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

/// The codecs run for every byte on the wire and in million-frame test runs; keep them optimised
/// even in debug builds so the test suite stays fast.
var optimizedInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }

// Release builds put every function in its own section, so the linker can place them in the order
// below (and drop the unused ones); the dependencies get the same from the command line in README.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(platforms: [.linux], configuration: .release))]
}

/// Release builds on Linux link with lld (shipped with the Swift toolchain) and place the functions
/// genmon runs while it polls side by side (Scripts/hot-code.order, made by Scripts/record-hot-code.sh):
/// they then fill a few megabytes of pages instead of touching most of the binary, which is most of
/// genmon's resident memory. GENMON_DEFAULT_LINKER=1 links as the toolchain does without this.
var hotCodeFirst: [LinkerSetting] {
    guard Context.environment["GENMON_DEFAULT_LINKER"] == nil else { return [] }
    let order = Context.packageDirectory + "/Scripts/hot-code.order"
    return [.unsafeFlags(["-use-ld=lld", "-Xlinker", "--symbol-ordering-file=" + order, "-Xlinker", "--no-warn-symbol-ordering"],
                         .when(platforms: [.linux], configuration: .release))]
}
