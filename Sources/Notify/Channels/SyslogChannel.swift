import Foundation
import GenmonConfig
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local syslog (the original's gensyslog, interfaces §4.7): one line per message, ident
/// `genmon`, the configured facility, priority info (warning for alarms), the original's text
/// first and without the site, then the facts after `; `. Sent as a datagram to the syslog socket
/// (`/dev/log`) without waiting: a busy or missing syslog is retried like any channel.
public struct SyslogChannel: NotificationChannel {
    /// The longest line (RFC 3164's 1024 bytes, header included).
    public static let maximumLineBytes = 1024
    public let name = "syslog"
    public let settings: SyslogSettings
    public let timeZone: TimeZone

    public init(settings: SyslogSettings, timeZone: TimeZone = .current) {
        self.settings = settings
        self.timeZone = timeZone
    }

    public var pacing: PacingSettings { settings.common.pacing }
    public var detail: String { "syslog at \(settings.socketPath), facility \(settings.facility)" }
    /// The one recipient.
    public static let recipient = "local"

    public func routingCategory(for content: NotificationContent) -> NotificationCategory? {
        settings.common.filters.contains(content.brief.filter) ? content.brief.filter.notificationCategory : nil
    }

    public func render(_ content: NotificationContent, for recipients: [String], at date: Date) throws -> RenderedPayload {
        RenderedPayload(bytes: ShortMessage(content).encoded())
    }

    public func summarize(_ messages: [QueuedMessage]) -> QueuedMessage? { nil }

    /// `<PRI>Mmm dd hh:mm:ss genmon[pid]: text` as glibc's syslog() writes it to /dev/log.
    public func line(_ message: ShortMessage, at date: Date, pid: Int32 = getpid()) -> [UInt8] {
        let severity = message.filter == .error ? 4 : 6
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "MMM d HH:mm:ss"
        var stamp = formatter.string(from: date)
        // RFC 3164 pads a one-digit day with a space.
        if let space = stamp.firstIndex(of: " "), stamp[stamp.index(after: space)...].prefix { $0 != " " }.count == 1 {
            stamp.insert(" ", at: stamp.index(after: space))
        }
        let header = "<\(settings.facility * 8 + severity)>\(stamp) genmon[\(pid)]: "
        let text = message.text(limit: Self.maximumLineBytes - header.utf8.count, withSite: false, separator: "; ") { $0.utf8.count }
        return Array((header + text.replacingOccurrences(of: "\n", with: " ")).utf8)
    }

    public func deliver(_ message: QueuedMessage, to recipient: String) async -> DeliveryOutcome {
        let short = ShortMessage.decode(message.payload) ?? {
            var fallback = ShortMessage(NotificationContent(category: message.category ?? .info, subject: message.subject, text: message.text,
                                                            html: "", source: "outbox", time: message.created))
            fallback.site = ""
            return fallback
        }()
        return Self.send(line(short, at: Date()), to: settings.socketPath)
    }

    public func test(_ content: NotificationContent, to recipients: [String]) async -> ChannelTestReport {
        let started = ContinuousClock.now
        let outcome = Self.send(line(ShortMessage(content), at: Date()), to: settings.socketPath)
        let result = ChannelTestReport.RecipientResult(recipient: Self.recipient, outcome: outcome, duration: started.duration(to: .now).seconds)
        let succeeded = if case .delivered = outcome { true } else { false }
        return ChannelTestReport(channel: name, succeeded: succeeded,
                                 summary: (succeeded ? "Test line written to syslog: " : "Test line not written to syslog: ") + outcome.detail + ".",
                                 results: [result])
    }

    /// One datagram to the Unix socket at `path`, without blocking.
    static func send(_ bytes: [UInt8], to path: String) -> DeliveryOutcome {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return .failed("the syslog socket path \(path) is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { return .retryLater("cannot open a socket for syslog: \(String(cString: strerror(errno)))", after: nil) }
        defer { close(descriptor) }
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        guard sent < 0 else { return .delivered("written to \(path)") }
        let code = errno
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT, ECONNREFUSED: return .retryLater("no syslog listens at \(path) (\(reason)); is rsyslog or journald running?", after: nil)
        case EAGAIN, ENOBUFS: return .retryLater("syslog is busy (\(reason))", after: nil)
        case EMSGSIZE: return .failed("syslog refused a line that long (\(reason))")
        default: return .retryLater("cannot write to \(path): \(reason)", after: nil)
        }
    }
}
