/// The module grid while a QR symbol is built: function patterns, data placement, masks and their penalty.
struct QRMatrix {
    let version: Int
    let size: Int
    private(set) var dark: [Bool]
    /// Modules that belong to finders, timing, alignment, format and version areas: data skips them.
    private(set) var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns()
    }

    subscript(x: Int, y: Int) -> Bool { dark[y * size + x] }

    private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
    }

    /// Modules left for data and error correction once every function pattern is in place.
    var dataModuleCount: Int { isFunction.lazy.filter { !$0 }.count }

    /// Centres of the alignment patterns along one axis (ISO/IEC 18004 annex E): 6, the far edge less 7, and
    /// evenly spaced even steps between (version 32 has the one uneven step of 26).
    static func alignmentPositions(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let size = 17 + 4 * version, count = version / 7 + 2
        let step = version == 32 ? 26 : ((size - 13 + 2 * count - 3) / (2 * count - 2)) * 2
        return [6] + (0..<(count - 1)).map { size - 7 - $0 * step }.reversed()
    }

    private mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(6, index, index % 2 == 0)
            setFunction(index, 6, index % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                    let ring = max(abs(dx), abs(dy))
                    setFunction(x + dx, y + dy, ring != 2 && ring != 4)
                }
            }
        }
        let positions = Self.alignmentPositions(version: version)
        for y in positions {
            for x in positions where !((x == 6 && y == 6) || (x == 6 && y == size - 7) || (x == size - 7 && y == 6)) {
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormat(bits: 0)  // reserves the area; the real bits come with the mask
        if version >= 7 { drawVersion() }
    }

    /// The 15 format bits for `level` and `mask`: BCH(15,5) with generator 0x537, XORed with 0x5412.
    static func formatBits(level: QRCode.ErrorCorrection, mask: Int) -> Int {
        let levelBits = switch level { case .low: 1; case .medium: 0; case .quartile: 3; case .high: 2 }
        let data = levelBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | (remainder & 0x3FF)) ^ 0x5412
    }

    /// Writes the format bits in both copies (around the top-left finder, and split below the
    /// top-right and beside the bottom-left one), plus the always-dark module.
    mutating func drawFormat(bits: Int) {
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        // First copy: up column 8 to the corner, then left along row 8, skipping the timing pattern.
        let firstCopy = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)]
        for (index, (x, y)) in firstCopy.enumerated() { setFunction(x, y, bit(index)) }
        for index in 0..<8 { setFunction(size - 1 - index, 8, bit(index)) }
        for index in 8..<15 { setFunction(8, size - 15 + index, bit(index)) }
        setFunction(8, size - 8, true)
    }

    /// The 18 version bits (version and BCH(18,6) with generator 0x1F25) in the two 6×3 blocks.
    private mutating func drawVersion() {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | (remainder & 0xFFF)
        for index in 0..<18 {
            let isDark = (bits >> index) & 1 == 1
            let a = size - 11 + index % 3, b = index / 3
            setFunction(a, b, isDark)
            setFunction(b, a, isDark)
        }
    }

    /// Places the codewords' bits, most significant first, in two-column strips from the bottom-right
    /// corner, alternately upwards and downwards, stepping over the vertical timing pattern.
    mutating func place(_ codewords: [UInt8]) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < totalBits {
                    dark[y * size + x] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// Whether mask pattern `mask` flips the module in row `y`, column `x` (ISO/IEC 18004 table 10).
    static func maskFlips(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (y + x) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (y + x) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (y * x) % 2 + (y * x) % 3 == 0
        case 6: ((y * x) % 2 + (y * x) % 3) % 2 == 0
        default: ((y + x) % 2 + (y * x) % 3) % 2 == 0
        }
    }

    /// XORs the mask over every data module.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskFlips(mask, x: x, y: y) {
                dark[y * size + x].toggle()
            }
        }
    }

    /// The penalty score of ISO/IEC 18004 7.8.3: runs, 2×2 blocks, finder look-alikes, dark/light balance.
    func penalty() -> Int {
        var score = 0
        // Dark-light-dark×3-light-dark with four light modules on one side, as 11-bit patterns.
        let finderLike: (UInt16, UInt16) = (0b10111010000, 0b00001011101)
        var modules = [Bool](repeating: false, count: size)
        for line in 0..<size {
            for horizontal in [true, false] {
                for index in 0..<size { modules[index] = horizontal ? dark[line * size + index] : dark[index * size + line] }
                var run = 1
                var window: UInt16 = 0
                for index in 0..<size {
                    if index > 0 {
                        if modules[index] == modules[index - 1] {
                            run += 1
                        } else {
                            if run >= 5 { score += 3 + run - 5 }
                            run = 1
                        }
                    }
                    window = (window << 1 | (modules[index] ? 1 : 0)) & 0x7FF
                    if index >= 10 && (window == finderLike.0 || window == finderLike.1) { score += 40 }
                }
                if run >= 5 { score += 3 + run - 5 }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let color = self[x, y]
                if self[x + 1, y] == color && self[x, y + 1] == color && self[x + 1, y + 1] == color { score += 3 }
            }
        }
        let darkCount = dark.lazy.filter { $0 }.count, total = size * size
        score += 10 * (abs(darkCount * 100 - total * 50) / (total * 5))
        return score
    }
}
