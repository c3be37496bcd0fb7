import CGPIO

/// Why a 48-byte event record was not accepted.
enum EdgeEventDecodingError: Error, Equatable {
    case wrongSize(Int)
    case unknownEdge(UInt32)
}

extension EdgeEvent {
    /// Bytes of one `struct gpio_v2_line_event`.
    static let encodedSize = MemoryLayout<gpio_v2_line_event>.size

    /// Decodes one event record exactly `encodedSize` bytes long.
    init(record bytes: some Collection<UInt8>) throws(EdgeEventDecodingError) {
        guard bytes.count == Self.encodedSize else { throw .wrongSize(bytes.count) }
        var raw = gpio_v2_line_event()
        withUnsafeMutableBytes(of: &raw) { destination in
            for (index, byte) in bytes.enumerated() { destination[index] = byte }
        }
        guard let edge = Edge(rawValue: raw.id) else { throw .unknownEdge(raw.id) }
        self.init(offset: raw.offset, edge: edge, timestampNanoseconds: raw.timestamp_ns, sequence: raw.seqno, lineSequence: raw.line_seqno)
    }

    /// The record the kernel would write for this event (reserved bytes zero).
    var record: [UInt8] {
        var raw = gpio_v2_line_event()
        raw.timestamp_ns = timestampNanoseconds
        raw.id = edge.rawValue
        raw.offset = offset
        raw.seqno = sequence
        raw.line_seqno = lineSequence
        return withUnsafeBytes(of: raw) { Array($0) }
    }
}

/// Cuts a byte stream read from a line request into event records. The kernel writes whole records,
/// but a short read is kept (at most one record's worth) rather than trusted; records with an
/// unknown edge id are counted and skipped.
struct EdgeEventStreamDecoder {
    private(set) var pending: [UInt8] = []
    private(set) var rejected = 0

    mutating func feed(_ bytes: some Collection<UInt8>) -> [EdgeEvent] {
        pending.append(contentsOf: bytes)
        var events: [EdgeEvent] = []
        var start = 0
        while pending.count - start >= EdgeEvent.encodedSize {
            let record = pending[start..<(start + EdgeEvent.encodedSize)]
            start += EdgeEvent.encodedSize
            do { events.append(try EdgeEvent(record: record)) } catch { rejected += 1 }
        }
        pending.removeFirst(start)
        return events
    }
}
