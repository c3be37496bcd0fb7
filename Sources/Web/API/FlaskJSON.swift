import Foundation
import LegacyProtocol

/// JSON as the original web server's framework writes it (`jsonify`): compact separators, object
/// keys sorted, non-ASCII as `\uXXXX`, one newline at the end. Clients of `/cmd/<command>`
/// compare these bodies.
enum FlaskJSON {
    /// A string answer: `"EXERCISING"` + newline.
    static func string(_ text: String) -> String { quoted(text) + "\n" }

    /// Any parsed value, the way `jsonify` writes it.
    static func document(_ value: ReportValue) -> String { encode(value) + "\n" }

    static func encode(_ value: ReportValue) -> String {
        switch value {
        case let .string(text): return quoted(text)
        case let .int(number): return String(number)
        case let .double(number): return number.isFinite ? PythonFormat.repr(number) : (number.isNaN ? "NaN" : (number > 0 ? "Infinity" : "-Infinity"))
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return "null"
        case let .list(items): return "[" + items.map(encode).joined(separator: ",") + "]"
        case let .object(pairs):
            // Python sorts by code point; duplicates keep the last value, as a dict would.
            var merged: [String: ReportValue] = [:]
            for (key, item) in pairs { merged[key] = item }
            let keys = merged.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            return "{" + keys.map { quoted($0) + ":" + encode(merged[$0]!) }.joined(separator: ",") + "}"
        case let .measurement(measure): return quoted(measure.displayText)
        }
    }

    /// A JSON string with Python's escapes and `ensure_ascii`, as the socket's reports write it.
    static func quoted(_ text: String) -> String { JSON.quoted(text) }
}
