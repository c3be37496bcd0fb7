/// What the framer cut from the stream.
public enum MQTTFrame: Equatable, Sendable {
    /// One whole packet, fixed header included; decode it with `MQTTPacket.decode`.
    case packet([UInt8])
    /// A packet announced larger than the maximum; its bytes are being discarded as they arrive.
    case oversize(firstByte: UInt8, size: Int)
}

/// Cuts MQTT packets out of a byte stream by their remaining length.
///
/// Memory is bounded: an oversize packet is reported as soon as its fixed header is seen and its bytes
/// are then dropped without being stored, so the buffer never holds more than one maximum-size packet
/// plus the bytes of the latest `append` (callers drain `next()` after every append). A malformed fixed
/// header leaves the framer failed: the stream is out of step and the connection must be closed.
public struct MQTTFramer: Sendable {
    /// The largest packet accepted, fixed header included (MQTT 5 "Maximum Packet Size").
    public let maximumPacketSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var bytesToSkip = 0
    private var failure: MQTTProtocolError?

    /// A framer accepting packets of at most `maximumPacketSize` bytes (default: the protocol maximum).
    public init(maximumPacketSize: Int = VariableByteInteger.maximum + 5) {
        self.maximumPacketSize = max(2, maximumPacketSize)
    }

    /// Bytes received but not yet returned as a packet.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        guard failure == nil else { return }
        var incoming = bytes[...]
        if bytesToSkip > 0 {
            let skipped = min(bytesToSkip, incoming.count)
            bytesToSkip -= skipped
            incoming = incoming.dropFirst(skipped)
        }
        compactIfWorthwhile()
        buffer.append(contentsOf: incoming)
    }

    /// The next whole packet or oversize report, or nil when more bytes are needed.
    public mutating func next() throws(MQTTProtocolError) -> MQTTFrame? {
        if let failure { throw failure }
        guard bytesToSkip == 0, bufferedByteCount >= 2 else { return nil }
        let head = buffer[readIndex...]
        let remainingLength: Int, lengthBytes: Int
        do {
            (remainingLength, lengthBytes) = try VariableByteInteger.decode(head.dropFirst())
        } catch .truncated {
            return nil
        } catch {
            failure = error
            throw error
        }
        let total = 1 + lengthBytes + remainingLength
        guard total <= maximumPacketSize else {
            let firstByte = buffer[readIndex]
            let available = min(total, bufferedByteCount)
            readIndex += available
            bytesToSkip = total - available
            compactIfWorthwhile()
            return .oversize(firstByte: firstByte, size: total)
        }
        guard bufferedByteCount >= total else { return nil }
        let packet = Array(buffer[readIndex..<(readIndex + total)])
        readIndex += total
        compactIfWorthwhile()
        return .packet(packet)
    }

    /// Drops consumed bytes once they are at least half the buffer, so appends stay amortised O(1).
    private mutating func compactIfWorthwhile() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 65536)
            readIndex = 0
        } else if readIndex > 4096 && readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
