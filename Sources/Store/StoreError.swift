import Foundation
import GRDB

/// Everything the store can fail with, typed so a caller can tell "this file is not ours" from
/// "the disk is full" without parsing SQLite messages.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or created (missing directory, permissions...).
    case cannotOpen(path: String, reason: String)
    /// The file is not an SQLite database at all.
    case notADatabase(path: String)
    /// An SQLite database, but damaged: pages fail SQLite's checks.
    case corrupt(path: String, detail: String)
    /// An SQLite database that belongs to some other program: refused rather than altered.
    case foreignDatabase(path: String)
    /// Written by a newer genmon, whose schema this version does not know: refused rather than guessed at.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A record the store cannot keep faithfully (a time that is not a finite date, ...).
    case invalidRecord(String)
    /// A query that cannot be answered as asked (empty time range, no points wanted, ...).
    case invalidQuery(String)
    /// A stored row that does not decode into its record type.
    case undecodableRow(table: String, reason: String)
    /// Any other SQLite failure (disk full, I/O error, ...), with SQLite's code and message.
    case sqlite(code: Int32, message: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open the database at \(path): \(reason)"
        case let .notADatabase(path): "\(path) is not an SQLite database"
        case let .corrupt(path, detail): "the database at \(path) is damaged: \(detail)"
        case let .foreignDatabase(path): "\(path) is an SQLite database, but not genmon's; refusing to change it"
        case let .newerSchema(path, unknown):
            "the database at \(path) was written by a newer genmon (unknown migrations: \(unknown.joined(separator: ", ")))"
        case let .invalidRecord(reason): "cannot store the record: \(reason)"
        case let .invalidQuery(reason): "invalid query: \(reason)"
        case let .undecodableRow(table, reason): "a row of \(table) does not decode: \(reason)"
        case let .sqlite(code, message): "SQLite error \(code): \(message)"
        }
    }

    /// Translates whatever GRDB, SQLite or Codable threw into a `StoreError`.
    /// Cancellation passes through untouched: it is the caller's, not a storage failure.
    static func wrapping(_ error: any Error, path: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case is CancellationError:
            return error
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_NOTADB: return StoreError.notADatabase(path: path)
            case .SQLITE_CORRUPT: return StoreError.corrupt(path: path, detail: error.message ?? "SQLITE_CORRUPT")
            case .SQLITE_CANTOPEN, .SQLITE_PERM:
                return StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
            default: return StoreError.sqlite(code: error.extendedResultCode.rawValue, message: error.message ?? "")
            }
        default:
            return StoreError.sqlite(code: -1, message: "\(error)")
        }
    }
}
