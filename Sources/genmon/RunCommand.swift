import ArgumentParser
import CPosixSupport
import Foundation
import Simulator
import GenmonBasics
import Logging
import Store
import GenmonConfig
import Monitor
import ModbusTransport

/// `genmon run`: monitor a controller.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Monitor a generator controller (serial device, serial-to-TCP bridge, or Modbus TCP).",
        discussion: """
            Settings come from a genmon.conf file (the original's format: [GenMon] section, same keys),
            then from options, which win. Without a file or options it uses the original's defaults:
            /dev/serial0 at 9600 baud, slave address 9d.
            """
    )

    @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).")
    var config: String?

    @Option(help: "Serial device of the controller.") var device: String?
    @Option(help: "Serial-to-TCP bridge as host:port (raw RTU frames).") var tcp: String?
    @Flag(help: "Speak Modbus TCP to --tcp instead of raw RTU.") var modbusTCP = false
    @Option(help: "Baud rate.") var baud: Int?
    @Option(help: "Site name shown in reports and messages.") var site: String?
    @Option(help: "Where genmon keeps its database (default /var/lib/genmon, or datadirectory in genmon.conf).") var dataDir: String?
    @Option(help: "Port of the web app (default 8000, or http_port in genmon.conf).") var webPort: Int?
    @Option(help: "Address the web app listens on (default 127.0.0.1: this machine only).") var webAddress: String?
    @Option(help: "Port of the original's command socket (default 9082, or server_port in genmon.conf; 0 picks a free one).")
    var socketPort: Int?
    @Flag(help: "Do not serve the web app.") var noWeb = false
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default info, or log_level in genmon.conf).")
    var logLevel: String?
    /// For the end-to-end tests: a part that fails on purpose after this many seconds.
    @Option(help: .private) var failAfter: Double?
    /// For the end-to-end tests: the poll loop stops turning after this many seconds, as a hang would.
    @Option(help: .private) var stallPollAfter: Double?
    /// For the end-to-end tests: look for memory to give back this often (seconds).
    @Option(help: .private) var memoryUpkeepSeconds: Double?

    func run() async throws {
        genmon_line_buffer_stdout()
        let configuration = try loadConfiguration()
        GenmonLogHandler.level = try LogLevelOption.resolve(logLevel, configured: configuration.logLevel)
        for warning in configuration.warnings { Logger(label: "genmon.config").warning("\(warning)") }
        var host: MonitorHost
        do {
            host = try MonitorHost(configuration: configuration, database: try MonitorHost.openDatabase(in: configuration.dataDirectory),
                                   configPath: configurationPath)
        } catch {
            throw failure("\(error)")
        }
        if let memoryUpkeepSeconds { host.memoryUpkeepInterval = .seconds(double: max(memoryUpkeepSeconds, 0.1)) }
        if !quiet { print("monitoring \(host.link.endpoint) — stop with Ctrl-C") }
        var extra = failAfter.map { [NamedService(name: "injected failure", service: InjectedFailure(after: .seconds(double: $0)))] } ?? []
        if let stallPollAfter {
            extra.append(NamedService(name: "injected stall", service: InjectedStall(after: .seconds(double: stallPollAfter), monitor: host.monitor)))
        }
        do { try await host.run(quiet: quiet, web: .run, extra: extra) } catch { throw failure("\(error)") }
    }

    /// The configuration file genmon runs from, when there is one.
    var configurationPath: String? {
        config ?? (FileManager.default.fileExists(atPath: "/etc/genmon/genmon.conf") ? "/etc/genmon/genmon.conf" : nil)
    }

    func loadConfiguration() throws -> GenmonConfiguration {
        var configuration = GenmonConfiguration()
        let path = configurationPath
        if let path {
            do { configuration = try GenmonConfiguration(file: try IniFile(contentsOf: path)) } catch { throw failure("\(error)") }
        }
        if let site { configuration.siteName = site }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let webPort { configuration.webPort = webPort }
        if let webAddress { configuration.webAddress = webAddress }
        if let socketPort {
            guard (0...65535).contains(socketPort) else { throw failure("--socket-port must be 0 to 65535") }
            configuration.socketPort = socketPort
        }
        if noWeb { configuration.webEnabled = false }
        if baud != nil, tcp != nil { throw failure("--baud is for a serial device; a TCP bridge sets its own serial speed") }
        if device != nil || baud != nil {
            // Keep what genmon.conf says about the line (parity, stop bits) and change only what was given.
            var (path, settings) = ("/dev/serial0", SerialSettings())
            if case let .serial(configuredPath, configuredSettings) = configuration.link { (path, settings) = (configuredPath, configuredSettings) }
            if let baud { settings.baudRate = baud }
            configuration.link = .serial(path: device ?? path, settings: settings)
        }
        if let tcp {
            let (host, port) = try LinkOptions.hostAndPort(tcp)
            configuration.link = modbusTCP ? .modbusTCP(host: host, port: port) : .rtuOverTCP(host: host, port: port)
        }
        return configuration
    }
}

/// `genmon demo`: the simulator and the monitor together, nothing to configure.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run genmon against its built-in simulator: see everything work without a generator.",
        discussion: """
            Starts a simulated controller on a pseudo-terminal (paced like a real 9600-baud line) and
            monitors it. Act on the simulator from another terminal with `genmon simctl utility off`,
            `genmon simctl alarm overcrank`, `genmon simctl reset`, ...
            """
    )

    @Option(help: "Simulated controller: evolution-ac, evolution-lc, nexus-ac, nexus-lc.") var family = "evolution-lc"
    @Option(help: "Time runs this many times faster in the simulator.") var speed: Double = 1
    @Option(help: "Control port for `genmon simctl` (127.0.0.1).") var controlPort = 9099
    @Option(help: "A scenario file for the simulator (`at 10s utility off` ...).") var scenario: String?
    @Option(help: "Port of the original's command socket (127.0.0.1).") var socketPort = 9082
    @Option(help: "Port of the web app (127.0.0.1).") var webPort = 8000
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default warning: the demo prints its events).")
    var logLevel: String?

    func run() async throws {
        genmon_line_buffer_stdout()
        GenmonLogHandler.level = try LogLevelOption.resolve(logLevel, configured: .warning)
        let setup = try SimulatorSetup(family: family, speed: speed, scenarioPath: scenario,
                                       faults: FaultInjector(pacing: WirePacing()))
        let simulator = try SimulatorHost.serve(setup.controller, on: .pseudoTerminal, shaper: setup.controller.faults)
        let control = try ControlChannel.serve(setup.controller, port: controlPort)
        var configuration = GenmonConfiguration()
        configuration.siteName = "Demo"
        configuration.link = .serial(path: simulator.address, settings: SerialSettings())
        configuration.socketPort = socketPort
        configuration.webPort = webPort
        // The demo keeps nothing: its database lives in memory.
        let host = try MonitorHost(configuration: configuration, database: try GenmonDatabase.inMemory(), keepsFiles: false)
        print("genmon demo: simulated \(setup.profile.identity.displayName) on \(simulator.address)")
        print("act on it from another terminal: genmon simctl --port \(controlPort) utility off   (try `help`)")
        do { try await host.run(web: .demo) } catch { throw failure("\(error)") }
        await control.shutdown()
        await simulator.shutdown()
    }
}

/// `--log-level`, which wins over the configuration's `log_level`.
enum LogLevelOption {
    static func resolve(_ option: String?, configured: Logger.Level) throws -> Logger.Level {
        guard let option else { return configured }
        guard let level = Logger.Level(configurationValue: option) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}
