import Foundation
import Generac
import GenmonBasics
import Logging
import ModbusTransport

/// Everything genmon reads from its configuration file, with the original's defaults.
public struct GenmonConfiguration: Sendable, Equatable {
    /// How genmon reaches the controller.
    public typealias Link = ModbusLink

    public var siteName = "Home"
    /// The folder of the genmon.conf this came from: the add-ons' files (gengpio.conf, mymail.conf,
    /// genloader.conf, ...) are read beside it. Nil when no file was read.
    public var configurationDirectory: String?
    public var link: Link = .serial(path: "/dev/serial0", settings: SerialSettings())
    public var slaveAddress: UInt8 = 0x9D
    public var alternateResponseAddress: UInt8?
    /// Extra response allowance (the original's `additional_modbus_timeout`).
    public var additionalTimeout: Double = 0
    /// Pause after every transaction (`modbus_between_frame_delay`).
    public var betweenFrameDelay: Double = 0
    public var readsUseInputRegisters = false
    /// The Evolution 2.0 unlock (`evo2_max_except`, `evo2_unlock_interval` minutes, `evo2_bypass_encapsulation`).
    public var evolution2Unlock = Evolution2Unlock.Policy()
    public var settings = GeneracSettings()
    public var outageCheckDisabled = false
    public var outageNoticeDelay: Double = 0
    /// The command socket: port and bind address. Unlike the original, loopback unless configured.
    public var socketPort = 9082
    public var socketAddress = "127.0.0.1"
    /// Hosts (addresses or CIDR blocks) allowed to send commands that change the generator.
    public var socketControlAllowList: [String] = []
    /// Command socket connections: in all, per remote address, and how long a silent one is kept
    /// (`socket_max_connections`, `socket_max_connections_per_address`, `socket_idle_timeout`
    /// seconds, 0 = for ever).
    public var socketMaximumConnections = 256
    public var socketMaximumConnectionsPerAddress = 16
    public var socketIdleTimeout: Double = 1800
    /// The web app.
    public var webPort = 8000
    public var webAddress = "127.0.0.1"
    /// Whether `genmon run` serves the web app at all (`disable_web`).
    public var webEnabled = true
    /// Serve the web app over HTTPS (`usehttps`), with `webCertificateFile` and `webKeyFile` when
    /// given (`certfile`, `keyfile`), else with a self-signed certificate genmon makes once and keeps
    /// in the data directory.
    public var webHTTPS = false
    public var webCertificateFile: String?
    public var webKeyFile: String?
    /// Origins the web app accepts besides its own, e.g. a reverse proxy's `https://generator.example.org`
    /// (`web_trusted_origins`, comma-separated).
    public var webTrustedOrigins: [String] = []
    /// Names the web app answers to besides localhost, this machine's addresses and host name
    /// (`http_host_names`, comma-separated: a DNS name, a reverse proxy's public name).
    public var webHostNames: [String] = []
    /// Web connections: in all, and per remote address (`http_max_connections`,
    /// `http_max_connections_per_address`); past them requests are answered 503.
    public var webMaximumConnections = 512
    public var webMaximumConnectionsPerAddress = 64
    /// `/metrics` (Prometheus) without an API token (`metrics_public`, genmon's own; off by default).
    public var metricsPublic = false
    /// Where genmon keeps its database and other state.
    public var dataDirectory = "/var/lib/genmon"
    public var syncTime = false
    public var syncDST = false
    /// No answer from the controller for this long is reported as lost communication.
    public var communicationLossSeconds: Double = 30
    /// A controller clock off by more than this is reported.
    public var clockDriftSeconds: Double = 180
    /// Things in the file that work but are probably mistakes (a key given twice), for the log.
    public var warnings: [ConfigWarning] = []
    /// How much genmon logs (`log_level`: trace, debug, info, notice, warning, error, critical).
    public var logLevel: Logger.Level = .info
    /// Power, fuel and add-on data (the original's keys, see `DataKeys`).
    public var data = DataKeys()

    public init() {}

    /// Reads `[GenMon]` from an INI file; keys not present keep their defaults.
    public init(file: IniFile) throws(ConfigError) {
        let section = IniSection(file, "GenMon")
        if file.path != "<text>" { configurationDirectory = (file.path as NSString).deletingLastPathComponent }
        guard file.sections.keys.contains(where: { $0.lowercased() == "genmon" }) else {
            throw ConfigError(path: file.path, line: nil, message: "no [GenMon] section")
        }
        warnings = file.warnings
        if let value = section.string("sitename") { siteName = value }
        let serial = SerialSettings(
            baudRate: try section.int("serial_rate", in: 1200...115_200) ?? 9600,
            parity: try Self.parity(section),
            stopBits: 1)
        do { try serial.validate() } catch { throw section.error("serial_rate", error.description) }
        if try section.bool("use_serial_tcp") == true {
            guard let host = section.string("serial_tcp_address") else { throw section.error("serial_tcp_address", "needed with use_serial_tcp") }
            let port = try section.int("serial_tcp_port", in: 1...65535) ?? 8899
            link = try section.bool("modbus_tcp") == true ? .modbusTCP(host: host, port: port) : .rtuOverTCP(host: host, port: port)
        } else {
            link = .serial(path: section.string("port") ?? "/dev/serial0", settings: serial)
        }
        slaveAddress = try section.hexByte("address") ?? 0x9D
        alternateResponseAddress = try section.hexByte("response_address")
        additionalTimeout = try section.double("additional_modbus_timeout", in: 0...30) ?? 0
        betweenFrameDelay = try section.double("modbus_between_frame_delay", in: 0...5) ?? 0
        readsUseInputRegisters = try section.bool("use_modbus_fc4") ?? false
        evolution2Unlock = Evolution2Unlock.Policy(
            maximumAcknowledgeExceptions: try section.int("evo2_max_except", in: 0...1000) ?? 2,
            // The original counts whole minutes and unlocks when more than that many have passed.
            interval: .seconds(60 * ((try section.int("evo2_unlock_interval", in: 0...1440) ?? 3) + 1)),
            bypass: try section.bool("evo2_bypass_encapsulation") ?? false)
        outageCheckDisabled = try section.bool("disableoutagecheck") ?? false
        outageNoticeDelay = try section.double("outage_notice_delay", in: 0...86_400) ?? 0
        socketPort = try section.int("server_port", in: 1...65535) ?? 9082
        if let address = section.string("genmon_server_address") { socketAddress = address }
        if let list = section.string("socket_control_allow") {
            socketControlAllowList = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // Checked here, where the file and line are known, not when the socket opens.
            if let bad = socketControlAllowList.first(where: { AddressRange($0) == nil }) {
                throw section.error("socket_control_allow", "'\(bad)' is not an IP address or CIDR block (e.g. 192.168.1.20 or 192.168.1.0/24)")
            }
        }
        socketMaximumConnections = try section.int("socket_max_connections", in: 4...100_000) ?? 256
        socketMaximumConnectionsPerAddress = try section.int("socket_max_connections_per_address", in: 1...100_000) ?? 16
        socketIdleTimeout = try section.double("socket_idle_timeout", in: 0...31_536_000) ?? 1800
        webPort = try section.int("http_port", in: 1...65535) ?? 8000
        if let address = section.string("flask_listen_ip_address") { webAddress = address }
        webEnabled = !(try section.bool("disable_web") ?? false)
        webHTTPS = try section.bool("usehttps") ?? false
        if webHTTPS, let port = try section.int("https_port", in: 1...65535) { webPort = port }
        webCertificateFile = section.string("certfile")
        webKeyFile = section.string("keyfile")
        if (webCertificateFile == nil) != (webKeyFile == nil) {
            throw section.error(webCertificateFile == nil ? "keyfile" : "certfile", "certfile and keyfile go together")
        }
        if let list = section.string("web_trusted_origins") {
            webTrustedOrigins = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let list = section.string("http_host_names") {
            webHostNames = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let bad = webHostNames.first(where: { !Self.isHostName($0) }) {
                throw section.error("http_host_names", "'\(bad)' is not a host name or address (e.g. generator.example.org)")
            }
        }
        webMaximumConnections = try section.int("http_max_connections", in: 16...100_000) ?? 512
        webMaximumConnectionsPerAddress = try section.int("http_max_connections_per_address", in: 1...100_000) ?? 64
        metricsPublic = try section.bool("metrics_public") ?? false
        if let directory = section.string("datadirectory") { dataDirectory = directory }
        communicationLossSeconds = try section.double("communication_loss_seconds", in: 2...86_400) ?? 30
        clockDriftSeconds = try section.double("clock_drift_seconds", in: 60...86_400 * 30) ?? 180
        if let level = section.string("log_level") {
            guard let parsed = Logger.Level(configurationValue: level) else {
                throw section.error("log_level", "'\(level)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = parsed
        }
        syncTime = try section.bool("synctime") ?? false
        syncDST = try section.bool("syncdst") ?? false
        settings = try Self.generacSettings(section)
        data = try DataKeys(section)
    }

    /// A DNS name or an IP address (`[...]` for IPv6), as a Host header would carry it.
    static func isHostName(_ text: String) -> Bool {
        if IPAddress(text) != nil { return true }
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        return !name.isEmpty && name.utf8.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                && label.first != "-" && label.last != "-"
        }
    }

    static func parity(_ section: IniSection) throws(ConfigError) -> SerialSettings.Parity {
        guard let value = section.string("serial_parity") else { return .none }
        guard let parity = SerialSettings.Parity(rawValue: value.lowercased()) else {
            throw section.error("serial_parity", "'\(value)' must be None, Odd or Even")
        }
        return parity
    }

    static func generacSettings(_ section: IniSection) throws(ConfigError) -> GeneracSettings {
        var settings = GeneracSettings()
        settings.nexusLegacyFrequency = try section.bool("nexus_legacy_freq") ?? true
        settings.ignoreUnknown = try section.bool("ignore_unknown") ?? true
        settings.enhancedExercise = try section.bool("enhancedexercise") ?? false
        settings.useLegacySetExercise = try section.bool("uselegacysetexercise") ?? false
        settings.evolutionControllerOverride = try section.bool("evolutioncontroller")
        settings.liquidCooledOverride = try section.bool("liquidcooled")
        settings.nominalFrequency = try section.int("nominalfrequency", in: 40...70)
        settings.nominalRPM = try section.int("nominalrpm", in: 500...5000)
        settings.nominalKW = try section.double("nominalkw", in: 0...5000)
        settings.model = section.string("model")
        if let fuel = section.string("fueltype") { settings.fuelType = FuelType(rawValue: fuel) }
        settings.useNominalLineVolts = try section.bool("usenominallinevolts") ?? false
        settings.nominalLineVolts = try section.int("nominallinevolts", in: 100...700) ?? 240
        settings.currentDivider = try section.double("currentdivider", in: 0...100_000)
        settings.currentOffset = try section.double("currentoffset", in: -10_000...10_000)
        settings.legacyPower = try section.bool("legacy_power") ?? false
        settings.disablePowerLog = try section.bool("disablepowerlog") ?? false
        settings.additionalRunHours = try section.double("additionalrunhours", in: -1_000_000...1_000_000) ?? 0
        if let serial = section.string("serialnumberifmissing") {
            guard serial.count == 10, serial.allSatisfy(\.isNumber) else {
                throw section.error("serialnumberifmissing", "must be exactly 10 digits")
            }
            settings.serialNumberIfMissing = serial
        }
        settings.alternateDateFormat = try section.bool("alternate_date_format") ?? false
        settings.showHoursActivation = try section.bool("show_hours_activation") ?? true
        settings.threePhaseUtilityCompensation = try section.bool("threephaseutilitycompensation") ?? false
        settings.smartTransferSwitch = try section.bool("smart_transfer_switch") ?? false
        settings.metric = try section.bool("metricweather") ?? false
        return settings
    }
}

extension GenmonConfiguration {
    /// The client options the configuration gives for its link.
    public var linkOptions: ModbusLinkOptions {
        ModbusLinkOptions(slaveAddress: slaveAddress, alternateResponseAddress: alternateResponseAddress,
                          additionalAllowance: .seconds(double: additionalTimeout),
                          pauseBetweenTransactions: .seconds(double: betweenFrameDelay),
                          readsUseInputRegisters: readsUseInputRegisters, evolution2Unlock: evolution2Unlock)
    }
}
