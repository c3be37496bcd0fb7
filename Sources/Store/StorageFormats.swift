import Foundation
import GRDB

/// Every time in the database is an INTEGER of Unix milliseconds: compact, exactly comparable,
/// readable with `sqlite3` (`datetime(time / 1000, 'unixepoch')`), and the precision GRDB itself
/// uses for dates. Sub-millisecond parts of a `Date` are rounded away.
enum UnixMillis {
    /// Beyond this (about year 318 000) a time is surely a bug, and would not fit the arithmetic.
    static let limitSeconds: Double = 1e13

    static func from(_ date: Date) -> Int64? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < limitSeconds else { return nil }
        return Int64((seconds * 1000).rounded())
    }

    static func require(_ date: Date, _ what: String) throws -> Int64 {
        guard let millis = from(date) else { throw StoreError.invalidRecord("\(what) \(date.timeIntervalSince1970) is not a usable time") }
        return millis
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// Floor division, so buckets stay aligned for times before 1970 too.
    static func floor(_ millis: Int64, to width: Int64) -> Int64 {
        let quotient = millis / width
        return (millis % width != 0 && millis < 0 ? quotient - 1 : quotient) * width
    }
}

/// A string bound so that every character survives, U+0000 included.
///
/// GRDB binds and reads `String` as C strings, which stop at the first NUL. Strings containing one are
/// bound as their UTF-8 bytes instead and turned back into TEXT by SQL (`CAST(? AS TEXT)`); columns
/// holding such strings are read back as `CAST(column AS BLOB)`. Ordinary strings take GRDB's path.
struct FullText: DatabaseValueConvertible {
    var string: String

    init(_ string: String) { self.string = string }

    var databaseValue: DatabaseValue {
        string.utf8.contains(0) ? Data(string.utf8).databaseValue : string.databaseValue
    }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> FullText? {
        switch dbValue.storage {
        case let .blob(data): FullText(String(decoding: data, as: UTF8.self))
        case let .string(string): FullText(string)
        default: nil
        }
    }
}

extension Row {
    /// A text column selected as `CAST(column AS BLOB)`; nil when NULL. Throws when the value is of
    /// another kind (a damaged or tampered row), never traps.
    func fullText(_ column: String, table: String) throws -> String? {
        let value: DatabaseValue = self[column] ?? .null
        switch value.storage {
        case .null: return nil
        case let .blob(data): return String(decoding: data, as: UTF8.self)
        case let .string(string): return string
        case .int64, .double: throw StoreError.undecodableRow(table: table, reason: "column \(column) is not text")
        }
    }

    func requiredText(_ column: String, table: String) throws -> String {
        guard let text = try fullText(column, table: table) else {
            throw StoreError.undecodableRow(table: table, reason: "column \(column) is NULL")
        }
        return text
    }

    /// An INTEGER column, refused (not trapped on) when NULL or of another kind.
    func requiredInt64(_ column: String, table: String) throws -> Int64 {
        let value: DatabaseValue = self[column] ?? .null
        guard case let .int64(number) = value.storage else {
            throw StoreError.undecodableRow(table: table, reason: "column \(column) is not an integer")
        }
        return number
    }

    /// An INTEGER column that may be NULL.
    func optionalInt64(_ column: String, table: String) throws -> Int64? {
        let value: DatabaseValue = self[column] ?? .null
        switch value.storage {
        case .null: return nil
        case let .int64(number): return number
        default: throw StoreError.undecodableRow(table: table, reason: "column \(column) is not an integer")
        }
    }

    /// A REAL column; NULL (how SQLite stores NaN) comes back as nil.
    func optionalDouble(_ column: String, table: String) throws -> Double? {
        let value: DatabaseValue = self[column] ?? .null
        switch value.storage {
        case .null: return nil
        case let .double(number): return number
        case let .int64(number): return Double(number)
        case .string, .blob: throw StoreError.undecodableRow(table: table, reason: "column \(column) is not a number")
        }
    }
}
