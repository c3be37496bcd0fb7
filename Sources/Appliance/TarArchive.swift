import CZlib
import Foundation

/// A `.tar.gz` written in memory: ustar entries (regular files, mode 0600 by default), gzip from zlib.
/// Sizes are bounded by the caller (the support bundle caps each file); names longer than 100 bytes
/// are refused rather than cut.
public struct TarArchive: Sendable {
    public private(set) var entries: [(name: String, bytes: [UInt8], mode: Int)] = []
    public var modificationTime: Date

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case nameTooLong(String)
        case compressionFailed(Int32)

        public var description: String {
            switch self {
            case let .nameTooLong(name): "the archive name '\(name)' is longer than 100 bytes"
            case let .compressionFailed(code): "zlib failed (\(code))"
            }
        }
    }

    public init(modificationTime: Date = Date()) { self.modificationTime = modificationTime }

    public mutating func add(_ name: String, text: String, mode: Int = 0o600) throws(Problem) {
        try add(name, bytes: Array(text.utf8), mode: mode)
    }

    public mutating func add(_ name: String, bytes: [UInt8], mode: Int = 0o600) throws(Problem) {
        guard name.utf8.count <= 100, !name.isEmpty else { throw .nameTooLong(name) }
        entries.append((name, bytes, mode))
    }

    /// The uncompressed tar stream: a 512-byte header per file, its data padded to 512, two empty blocks.
    public var tarBytes: [UInt8] {
        var out: [UInt8] = []
        let time = Int(modificationTime.timeIntervalSince1970)
        for entry in entries {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int, width: Int) {
                for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
            }
            func putOctal(_ value: Int, at offset: Int, width: Int) {
                put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8), at: offset, width: width - 1)
            }
            put(entry.name, at: 0, width: 100)
            putOctal(entry.mode, at: 100, width: 8)
            putOctal(0, at: 108, width: 8)
            putOctal(0, at: 116, width: 8)
            putOctal(entry.bytes.count, at: 124, width: 12)
            putOctal(time, at: 136, width: 12)
            put("        ", at: 148, width: 8)
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            put("root", at: 265, width: 32)
            put("root", at: 297, width: 32)
            let checksum = header.reduce(0) { $0 + Int($1) }
            put(String(repeating: "0", count: max(0, 6 - String(checksum, radix: 8).count)) + String(checksum, radix: 8), at: 148, width: 6)
            header[154] = 0
            header[155] = UInt8(ascii: " ")
            out += header
            out += entry.bytes
            out += [UInt8](repeating: 0, count: (512 - entry.bytes.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// The archive gzip-compressed.
    public func gzipped() throws(Problem) -> [UInt8] {
        try Gzip.compress(tarBytes)
    }
}

/// gzip (RFC 1952) through zlib's deflate.
public enum Gzip {
    public static func compress(_ input: [UInt8]) throws(TarArchive.Problem) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        var status = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .compressionFailed(status) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var source = input
        status = source.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw .compressionFailed(status) }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
