extension QRCode {
    /// How the terminal shows the symbol.
    public enum TerminalStyle: Sendable {
        /// Black on white set with ANSI colours: right on dark and light terminal themes alike.
        case colors
        /// No escape codes; dark modules drawn with block characters (for light backgrounds).
        case plainDarkOnLight
        /// No escape codes; light modules drawn with block characters (for dark backgrounds).
        case plainLightOnDark
    }

    /// The symbol as text, two module rows per line with half-block characters, inside a quiet zone of
    /// `quietZone` modules (the standard asks for 4).
    public func terminalText(style: TerminalStyle = .colors, quietZone: Int = 4) -> String {
        let margin = max(0, quietZone)
        let range = -margin..<(size + margin)
        // In the plain light-on-dark style the "ink" is the light modules.
        let inkIsDark = style != .plainLightOnDark
        var lines: [String] = []
        for top in stride(from: range.lowerBound, to: range.upperBound, by: 2) {
            var line = style == .colors ? "\u{1B}[30;107m" : ""
            for x in range {
                let upper = isDark(x: x, y: top) == inkIsDark
                // Below the last row (an odd height) nothing is drawn: the terminal's own background.
                let lower = top + 1 < range.upperBound && isDark(x: x, y: top + 1) == inkIsDark
                switch (upper, lower) {
                case (true, true): line += "\u{2588}"
                case (true, false): line += "\u{2580}"
                case (false, true): line += "\u{2584}"
                case (false, false): line += " "
                }
            }
            lines.append(line + (style == .colors ? "\u{1B}[0m" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The symbol as a binary PGM image (P5, 8-bit grey), `scale` pixels per module, inside a quiet zone.
    public func pgm(scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let scale = max(1, scale), margin = max(0, quietZone)
        let side = (size + 2 * margin) * scale
        var image = Array("P5\n\(side) \(side)\n255\n".utf8)
        image.reserveCapacity(image.count + side * side)
        for row in 0..<side {
            let y = row / scale - margin
            for column in 0..<side {
                image.append(isDark(x: column / scale - margin, y: y) ? 0 : 255)
            }
        }
        return image
    }

    /// The symbol as a plain PBM image (P1: 1 is black), `scale` pixels per module, inside a quiet zone.
    public func pbm(scale: Int = 4, quietZone: Int = 4) -> String {
        let scale = max(1, scale), margin = max(0, quietZone)
        let side = (size + 2 * margin) * scale
        var text = "P1\n\(side) \(side)\n"
        for row in 0..<side {
            text += (0..<side).map { isDark(x: $0 / scale - margin, y: row / scale - margin) ? "1" : "0" }.joined(separator: " ") + "\n"
        }
        return text
    }
}
