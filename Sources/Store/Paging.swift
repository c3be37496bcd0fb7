import Foundation

/// A record as stored: its row id and the record itself. The id orders records that share a time.
public struct Stored<Record: Sendable>: Sendable {
    public let id: Int64
    public let record: Record
    let millis: Int64

    /// Pass this back as `before:` to get the next (older) page.
    public var cursor: PageCursor { PageCursor(millis: millis, id: id) }
}

extension Stored: Equatable where Record: Equatable {}

/// Where a page of a newest-first list starts: strictly older than a stored record (by time, then
/// id), or strictly before a moment.
///
/// Keyset paging: a page costs the same however deep in the list it is, and records written
/// meanwhile do not shift the pages already seen.
public struct PageCursor: Sendable, Hashable {
    let millis: Int64
    let id: Int64

    /// Everything strictly before `date`.
    public static func before(_ date: Date) throws -> PageCursor {
        PageCursor(millis: try UnixMillis.require(date, "page start"), id: .min)
    }

    /// The `WHERE` clause selecting rows after this cursor in newest-first order.
    func clause(timeColumn: String) -> (sql: String, arguments: [Int64]) {
        ("(\(timeColumn) < ? OR (\(timeColumn) = ? AND id < ?))", [millis, millis, id])
    }
}

/// Pages are at most this long, whatever is asked: a page is for a screen, not an export.
let maximumPageSize = 10_000

func pageSize(_ limit: Int) -> Int { min(max(limit, 0), maximumPageSize) }
