/// Quoted-printable (RFC 2045 section 6.7) for text parts.
public enum QuotedPrintable {
    /// Encodes text whose line ends are normalised to CRLF hard breaks. Output lines are at most 76
    /// characters (soft breaks `=` CRLF), trailing spaces and tabs are encoded, `=` and non-ASCII and
    /// control bytes become `=XX`, and a line starting with `From ` or `.` has that byte encoded so
    /// neither mbox readers nor SMTP dot handling can change it.
    public static func encode(text: String) -> [UInt8] {
        var output: [UInt8] = []
        let lines = TextLines.split(Array(text.utf8))
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        for line in lines {
            encodeLine(line, into: &output)
            output.append(contentsOf: [ASCII.cr, ASCII.lf])
        }
        return output
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        guard !line.isEmpty else { return }
        var column = 0
        let lastIndex = line.endIndex - 1
        for index in line.indices {
            let byte = line[index]
            let isLast = index == lastIndex
            let atStart = index == line.startIndex
            let literal: Bool
            if byte == ASCII.space || byte == ASCII.tab {
                literal = !isLast
            } else if atStart && (byte == UInt8(ascii: ".") || (byte == UInt8(ascii: "F") && line.starts(with: Array("From ".utf8)))) {
                literal = false
            } else {
                literal = byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "=")
            }
            let width = literal ? 1 : 3
            // Keep room for the soft break's `=`: 75 characters of content per output line, unless this
            // is the last piece of the line (then 76 fit).
            let limit = isLast ? 76 : 75
            if column + width > limit {
                output.append(contentsOf: [UInt8(ascii: "="), ASCII.cr, ASCII.lf])
                column = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(contentsOf: [UInt8(ascii: "="), ASCII.upperHexDigits[Int(byte >> 4)], ASCII.upperHexDigits[Int(byte & 0x0F)]])
            }
            column += width
        }
    }
}

/// Splitting text at any line end (CRLF, LF, or CR).
enum TextLines {
    /// The lines of `bytes`; a final line end does not produce an extra empty line.
    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.cr || byte == ASCII.lf {
                lines.append(bytes[start..<index])
                if byte == ASCII.cr, index + 1 < bytes.count, bytes[index + 1] == ASCII.lf { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { lines.append(bytes[start..<bytes.count]) }
        return lines
    }
}
