#if canImport(Glibc)
import Glibc
#endif
import CPosixSupport

/// A pseudo-terminal pair: the master end is served by a simulator or a test slave, and the
/// slave path (`/dev/pts/N`) is opened by a monitor exactly like a real serial device.
public final class PseudoTerminal: Sendable {
    /// The device path a monitor opens.
    public let path: String
    let master: Int32
    /// A descriptor on the slave side kept open for the pair's lifetime, so the master never sees a
    /// hang-up between monitor runs, and so the slave can be put in raw mode before anyone opens it.
    let slaveHold: Int32

    public init() throws(TransportError) {
        var name = [CChar](repeating: 0, count: 128)
        let master = genmon_open_pty_master(&name, name.count)
        guard master >= 0 else { throw .system(call: "posix_openpt", reason: POSIX.errorText()) }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let hold = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard hold >= 0 else {
            let reason = POSIX.errorText()
            Glibc.close(master)
            throw .system(call: "open \(path)", reason: reason)
        }
        // Raw on the slave side: without it the line discipline would echo every response back.
        do throws(TransportError) {
            try SerialPort.configure(hold, path: path, settings: SerialSettings())
        } catch {
            Glibc.close(master)
            Glibc.close(hold)
            throw error
        }
        self.path = path
        self.master = master
        self.slaveHold = hold
    }

    deinit {
        Glibc.close(slaveHold)
    }

    /// The speed the side a monitor opened is set to (its termios, which the pair shares), or nil
    /// when it cannot be read or is not one of `SerialSettings.supportedBaudRates`.
    public func lineBaudRate() -> Int? {
        var options = termios()
        guard tcgetattr(slaveHold, &options) == 0 else { return nil }
        let speed = cfgetospeed(&options)
        return SerialSettings.supportedBaudRates.first { SerialSettings(baudRate: $0).speedConstant == speed }
    }

    /// The master end as a stream. It owns the master descriptor: closing the stream ends the pair.
    public func masterStream() throws(TransportError) -> DescriptorStream {
        let master = self.master
        let source = DescriptorSource(
            description: "pseudo-terminal master for \(path)", kind: .serial(baud: 9600), reconnects: false,
            open: { _ in master }
        )
        return try DescriptorStream(source: source)
    }
}
