/// A two-way byte pipe to a controller (or, for the simulator, to a monitor).
///
/// Implementations deliver bytes as they arrive, never by sleeping and re-checking: a reader
/// waits on the descriptor and wakes the one pending `read` when bytes come or its deadline passes.
public protocol ByteStream: AnyObject, Sendable {
    /// What the stream is connected to, for logs and error messages.
    var endpointDescription: String { get }
    /// Serial (with its baud rate) or TCP, as the statistics report it.
    var kind: TransportKind { get }
    /// How many times the connection was re-established after it was lost.
    var restarts: Int { get }

    /// Writes all of `bytes`, or throws.
    func write(_ bytes: [UInt8]) async throws(TransportError)
    /// Waits until at least one byte is available or `deadline` passes, then returns every
    /// buffered byte (an empty array means the deadline passed with nothing received).
    func read(until deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8]
    /// Drops everything received but not yet read and returns how many bytes that was.
    func discardInput() -> Int
    /// Closes the stream; a pending read fails with `.closed`.
    func close()
}

/// The physical kind of link, as upstream's statistics name it.
public enum TransportKind: Sendable, Equatable, CustomStringConvertible {
    case serial(baud: Int)
    case tcp

    public var description: String {
        switch self {
        case .serial: "Serial"
        case .tcp: "TCP"
        }
    }
}

/// Why a stream could not be opened, written or read, worded for the person who must fix it.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case deviceNotFound(path: String)
    case permissionDenied(path: String, group: String?)
    case deviceBusy(path: String)
    case notATerminal(path: String)
    case unsupportedBaudRate(Int)
    case configurationFailed(path: String, reason: String)
    case hostNotFound(host: String, reason: String)
    case connectionFailed(endpoint: String, reason: String)
    case notConnected(endpoint: String, reason: String)
    case writeFailed(endpoint: String, reason: String)
    case writeTimedOut(endpoint: String)
    case readAlreadyPending
    case closed
    case cancelled
    case system(call: String, reason: String)

    public var description: String {
        switch self {
        case let .deviceNotFound(path):
            "serial device \(path) does not exist. Check the cable or adapter, and list candidates with `ls /dev/serial* /dev/ttyUSB* /dev/ttyAMA* /dev/ttyS*`. On a Raspberry Pi, enable the serial port (raspi-config → Interface Options → Serial Port: login shell No, hardware Yes)."
        case let .permissionDenied(path, group):
            if let group {
                "no permission to open \(path). Add this user to the '\(group)' group (`sudo usermod -aG \(group) $USER`, then log out and in again), or run genmon as a user in that group."
            } else {
                "no permission to open \(path). Give this user read and write access to the device."
            }
        case let .deviceBusy(path):
            "serial device \(path) is in use by another program (another genmon, a getty/login console, or ModemManager). Stop that program or disable the serial console."
        case let .notATerminal(path):
            "\(path) is not a serial device."
        case let .unsupportedBaudRate(rate):
            "baud rate \(rate) is not supported; use one of \(SerialSettings.supportedBaudRates.map(String.init).joined(separator: ", "))."
        case let .configurationFailed(path, reason):
            "could not configure \(path): \(reason)"
        case let .hostNotFound(host, reason):
            "cannot resolve host '\(host)': \(reason)"
        case let .connectionFailed(endpoint, reason):
            "cannot connect to \(endpoint): \(reason). " + Self.tcpAdvice(endpoint: endpoint, reason: reason)
        case let .notConnected(endpoint, reason):
            "not connected to \(endpoint): \(reason)"
        case let .writeFailed(endpoint, reason):
            "write to \(endpoint) failed: \(reason)"
        case let .writeTimedOut(endpoint):
            "write to \(endpoint) did not complete in time (is flow control holding the line?)"
        case .readAlreadyPending:
            "a read is already waiting on this stream; transactions must not overlap"
        case .closed:
            "the stream is closed"
        case .cancelled:
            "the operation was cancelled"
        case let .system(call, reason):
            "\(call) failed: \(reason)"
        }
    }

    /// What to check when a TCP connection fails, by what the failure says.
    static func tcpAdvice(endpoint: String, reason: String) -> String {
        let host = endpoint.split(separator: ":").dropLast().joined(separator: ":")
        let port = endpoint.split(separator: ":").last.map(String.init) ?? "?"
        let setting = "(--tcp, or serial_tcp_address and serial_tcp_port in genmon.conf)"
        if reason.localizedCaseInsensitiveContains("refused") {
            return "\(host) answers, but nothing accepts connections on port \(port): check the bridge's TCP server port \(setting)"
        }
        if reason.localizedCaseInsensitiveContains("unreachable") {
            return "this machine has no route to \(host): check the address and this machine's network \(setting)"
        }
        return "Check that the serial-to-TCP bridge or Modbus TCP device at \(host) is powered and on the network (ping \(host)), "
            + "and that host \(host) and port \(port) are right \(setting)"
    }
}
