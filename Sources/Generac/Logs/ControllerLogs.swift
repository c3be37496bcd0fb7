/// A log entry with the text upstream would show for it.
public struct DecodedLogEntry: Sendable, Equatable, Hashable {
    public let address: RegisterAddress
    public let entry: LogEntry
    /// The event text (table text, or the ALARMS.txt name when the table does not know the code).
    public let text: String

    /// Upstream's full line, e.g. `11/08/17 15:00:31 Underspeed : Alarm Code: 1600`.
    public func line(alternateDateFormat: Bool = false) -> String {
        entry.line(text: text, alternateDateFormat: alternateDateFormat)
    }

    /// True when the text still reads "unknown" (upstream then adds a note to the logs report).
    public var isUnknown: Bool { text.lowercased().contains("unknown") }
}

/// One decoded log, newest entry first.
public struct ControllerLog: Sendable, Equatable, Hashable {
    public let range: LogRange
    public let entries: [DecodedLogEntry]
    /// Why listing stopped before the depth was reached (`.empty` or `.invalid`), nil if full.
    public let terminator: LogSlot?

    /// Upstream's "Last Log Entries" value: the newest line, or "" for an empty log.
    public func newestLine(alternateDateFormat: Bool = false) -> String {
        entries.first?.line(alternateDateFormat: alternateDateFormat) ?? ""
    }
}

/// All logs of a controller in display order (Evolution: alarm, service, run; Nexus: alarm, run).
public struct ControllerLogs: Sendable, Equatable, Hashable {
    public let logs: [ControllerLog]

    public subscript(kind: LogKind) -> ControllerLog? { logs.first { $0.range.kind == kind } }

    /// Decodes every log from the image, stopping each at its first empty or invalid slot.
    public static func decode(image: RegisterImage, identity: ControllerIdentity) -> ControllerLogs {
        let firmware = FirmwareVersion.firmware(image)
        let layout = LogLayout(identity: identity)
        return ControllerLogs(logs: LogRange.ranges(for: identity).map { range in
            let table = LogTable.table(for: range, identity: identity, firmware: firmware)
            var entries: [DecodedLogEntry] = []
            var terminator: LogSlot?
            for address in range.entryAddresses {
                let slot = LogEntry.parse(words: image.words(from: address, count: range.wordsPerEntry), layout: layout)
                guard case .entry(let entry) = slot else {
                    terminator = slot
                    break
                }
                entries.append(DecodedLogEntry(address: address, entry: entry,
                                               text: text(for: entry, table: table, range: range)))
            }
            return ControllerLog(range: range, entries: entries, terminator: terminator)
        })
    }

    /// Table text; on the Evolution alarm log an "unknown" text is replaced by the catalog name of
    /// the entry's alarm code when the catalog knows it.
    public static func text(for entry: LogEntry, table: LogTable, range: LogRange) -> String {
        let text = table.text(for: entry.code)
        if range.hasAlarmCode, text.lowercased().contains("unknown"),
           let code = entry.alarmCode, let catalog = AlarmCatalog.entry(forCode: code) {
            return catalog.name
        }
        return text
    }
}
