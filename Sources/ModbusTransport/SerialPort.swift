#if canImport(Glibc)
import Glibc
#endif

/// Line settings of a serial port. The controllers talk 9600 8N1 with no flow control.
public struct SerialSettings: Sendable, Equatable, CustomStringConvertible {
    public enum Parity: String, Sendable, CaseIterable {
        case none, odd, even
    }

    public var baudRate: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int

    public static let supportedBaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]

    public init(baudRate: Int = 9600, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1) {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    /// Bits on the wire per byte: start bit, data bits, parity bit, stop bits.
    public var bitsPerCharacter: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits }

    /// How long `byteCount` bytes occupy the line.
    public func wireTime(bytes byteCount: Int) -> Duration {
        .nanoseconds(Int64(byteCount * bitsPerCharacter) * 1_000_000_000 / Int64(baudRate))
    }

    public var description: String {
        "\(baudRate) \(dataBits)\(parity.rawValue.prefix(1).uppercased())\(stopBits)"
    }

    public func validate() throws(TransportError) {
        guard Self.supportedBaudRates.contains(baudRate) else { throw .unsupportedBaudRate(baudRate) }
        guard (5...8).contains(dataBits), (1...2).contains(stopBits) else {
            throw .configurationFailed(path: "", reason: "\(dataBits) data bits and \(stopBits) stop bits are not a valid combination")
        }
    }

    var speedConstant: speed_t {
        switch baudRate {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        default: speed_t(B9600)
        }
    }
}

/// Opening and configuring serial devices (real ports and pseudo-terminal slaves) through termios.
public enum SerialPort {
    /// A stream on the serial device at `path`.
    ///
    /// The first open must succeed (a missing device or permission problem is reported at once, with
    /// what to do about it); after that, if the device disappears (a USB adapter unplugged), the stream
    /// keeps trying to reopen it and counts each success as a comm restart.
    public static func stream(path: String, settings: SerialSettings = SerialSettings()) throws(TransportError) -> DescriptorStream {
        try settings.validate()
        let source = DescriptorSource(
            description: "\(path) at \(settings)", kind: .serial(baud: settings.baudRate), reconnects: true,
            open: { _ throws(TransportError) in try open(path: path, settings: settings) },
            willClose: { fd in _ = ioctl(fd, UInt(TIOCNXCL)) }
        )
        return try DescriptorStream(source: source)
    }

    /// Opens `path` in raw mode with `settings`, exclusively, non-blocking.
    public static func open(path: String, settings: SerialSettings) throws(TransportError) -> Int32 {
        try settings.validate()
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw openError(path: path, code: errno) }
        do throws(TransportError) {
            guard isatty(fd) == 1 else { throw TransportError.notATerminal(path: path) }
            // Advisory lock: another genmon (or anything polite) holding the port fails fast.
            if flock(fd, LOCK_EX | LOCK_NB) != 0 { throw TransportError.deviceBusy(path: path) }
            if !path.hasPrefix("/dev/pts/") { _ = ioctl(fd, UInt(TIOCEXCL)) }
            try configure(fd, path: path, settings: settings)
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Raw mode: no echo, no line editing, no character translation, no flow control; reads never block.
    static func configure(_ fd: Int32, path: String, settings: SerialSettings) throws(TransportError) {
        var options = termios()
        guard tcgetattr(fd, &options) == 0 else {
            throw .configurationFailed(path: path, reason: "tcgetattr: \(POSIX.errorText())")
        }
        cfmakeraw(&options)
        options.c_cflag &= ~(tcflag_t(CSIZE | PARENB | PARODD | CSTOPB) | tcflag_t(CRTSCTS))
        switch settings.dataBits {
        case 5: options.c_cflag |= tcflag_t(CS5)
        case 6: options.c_cflag |= tcflag_t(CS6)
        case 7: options.c_cflag |= tcflag_t(CS7)
        default: options.c_cflag |= tcflag_t(CS8)
        }
        switch settings.parity {
        case .none: break
        case .even: options.c_cflag |= tcflag_t(PARENB)
        case .odd: options.c_cflag |= tcflag_t(PARENB | PARODD)
        }
        if settings.stopBits == 2 { options.c_cflag |= tcflag_t(CSTOPB) }
        options.c_cflag |= tcflag_t(CLOCAL | CREAD)
        options.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        withUnsafeMutableBytes(of: &options.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard cfsetispeed(&options, settings.speedConstant) == 0, cfsetospeed(&options, settings.speedConstant) == 0 else {
            throw .configurationFailed(path: path, reason: "cannot set \(settings.baudRate) baud")
        }
        guard tcsetattr(fd, TCSANOW, &options) == 0 else {
            throw .configurationFailed(path: path, reason: "tcsetattr: \(POSIX.errorText())")
        }
        tcflush(fd, TCIOFLUSH)
    }

    static func openError(path: String, code: Int32) -> TransportError {
        switch code {
        case ENOENT, ENODEV, ENXIO: .deviceNotFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path, group: owningGroup(of: path))
        case EBUSY: .deviceBusy(path: path)
        default: .configurationFailed(path: path, reason: POSIX.errorText(code))
        }
    }

    /// The group that owns the device (usually `dialout`), which the user needs to join.
    static func owningGroup(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, let group = getgrgid(info.st_gid) else { return nil }
        return String(cString: group.pointee.gr_name)
    }
}
