import Foundation
import GRDB

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
///
/// Codable, so a web page can carry it in a link: `{"millis": 1767225600123, "id": 42}`.
public struct PageCursor: Sendable, Hashable, Codable {
    /// The record's time in Unix milliseconds, as stored.
    public let millis: Int64
    public let id: Int64

    init(millis: Int64, id: Int64) {
        self.millis = millis
        self.id = id
    }

    /// After (older than) the record with this time and id.
    public init(time: Date, id: Int64) throws {
        self.init(millis: try UnixMillis.require(time, "cursor time"), id: id)
    }

    /// Everything strictly before `date`.
    public static func before(_ date: Date) throws -> PageCursor {
        PageCursor(millis: try UnixMillis.require(date, "page start"), id: .min)
    }

    public var time: Date { UnixMillis.date(millis) }

    /// The `WHERE` clause selecting rows after this cursor in newest-first order.
    func clause(timeColumn: String) -> (sql: String, arguments: [Int64]) {
        ("(\(timeColumn) < ? OR (\(timeColumn) = ? AND id < ?))", [millis, millis, id])
    }
}

/// Pages are at most this long, whatever is asked: a page is for a screen, not an export.
let maximumPageSize = 10_000

func pageSize(_ limit: Int) -> Int { min(max(limit, 0), maximumPageSize) }

/// Adds the window and page of a newest-first list: rows at or after `since`, rows older than
/// `cursor`, and the page size for the final `LIMIT ?`. Called last, so the limit is the last
/// argument, and the same way by every list, so paging always matches `ORDER BY time DESC, id DESC`.
func addPaging(since: Date? = nil, cursor: PageCursor?, limit: Int, timeColumn: String,
               to conditions: inout [String], _ arguments: inout StatementArguments) throws {
    if let since {
        conditions.append("\(timeColumn) >= ?")
        arguments += [try UnixMillis.require(since, "since")]
    }
    if let cursor {
        let (sql, values) = cursor.clause(timeColumn: timeColumn)
        conditions.append(sql)
        arguments += StatementArguments(values)
    }
    arguments += [pageSize(limit)]
}
