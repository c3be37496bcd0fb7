/// Byte order of one log entry (docs/registers.md#entry-format).
public enum LogLayout: Sendable, Equatable, Hashable {
    /// Evolution and Nexus: code, sequence, minute, hour, month, second, year, day [, alarm code].
    case standard
    /// Pre-Nexus: sequence, code, hour, minute, second, month, day, year.
    case preNexus

    public init(identity: ControllerIdentity) { self = identity.isPreNexus ? .preNexus : .standard }
}

/// Why a slot did not hold a usable entry.
public enum LogEntryError: Error, Sendable, Equatable, Hashable {
    /// Fewer than 8 or more than 10 bytes.
    case wrongLength(Int)
    case minuteOutOfRange(Int)
    case hourOutOfRange(Int)
    case secondOutOfRange(Int)
    case dayOutOfRange(Int)
}

/// What one log slot holds.
public enum LogSlot: Sendable, Equatable, Hashable {
    case entry(LogEntry)
    /// Month 0 or above 12: the normal end of the log.
    case empty
    /// Bad timestamp fields or length: upstream logs an error and treats it as the end.
    case invalid(LogEntryError)

    public var entry: LogEntry? {
        if case .entry(let entry) = self { return entry }
        return nil
    }
}

/// One controller log entry with its raw fields.
public struct LogEntry: Sendable, Equatable, Hashable {
    /// Event / alarm code (the per-family text tables translate it).
    public var code: UInt8
    /// Sequence number (counts up per new entry; not displayed).
    public var sequence: UInt8
    /// Year − 2000 as stored.
    public var year: UInt8
    public var month: UInt8
    public var day: UInt8
    public var hour: UInt8
    public var minute: UInt8
    public var second: UInt8
    /// Evolution alarm log only: the ALARMS.txt code word (1600 = 0x0640).
    public var alarmCode: UInt16?

    public init(code: UInt8, sequence: UInt8, year: UInt8, month: UInt8, day: UInt8,
                hour: UInt8, minute: UInt8, second: UInt8, alarmCode: UInt16? = nil) {
        self.code = code
        self.sequence = sequence
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.alarmCode = alarmCode
    }

    /// Parses the bytes of one read (8 bytes, or 10 for Evolution alarm entries). Never traps.
    public static func parse(bytes: [UInt8], layout: LogLayout = .standard) -> LogSlot {
        guard (8...10).contains(bytes.count) else { return .invalid(.wrongLength(bytes.count)) }
        let entry: LogEntry
        switch layout {
        case .standard:
            entry = LogEntry(code: bytes[0], sequence: bytes[1], year: bytes[6], month: bytes[4], day: bytes[7],
                             hour: bytes[3], minute: bytes[2], second: bytes[5],
                             alarmCode: bytes.count >= 10 ? UInt16(bytes[8]) << 8 | UInt16(bytes[9]) : nil)
        case .preNexus:
            entry = LogEntry(code: bytes[1], sequence: bytes[0], year: bytes[7], month: bytes[5], day: bytes[6],
                             hour: bytes[2], minute: bytes[3], second: bytes[4])
        }
        if entry.month == 0 || entry.month > 12 { return .empty }
        if entry.minute > 59 { return .invalid(.minuteOutOfRange(Int(entry.minute))) }
        if entry.hour > 23 { return .invalid(.hourOutOfRange(Int(entry.hour))) }
        if entry.second > 59 { return .invalid(.secondOutOfRange(Int(entry.second))) }
        if entry.day == 0 || entry.day > 31 { return .invalid(.dayOutOfRange(Int(entry.day))) }
        return .entry(entry)
    }

    /// Parses register words (4 or 5 per entry).
    public static func parse(words: [UInt16], layout: LogLayout = .standard) -> LogSlot {
        parse(bytes: words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, layout: layout)
    }

    /// The bytes a controller stores for this entry (10 when it carries an alarm code).
    public func bytes(layout: LogLayout = .standard) -> [UInt8] {
        switch layout {
        case .standard:
            var bytes = [code, sequence, minute, hour, month, second, year, day]
            if let alarmCode { bytes += [UInt8(alarmCode >> 8), UInt8(alarmCode & 0xFF)] }
            return bytes
        case .preNexus:
            return [sequence, code, hour, minute, second, month, day, year]
        }
    }

    /// The register words a controller stores (simulators write these at the entry address).
    public func words(layout: LogLayout = .standard) -> [UInt16] {
        let bytes = bytes(layout: layout)
        return stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }

    /// `MM/DD/YY HH:MM:SS` (`DD/MM/YY …` with the alternate date format).
    public func timestamp(alternateDateFormat: Bool = false) -> String {
        let mm = pad2(Int(month)), dd = pad2(Int(day))
        let date = alternateDateFormat ? dd + "/" + mm : mm + "/" + dd
        return date + "/" + pad2(Int(year)) + " " + pad2(Int(hour)) + ":" + pad2(Int(minute)) + ":" + pad2(Int(second))
    }

    /// Upstream's line: `<timestamp> <text> ` plus `: Alarm Code: NNNN` when the entry has a code.
    public func line(text: String, alternateDateFormat: Bool = false) -> String {
        var line = timestamp(alternateDateFormat: alternateDateFormat) + " " + text + " "
        if let alarmCode { line += ": Alarm Code: " + AlarmCatalog.decimal4(alarmCode) }
        return line
    }
}
