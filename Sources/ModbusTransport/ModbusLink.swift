import CoreMetrics
import GenmonBasics

/// Where a controller is reached: a serial line, a serial-to-TCP bridge passing raw RTU frames, or
/// a Modbus TCP device.
public enum ModbusLink: Sendable, Equatable {
    case serial(path: String, settings: SerialSettings)
    /// A serial-to-TCP bridge passing raw RTU frames.
    case rtuOverTCP(host: String, port: Int)
    case modbusTCP(host: String, port: Int)

    /// How a person names it in messages: `/dev/serial0` or `192.168.1.50:8899`.
    public var endpoint: String {
        switch self {
        case let .serial(path, _): path
        case let .rtuOverTCP(host, port), let .modbusTCP(host, port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}

/// What a client needs besides the link: the controller's address and the original's timing knobs.
public struct ModbusLinkOptions: Sendable, Equatable {
    public var slaveAddress: UInt8
    /// A second address accepted in responses (pre-Nexus controllers answer from 0x41).
    public var alternateResponseAddress: UInt8?
    /// Added to the response allowance (`additional_modbus_timeout`).
    public var additionalAllowance: Duration
    /// Pause after every transaction (`modbus_between_frame_delay`).
    public var pauseBetweenTransactions: Duration
    public var readsUseInputRegisters: Bool
    public var evolution2Unlock: Evolution2Unlock.Policy
    /// Give up at once when a TCP peer cannot be reached (one-shot tools) instead of retrying for ever.
    public var failFast: Bool

    public init(slaveAddress: UInt8 = 0x9D, alternateResponseAddress: UInt8? = nil, additionalAllowance: Duration = .zero,
                pauseBetweenTransactions: Duration = .zero, readsUseInputRegisters: Bool = false,
                evolution2Unlock: Evolution2Unlock.Policy = Evolution2Unlock.Policy(), failFast: Bool = false) {
        self.slaveAddress = slaveAddress
        self.alternateResponseAddress = alternateResponseAddress
        self.additionalAllowance = additionalAllowance
        self.pauseBetweenTransactions = pauseBetweenTransactions
        self.readsUseInputRegisters = readsUseInputRegisters
        self.evolution2Unlock = evolution2Unlock
        self.failFast = failFast
    }
}

extension ModbusClient {
    /// The one way genmon opens a controller link and wraps it in a client: serial lines get the
    /// serial allowance (1.25 s) and wire-time deadlines, TCP links a longer allowance (3 s).
    /// `metrics` receives each transaction's time (`genmon_modbus_transaction_duration_seconds`); nil records nothing.
    public static func open(_ link: ModbusLink, options: ModbusLinkOptions = ModbusLinkOptions(),
                            clock: any GenmonClock = SystemClock(), metrics: (any MetricsFactory)? = nil) throws -> ModbusClient {
        let stream: any ByteStream
        let framing: ModbusClientConfiguration.Framing
        let serial: SerialSettings?
        switch link {
        case let .serial(path, settings):
            stream = try SerialPort.stream(path: path, settings: settings)
            (framing, serial) = (.rtu, settings)
        case let .rtuOverTCP(host, port):
            stream = try TCPConnection.stream(host: host, port: port, failFast: options.failFast)
            (framing, serial) = (.rtu, nil)
        case let .modbusTCP(host, port):
            stream = try TCPConnection.stream(host: host, port: port, failFast: options.failFast)
            (framing, serial) = (.tcp, nil)
        }
        let allowance: Duration = (serial == nil ? .milliseconds(3000) : .milliseconds(1250)) + options.additionalAllowance
        return ModbusClient(stream: stream, configuration: .init(
            framing: framing, slaveAddress: options.slaveAddress, alternateResponseAddress: options.alternateResponseAddress,
            responseAllowance: allowance, serial: serial, pauseBetweenTransactions: options.pauseBetweenTransactions,
            readsUseInputRegisters: options.readsUseInputRegisters, evolution2Unlock: options.evolution2Unlock), clock: clock, metrics: metrics)
    }
}
