/// Turns report trees into the bytes the original sends: its indented text form and Python
/// `json.dumps` output.
public enum ReportRendering {
    /// The text form of a report (docs/compatibility.md#text-rendering): a recursive walk that prints maps as
    /// `Key : ` headings, scalars as `Key : value` lines, list strings on their own lines, a blank
    /// line after every list longer than one element, and one final newline.
    public static func text(_ root: ReportValue) -> String {
        var output = ""
        if case let .object(pairs) = root.resolved(numeric: false) {
            renderMap(pairs, indent: 0, into: &output)
        } else {
            output += pythonString(root.resolved(numeric: false)) + "\n"
        }
        output += "\n"
        return output
    }

    private static func renderMap(_ pairs: [(String, ReportValue)], indent: Int, into output: inout String) {
        let pad = String(repeating: "    ", count: indent)
        for (key, value) in pairs {
            switch value {
            case let .object(inner):
                output += "\n" + pad + key + " : \n"
                renderMap(inner, indent: indent + 1, into: &output)
            case let .list(items):
                output += "\n" + pad + key + " : \n"
                let itemPad = String(repeating: "    ", count: indent + 1)
                for item in items {
                    switch item {
                    case let .object(inner): renderMap(inner, indent: indent + 1, into: &output)
                    case .list: break
                    default: output += itemPad + pythonString(item) + "\n"
                    }
                }
                if items.count > 1 { output += "\n" }
            default:
                output += pad + key + " : " + pythonString(value) + "\n"
            }
        }
    }

    /// Python's `str()` of a scalar.
    static func pythonString(_ value: ReportValue) -> String {
        switch value {
        case let .string(text): text
        case let .int(number): String(number)
        case let .double(number): PythonFormat.repr(number)
        case let .bool(flag): flag ? "True" : "False"
        case .null: "None"
        case let .measurement(measure): measure.displayText
        case .list, .object: JSON.encode(value)
        }
    }
}

/// Python-compatible JSON: `json.dumps(obj)` (separators `", "` and `": "`, `ensure_ascii`, key
/// order kept, shortest float repr) and the indented form of `json.dumps(obj, indent=4)`.
public enum JSON {
    public static func encode(_ value: ReportValue, indent: Int? = nil) -> String {
        var output = ""
        write(value.resolved(numeric: false), indent: indent, level: 0, into: &output)
        return output
    }

    private static func write(_ value: ReportValue, indent: Int?, level: Int, into output: inout String) {
        switch value {
        case let .string(text): writeString(text, into: &output)
        case let .int(number): output += String(number)
        case let .double(number): output += jsonNumber(number)
        case let .bool(flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case let .measurement(measure): writeString(measure.displayText, into: &output)
        case let .list(items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += indent == nil ? ", " : "," }
                newline(indent: indent, level: level + 1, into: &output)
                write(item, indent: indent, level: level + 1, into: &output)
            }
            newline(indent: indent, level: level, into: &output)
            output += "]"
        case let .object(pairs):
            guard !pairs.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { output += indent == nil ? ", " : "," }
                newline(indent: indent, level: level + 1, into: &output)
                writeString(pair.0, into: &output)
                output += ": "
                write(pair.1, indent: indent, level: level + 1, into: &output)
            }
            newline(indent: indent, level: level, into: &output)
            output += "}"
        }
    }

    private static func newline(indent: Int?, level: Int, into output: inout String) {
        guard let indent else { return }
        output += "\n" + String(repeating: " ", count: indent * level)
    }

    /// Python writes `NaN` and `Infinity` (not valid JSON, but what its clients receive).
    static func jsonNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return PythonFormat.repr(value)
    }

    private static let hexDigits = Array("0123456789abcdef")

    /// A string literal as Python's `json.dumps` writes it (what every JSON answer of the original uses).
    public static func quoted(_ text: String) -> String {
        var output = ""
        writeString(text, into: &output)
        return output
    }

    /// A string literal with `ensure_ascii`: everything outside printable ASCII (space to `~`) as
    /// `\uXXXX` (surrogate pairs above the BMP), the usual control characters as short escapes.
    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value >= 0x7F {
                    if scalar.value > 0xFFFF {
                        let offset = scalar.value - 0x10000
                        appendEscape(0xD800 + (offset >> 10), into: &output)
                        appendEscape(0xDC00 + (offset & 0x3FF), into: &output)
                    } else {
                        appendEscape(scalar.value, into: &output)
                    }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private static func appendEscape(_ value: UInt32, into output: inout String) {
        output += "\\u"
        for shift in stride(from: 12, through: 0, by: -4) { output.append(hexDigits[Int(value >> UInt32(shift) & 0xF)]) }
    }
}
