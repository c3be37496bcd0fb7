#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// genmon's log lines: one line per record on standard error.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with its syslog priority (`<4>`) and has
/// no timestamp of ours, so journald files the level and stamps the time itself. Elsewhere a line
/// reads `2026-12-05 06:10:00 warning genmon.monitor: text key=value`.
public struct GenmonLogHandler: LogHandler {
    public enum Style: Sendable, Equatable {
        case journal
        case terminal
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let label: String
    let style: Style
    let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, style: Style, write: @escaping @Sendable (String) -> Void = GenmonLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.style = style
        self.write = write
    }

    /// The style for this process: journal lines when systemd passed its journal stream.
    public static func detectedStyle(environment: [String: String]) -> Style {
        environment["JOURNAL_STREAM"].map { !$0.isEmpty } == true ? .journal : .terminal
    }

    /// The level loggers made from now on start with (`--log-level`, `log_level`).
    public static var level: Logger.Level {
        get { processLevel.withLock { $0 } }
        set { processLevel.withLock { $0 = newValue } }
    }
    private static let processLevel = Mutex<Logger.Level>(.info)

    /// Installs the handler for the whole process; call once, at start, before any logger is made.
    public static func bootstrap(environment: [String: String]) {
        let style = detectedStyle(environment: environment)
        LoggingSystem.bootstrap { label in GenmonLogHandler(label: label, level: level, style: style) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(format(level: event.level, message: event.message, metadata: event.metadata))
    }

    /// The line for one record, newline included.
    func format(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?) -> String {
        var merged = metadata
        if let extra { merged.merge(extra) { _, new in new } }
        var line: String
        switch style {
        case .journal: line = "<\(Self.syslogPriority(level))>" + label + ": "
        case .terminal: line = Self.timestamp() + " " + level.rawValue + " " + label + ": "
        }
        line += Self.oneLine(message.description)
        for key in merged.keys.sorted() {
            line += " " + key + "=" + Self.oneLine(merged[key].map { "\($0)" } ?? "")
        }
        return line + "\n"
    }

    /// journald's priorities (RFC 5424 severities).
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// One record, one line: embedded line breaks are shown, not obeyed.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One write(2) per line, so lines from different threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

extension Logger.Level {
    /// Parses `--log-level` and `log_level` values (trace, debug, info, notice, warning, error, critical).
    public init?(configurationValue: String) {
        let value = configurationValue.filter { !$0.isWhitespace }.lowercased()
        self.init(rawValue: value == "warn" ? "warning" : value)
    }
}
