import Foundation

/// The owner's service journal behind `get_maint_log_json`, `add_maint_log`, `edit_row_maint_log`,
/// `delete_row_maint_log` and `clear_maint_log`: entries `{"date", "type", "comment", "hours"}`.
/// Kept in memory, and in a JSON file when a path is given (the original's `maintlog.json` layout:
/// an array of objects with sorted keys). As in the original, an entry keeps the key order it was
/// sent with until genmon restarts, and the order of the file (sorted) after.
public actor MaintenanceJournal {
    public static let types = ["Maintenance", "Check", "Repair", "Observation"]

    public private(set) var entries: [ReportValue]
    private let path: String?

    public init(path: String? = nil) {
        self.path = path
        if let path, let text = try? String(contentsOfFile: path, encoding: .utf8),
           case let .list(items)? = try? JSONParser.parse(text) {
            entries = items
        } else {
            entries = []
        }
    }

    /// The stored array as `json.dumps` writes it.
    public func json() -> String { JSON.encode(.list(entries)) }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case let .invalid(reason): "Invalid input for Maintenance Log entry: " + reason
            }
        }
    }

    /// Checks and normalises one entry: date `MM/DD/YYYY HH:MM`, a known type (title-cased),
    /// a comment, and the engine hours as a number.
    public static func validate(_ value: ReportValue) throws(Failure) -> ReportValue {
        guard case .object = value else { throw .invalid("an entry must be an object") }
        guard let date = value["date"]?.text, isValidDate(date) else { throw .invalid("date must be MM/DD/YYYY HH:MM") }
        guard let rawType = value["type"]?.text else { throw .invalid("type is missing") }
        let type = rawType.prefix(1).uppercased() + rawType.dropFirst().lowercased()
        guard types.contains(type) else { throw .invalid("type must be one of " + types.joined(separator: ", ")) }
        guard let comment = value["comment"]?.text else { throw .invalid("comment is missing") }
        let hours: ReportValue
        switch value["hours"] {
        case let .int(number)?: hours = .int(number)
        case let .double(number)? where number.isFinite: hours = .double(number)
        case let .string(text)?:
            if let number = Int(text) { hours = .int(number) } else if let number = Double(text), number.isFinite { hours = .double(number) } else {
                throw .invalid("hours must be a number")
            }
        default: throw .invalid("hours must be a number")
        }
        let normalized: [String: ReportValue] = ["date": .string(date), "type": .string(type), "comment": .string(comment), "hours": hours]
        // The keys in the order they came (the original stores the object as sent).
        var order: [String] = []
        if case let .object(pairs) = value {
            for (key, _) in pairs where normalized[key] != nil && !order.contains(key) { order.append(key) }
        }
        return .object(order.compactMap { key in normalized[key].map { (key, $0) } })
    }

    /// An entry with its keys sorted, as the original writes its file.
    static func sorted(_ entry: ReportValue) -> ReportValue {
        guard case let .object(pairs) = entry else { return entry }
        return .object(pairs.sorted { $0.0 < $1.0 })
    }

    static func isValidDate(_ text: String) -> Bool {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return false }
        let day = parts[0].split(separator: "/").compactMap { Int($0) }, time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard day.count == 3, time.count == 2 else { return false }
        return (1...12).contains(day[0]) && (1...31).contains(day[1]) && (1900...9999).contains(day[2])
            && (0...23).contains(time[0]) && (0...59).contains(time[1])
    }

    public func add(_ value: ReportValue) throws(Failure) {
        entries.append(try Self.validate(value))
        save()
    }

    /// `{"<index>": {entry}}`.
    public func edit(_ value: ReportValue) throws(Failure) {
        guard case let .object(pairs) = value, pairs.count == 1, let index = Int(pairs[0].0) else {
            throw .invalid("expected {\"<row>\": {entry}}")
        }
        guard entries.indices.contains(index) else { throw .invalid("no row \(index)") }
        entries[index] = try Self.validate(pairs[0].1)
        save()
    }

    public func delete(row: Int) throws(Failure) {
        guard entries.indices.contains(row) else { throw .invalid("no row \(row)") }
        entries.remove(at: row)
        save()
    }

    public func clear() {
        entries.removeAll()
        save()
    }

    private func save() {
        guard let path else { return }
        let text = JSON.encode(.list(entries.map(Self.sorted)), indent: 4)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
