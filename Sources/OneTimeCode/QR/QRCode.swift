/// Why data cannot become a QR code as asked.
public enum QRCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More bytes than the largest allowed version holds at the chosen error-correction level.
    case dataTooLong(bytes: Int, capacity: Int)
    /// Versions run from 1 to 40.
    case invalidVersionRange
    /// Masks run from 0 to 7.
    case invalidMask(Int)

    public var description: String {
        switch self {
        case let .dataTooLong(bytes, capacity): "\(bytes) bytes do not fit a QR code (at most \(capacity) here)"
        case .invalidVersionRange: "QR versions run from 1 to 40"
        case let .invalidMask(mask): "QR mask \(mask) does not exist (0...7)"
        }
    }
}

/// A QR code symbol (ISO/IEC 18004) holding bytes in byte mode: Reed–Solomon error correction,
/// the mask with the lowest penalty, format and version information.
public struct QRCode: Equatable, Sendable {
    /// How much of the symbol can be damaged and still read: about 7 %, 15 %, 25 % and 30 %.
    public enum ErrorCorrection: Sendable, CaseIterable {
        case low, medium, quartile, high
    }

    public let version: Int
    public let errorCorrection: ErrorCorrection
    public let mask: Int
    /// Modules per side: 17 + 4 × version.
    public let size: Int
    private let modules: [Bool]

    /// Whether the module at column `x`, row `y` is dark (outside the symbol: light, as the quiet zone).
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// The smallest symbol in `versions` that holds `text`'s UTF-8 bytes.
    public static func encode(text: String, errorCorrection: ErrorCorrection = .medium, versions: ClosedRange<Int> = 1...40, mask: Int? = nil) throws(QRCodeError) -> QRCode {
        try encode(Array(text.utf8), errorCorrection: errorCorrection, versions: versions, mask: mask)
    }

    /// The smallest symbol in `versions` that holds `data`; `mask` forces a mask instead of the lowest penalty.
    public static func encode(_ data: [UInt8], errorCorrection: ErrorCorrection = .medium, versions: ClosedRange<Int> = 1...40, mask: Int? = nil) throws(QRCodeError) -> QRCode {
        guard versions.lowerBound >= 1, versions.upperBound <= 40 else { throw .invalidVersionRange }
        if let mask, !(0...7).contains(mask) { throw .invalidMask(mask) }
        var chosen: (version: Int, matrix: QRMatrix, dataCodewords: Int)?
        var capacity = 0
        for version in versions {
            let matrix = QRMatrix(version: version)
            let dataCodewords = Self.dataCodewords(matrix: matrix, level: errorCorrection)
            capacity = Self.byteCapacity(dataCodewords: dataCodewords, version: version)
            if data.count <= capacity {
                chosen = (version, matrix, dataCodewords)
                break
            }
        }
        guard let chosen else { throw .dataTooLong(bytes: data.count, capacity: capacity) }
        let codewords = Self.codewords(data, version: chosen.version, level: errorCorrection, dataCodewords: chosen.dataCodewords,
                                       totalCodewords: chosen.matrix.dataModuleCount / 8)
        var placed = chosen.matrix
        placed.place(codewords)
        var best: (mask: Int, matrix: QRMatrix, penalty: Int)?
        for candidate in mask.map({ [$0] }) ?? Array(0...7) {
            var masked = placed
            masked.applyMask(candidate)
            masked.drawFormat(bits: QRMatrix.formatBits(level: errorCorrection, mask: candidate))
            let penalty = mask == nil ? masked.penalty() : 0
            if penalty < best?.penalty ?? Int.max { best = (candidate, masked, penalty) }
        }
        guard let result = best else { throw .invalidMask(mask ?? -1) }  // unreachable: at least one mask was tried
        return QRCode(version: chosen.version, errorCorrection: errorCorrection, mask: result.mask, size: result.matrix.size, modules: result.matrix.dark)
    }

    /// How many bytes a symbol of `version` holds at `errorCorrection` (ISO/IEC 18004 table 7, byte mode).
    public static func byteCapacity(version: Int, errorCorrection: ErrorCorrection) -> Int {
        guard (1...40).contains(version) else { return 0 }
        return byteCapacity(dataCodewords: dataCodewords(matrix: QRMatrix(version: version), level: errorCorrection), version: version)
    }

    static func dataCodewords(matrix: QRMatrix, level: ErrorCorrection) -> Int {
        matrix.dataModuleCount / 8
            - QRErrorCorrectionTable.blockCount(version: matrix.version, level: level) * QRErrorCorrectionTable.codewordsPerBlock(version: matrix.version, level: level)
    }

    /// Data bits less the mode indicator and the character count, in whole bytes.
    static func byteCapacity(dataCodewords: Int, version: Int) -> Int {
        (dataCodewords * 8 - 4 - (version <= 9 ? 8 : 16)) / 8
    }

    private init(version: Int, errorCorrection: ErrorCorrection, mask: Int, size: Int, modules: [Bool]) {
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = mask
        self.size = size
        self.modules = modules
    }

    /// Mode, count, data, terminator and padding; split into blocks, each with its Reed–Solomon
    /// codewords; then interleaved codeword by codeword.
    static func codewords(_ data: [UInt8], version: Int, level: ErrorCorrection, dataCodewords: Int, totalCodewords: Int) -> [UInt8] {
        var bits = QRBitBuffer()
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(data.count, count: version <= 9 ? 8 : 16)
        for byte in data { bits.append(Int(byte), count: 8) }
        let capacityBits = dataCodewords * 8
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var stream = bits.bytes
        var pad: UInt8 = 0xEC
        while stream.count < dataCodewords {
            stream.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }

        let blockCount = QRErrorCorrectionTable.blockCount(version: version, level: level)
        let ecPerBlock = QRErrorCorrectionTable.codewordsPerBlock(version: version, level: level)
        let longBlocks = totalCodewords % blockCount
        let shortDataLength = totalCodewords / blockCount - ecPerBlock
        var blocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index >= blockCount - longBlocks ? 1 : 0)
            let block = Array(stream[offset..<(offset + length)])
            offset += length
            blocks.append(block)
            ecBlocks.append(QRReedSolomon.remainder(of: block, degree: ecPerBlock))
        }
        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords)
        for index in 0...shortDataLength {
            for block in blocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<ecPerBlock {
            for block in ecBlocks { result.append(block[index]) }
        }
        return result
    }
}

/// Bits appended most significant first, read back as bytes.
struct QRBitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
