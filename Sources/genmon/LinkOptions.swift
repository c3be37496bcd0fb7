import ArgumentParser
import ModbusTransport

/// How to reach a controller: a serial device, a serial-to-TCP bridge, or a Modbus TCP device.
struct LinkOptions: ParsableArguments {
    @Option(name: .long, help: "Serial device of the controller (e.g. /dev/serial0, /dev/ttyUSB0).")
    var device: String?

    @Option(name: .long, help: "Serial-to-TCP bridge or Modbus TCP device as host:port.")
    var tcp: String?

    @Flag(name: .long, help: "Speak Modbus TCP (MBAP) to --tcp instead of raw RTU frames.")
    var modbusTCP = false

    @Option(name: .long, help: "Baud rate: 1200 to 115200.")
    var baud = 9600

    @Option(name: .long, help: "Parity: none, odd or even.")
    var parity: String = "none"

    @Option(name: .long, help: "Stop bits: 1 or 2.")
    var stopBits = 1

    @Option(name: .long, help: "Modbus slave address in hex.")
    var slave = "9d"

    func validate() throws {
        guard (device == nil) != (tcp == nil) else { throw ValidationError("give exactly one of --device or --tcp") }
        guard SerialSettings.Parity(rawValue: parity.lowercased()) != nil else { throw ValidationError("parity must be none, odd or even") }
        guard UInt8(slave, radix: 16) != nil else { throw ValidationError("slave address must be hex, e.g. 9d") }
        if let tcp { _ = try Self.hostAndPort(tcp) }
    }

    var serialSettings: SerialSettings {
        SerialSettings(baudRate: baud, parity: SerialSettings.Parity(rawValue: parity.lowercased()) ?? .none, stopBits: stopBits)
    }

    /// The link these options name.
    func link() throws -> ModbusLink {
        if let device { return .serial(path: device, settings: serialSettings) }
        let (host, port) = try Self.hostAndPort(tcp ?? "")
        return modbusTCP ? .modbusTCP(host: host, port: port) : .rtuOverTCP(host: host, port: port)
    }

    /// Opens the link and wraps it in a client (a one-shot tool: an unreachable bridge fails at once).
    func makeClient() throws -> ModbusClient {
        try ModbusClient.open(link(), options: ModbusLinkOptions(slaveAddress: UInt8(slave, radix: 16) ?? 0x9D, failFast: true))
    }

    static func hostAndPort(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
              colon > text.startIndex else {
            throw ValidationError("'\(text)' is not host:port")
        }
        return (String(text[..<colon]), port)
    }
}
