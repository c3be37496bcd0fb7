import Foundation
import Generac
@testable import GenmonConfig
import GenmonTesting
import ModbusTransport
import Testing

@Suite("genmon.conf")
struct ConfigTests {
    @Test("an original genmon.conf is read with its keys and defaults")
    func originalFile() throws {
        let file = try IniFile(text: """
            [GenMon]
            # the shipped file's style
            sitename = Cabin
            port = /dev/ttyUSB0
            serial_rate = 19200
            address = 9d
            server_port = 9083
            enhancedexercise = True
            ; a comment
            nexus_legacy_freq = false
            serialnumberifmissing = 0123456789
            communication_loss_seconds = 45
            """)
        let configuration = try GenmonConfiguration(file: file)
        #expect(configuration.siteName == "Cabin")
        #expect(configuration.link == .serial(path: "/dev/ttyUSB0", settings: SerialSettings(baudRate: 19200)))
        #expect(configuration.socketPort == 9083 && configuration.socketAddress == "127.0.0.1")
        #expect(configuration.settings.enhancedExercise && !configuration.settings.nexusLegacyFrequency)
        #expect(configuration.settings.serialNumberIfMissing == "0123456789")
        #expect(configuration.communicationLossSeconds == 45 && configuration.clockDriftSeconds == 180)
    }

    @Test("serial-to-TCP and Modbus TCP links")
    func tcpLinks() throws {
        let bridge = try GenmonConfiguration(file: IniFile(text: "[GenMon]\nuse_serial_tcp = yes\nserial_tcp_address = 10.0.0.5\n"))
        #expect(bridge.link == .rtuOverTCP(host: "10.0.0.5", port: 8899))
        let modbus = try GenmonConfiguration(file: IniFile(text: "[genmon]\nuse_serial_tcp = 1\nserial_tcp_address = gen\nserial_tcp_port = 502\nmodbus_tcp = on\n"))
        #expect(modbus.link == .modbusTCP(host: "gen", port: 502))
    }

    @Test("bad values are refused with the file, line and key", arguments: [
        ("[GenMon]\nserial_rate = fast", "x.conf:2: serial_rate: 'fast' is not a whole number"),
        ("[GenMon]\nserial_rate = 14400", "x.conf:2: serial_rate: baud rate 14400 is not supported; use one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200."),
        ("[GenMon]\naddress = zz", "x.conf:2: address: 'zz' is not a hex byte such as 9d"),
        ("[GenMon]\nenhancedexercise = maybe", "x.conf:2: enhancedexercise: 'maybe' is not a boolean (true/false)"),
        ("[GenMon]\nuse_serial_tcp = true", "x.conf: serial_tcp_address: needed with use_serial_tcp"),
        ("[GenMon]\nserialnumberifmissing = 12", "x.conf:2: serialnumberifmissing: must be exactly 10 digits"),
        ("[Other]\nport = x", "x.conf: no [GenMon] section"),
        ("sitename = x", "x.conf:1: `sitename = x` comes before any [section]"),
        ("[GenMon\nport = x", "x.conf:1: malformed section header '[GenMon'"),
        ("[GenMon]\njust words", "x.conf:2: expected `key = value`, found 'just words'"),
    ])
    func badValues(text: String, message: String) {
        #expect(throws: ConfigError.self) { try GenmonConfiguration(file: IniFile(path: "x.conf", text: text)) }
        do {
            _ = try GenmonConfiguration(file: IniFile(path: "x.conf", text: text))
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("garbage files never crash the reader")
    func garbage() async {
        var generator = SystemRandomNumberGenerator()
        var pacer = CooperativePacer()
        for _ in 0..<500 {
            await pacer.pace()
            let bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...127, using: &generator) }
            let text = "[GenMon]\n" + String(decoding: bytes, as: UTF8.self)
            _ = try? GenmonConfiguration(file: IniFile(text: text))
        }
        #expect(throws: ConfigError.self) { try IniFile(contentsOf: "/nonexistent/genmon.conf") }
    }
}

@Suite("Config files saved elsewhere")
struct ConfigLineEndingTests {
    static let original = "[GenMon]\nsitename = Cabin\nport = /dev/ttyUSB0\nserver_port = 9083\n\n[Other]\nkey = value\n"

    @Test("Windows line ends, old Mac line ends and a byte-order mark read the same as Unix ones",
          arguments: ["\r\n", "\r", "\n"], [false, true])
    func lineEndsAndByteOrderMark(lineEnd: String, byteOrderMark: Bool) throws {
        let text = (byteOrderMark ? "\u{FEFF}" : "") + Self.original.replacingOccurrences(of: "\n", with: lineEnd)
        let file = try IniFile(path: "x.conf", text: text)
        let configuration = try GenmonConfiguration(file: file)
        #expect(configuration.siteName == "Cabin")
        #expect(configuration.socketPort == 9083)
        #expect(file.value("port", in: "GenMon") == IniFile.Entry(value: "/dev/ttyUSB0", line: 3))
        #expect(file.value("key", in: "other")?.line == 7)
    }

    @Test("a file on disk with CRLF and a byte-order mark is read; errors still name the right line")
    func fileOnDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(UUID().uuidString).conf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([0xEF, 0xBB, 0xBF] + Array("[GenMon]\r\nsitename = Barn\r\nserial_rate = fast\r\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigError(path: path, line: 3, message: "serial_rate: 'fast' is not a whole number")) {
            try GenmonConfiguration(file: IniFile(contentsOf: path))
        }
        try Data([0xEF, 0xBB, 0xBF] + Array("[GenMon]\r\nsitename = Barn\r\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(try GenmonConfiguration(file: IniFile(contentsOf: path)).siteName == "Barn")
    }

    @Test("a key given twice keeps the later value and warns with both line numbers")
    func duplicateKey() throws {
        let file = try IniFile(path: "x.conf", text: "[GenMon]\nport = /dev/ttyS0\nsitename = A\n[genmon2]\nport = b\n[GenMon]\nPort = /dev/ttyUSB0\n")
        #expect(file.value("port", in: "GenMon")?.value == "/dev/ttyUSB0")
        #expect(file.warnings.map(\.description) == ["x.conf:7: port in [GenMon] is also set on line 2; the value on line 7 is used"])
        #expect(try GenmonConfiguration(file: file).warnings == file.warnings)
        #expect(try IniFile(text: "[GenMon]\nport = a\n[Other]\nport = b\n").warnings.isEmpty)
    }

    @Test("a bad socket_control_allow entry is refused with the file, line and key",
          arguments: ["192.168.1.0/33", "example.org", "10.0.0.1, 300.1.1.1", "fd00::/129"])
    func badAllowList(value: String) {
        #expect(throws: ConfigError.self) { try GenmonConfiguration(file: IniFile(path: "x.conf", text: "[GenMon]\nsitename = A\nsocket_control_allow = \(value)\n")) }
        do {
            _ = try GenmonConfiguration(file: IniFile(path: "x.conf", text: "[GenMon]\nsitename = A\nsocket_control_allow = \(value)\n"))
        } catch {
            #expect(error.description.hasPrefix("x.conf:3: socket_control_allow: '"), "\(error)")
            #expect(error.description.contains("is not an IP address or CIDR block"))
        }
    }

    @Test("good socket_control_allow entries are kept")
    func goodAllowList() throws {
        let configuration = try GenmonConfiguration(file: IniFile(text: "[GenMon]\nsocket_control_allow = 192.168.1.0/24, fd00::/8 ,10.0.0.7\n"))
        #expect(configuration.socketControlAllowList == ["192.168.1.0/24", "fd00::/8", "10.0.0.7"])
    }
}
