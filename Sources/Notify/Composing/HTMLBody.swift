import Foundation

/// The HTML alternative of a message (`use_html`), made from its text so both always say the same:
/// `Key : Value` lines become table rows, `Key :` lines headings, other lines paragraphs. One column
/// wide, large enough to read on a phone, no images and nothing loaded from elsewhere.
public enum HTMLBody {
    public static func render(_ text: String, title: String) -> String {
        var html = """
            <!DOCTYPE html><html><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(title))</title></head>\
            <body style="font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 16px; line-height: 1.4; \
            margin: 0; padding: 12px; max-width: 640px;">
            """
        var inTable = false
        var first = true
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if first {
                html += "<p style=\"font-size: 18px; font-weight: bold; margin: 0 0 12px;\">\(escape(line))</p>"
                first = false
                continue
            }
            let parts = split(line)
            if let (key, value) = parts, !value.isEmpty {
                if !inTable {
                    html += "<table style=\"border-collapse: collapse; width: 100%;\">"
                    inTable = true
                }
                html += "<tr><td style=\"padding: 2px 8px 2px 0; color: #555; vertical-align: top;\">\(escape(key))</td>"
                    + "<td style=\"padding: 2px 0;\">\(escape(value))</td></tr>"
                continue
            }
            if inTable {
                html += "</table>"
                inTable = false
            }
            if let (key, _) = parts {
                html += "<h3 style=\"font-size: 16px; margin: 14px 0 4px;\">\(escape(key))</h3>"
            } else if !line.isEmpty {
                html += "<p style=\"margin: 4px 0;\">\(escape(line))</p>"
            }
        }
        if inTable { html += "</table>" }
        return html + "</body></html>\n"
    }

    /// `Key : Value` or `Key :` (the reports' form); nil for other lines.
    static func split(_ line: String) -> (String, String)? {
        guard let range = line.range(of: " : ") ?? (line.hasSuffix(" :") ? line.range(of: " :", options: .backwards) : nil) else { return nil }
        let key = String(line[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.count <= 60 else { return nil }
        return (key, String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
