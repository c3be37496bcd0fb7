import Foundation
import MQTTProtocol
import NIOCore
import NIOPosix

/// What the channel tells the client about one connection.
enum ConnectionEvent {
    case packet(MQTTPacket)
    case malformed(MQTTProtocolError)
    case oversize(firstByte: UInt8, size: Int)
    case closed(reason: String)
}

/// Cuts and decodes MQTT packets from the connection and reports them, in order, on the channel's event loop.
///
/// Holds at most one maximum-size packet (see `MQTTFramer`). Stops reading after a framing error: the stream is
/// out of step, so the client closes the connection.
final class MQTTChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var framer: MQTTFramer
    private let version: MQTTVersion
    private let onEvent: (ConnectionEvent) -> Void
    private var failed = false
    private var closeReason: String?

    init(version: MQTTVersion, maximumPacketSize: Int, onEvent: @escaping (ConnectionEvent) -> Void) {
        framer = MQTTFramer(maximumPacketSize: maximumPacketSize)
        self.version = version
        self.onEvent = onEvent
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { framer.append($0) }
        do {
            while let frame = try framer.next() {
                switch frame {
                case let .packet(bytes):
                    do {
                        onEvent(.packet(try MQTTPacket.decode(bytes, version: version)))
                    } catch {
                        failed = true
                        onEvent(.malformed(error))
                        return
                    }
                case let .oversize(firstByte, size):
                    onEvent(.oversize(firstByte: firstByte, size: size))
                }
            }
        } catch {
            failed = true
            onEvent(.malformed(error))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Keep the first cause (a TLS or socket error) for the report when the channel closes.
        if closeReason == nil { closeReason = describe(error) }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        onEvent(.closed(reason: closeReason ?? "connection closed by the broker"))
        context.fireChannelInactive()
    }
}

/// A short, readable description of a transport error ("connection refused", not a struct dump).
func describe(_ error: any Error) -> String {
    if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
    if let error = error as? NIOConnectionError {
        if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        if let first = error.connectionErrors.first { return describe(first.error) }
    }
    if let error = error as? ChannelError, case .connectTimeout = error { return "TCP connect timed out" }
    return String(describing: error)
}
