import Foundation
import GenmonBasics
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// How many connections the web server takes, and for how long it waits on them.
public struct WebConnectionLimits: Sendable, Equatable {
    /// Connections served at once; more are answered 503.
    public var maximumConnections: Int
    /// Per address other than loopback (a reverse proxy on this machine is limited by the total only).
    public var perAddress: Int
    /// Connections only loopback may use.
    public var loopbackReserve: Int
    /// A request's head (request line and headers) must have arrived this long after the connection
    /// opened or the previous response ended: slow or idle connections are closed.
    public var headerTimeout: TimeAmount
    /// A connection whose request body stops arriving is closed after this long.
    public var idleTimeout: TimeAmount
    /// Connections being answered 503 at once at most; past it new ones are closed at once.
    public var refusingMaximum: Int

    public init(maximumConnections: Int = 512, perAddress: Int = 64, loopbackReserve: Int = 64,
                headerTimeout: TimeAmount = .seconds(15), idleTimeout: TimeAmount = .seconds(30), refusingMaximum: Int = 64) {
        self.maximumConnections = max(1, maximumConnections)
        self.perAddress = max(1, perAddress)
        self.loopbackReserve = loopbackReserve
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.refusingMaximum = max(0, refusingMaximum)
    }
}

/// What the connections of one web server share.
public final class WebConnectionGuard: Sendable {
    public let limits: WebConnectionLimits
    public let gate: ConnectionGate
    private let refusing = Atomic<Int>(0)

    public init(limits: WebConnectionLimits) {
        self.limits = limits
        gate = ConnectionGate(limits: .init(total: limits.maximumConnections, perAddress: limits.perAddress,
                                            loopbackReserve: limits.loopbackReserve), whenFull: .refuse)
    }

    /// Takes a place among the connections being refused; false when there are too many already.
    func beginRefusing() -> Bool {
        if refusing.wrappingAdd(1, ordering: .relaxed).newValue > limits.refusingMaximum {
            refusing.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func endRefusing() { refusing.wrappingSubtract(1, ordering: .relaxed) }
}

/// Per connection, right after HTTP decoding: admits it through the gate (or answers 503 to its
/// first request and closes), closes it when a request head does not arrive in time (slow or idle
/// clients), and tells the gate when it is used and closed.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let shared: WebConnectionGuard
    private var gateID: UInt64?
    private var refusing = false
    private var started = false
    /// Requests whose head has arrived and whose response has not ended (pipelining allows more than one).
    private var requestsInFlight = 0
    private var headDeadline: Scheduled<Void>?

    init(shared: WebConnectionGuard) { self.shared = shared }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let channel = context.channel
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        switch shared.gate.admit(address: address, now: .now, close: { channel.close(promise: nil) }) {
        case let .admitted(id):
            gateID = id
        case .refused:
            guard shared.beginRefusing() else {
                context.close(promise: nil)
                return
            }
            refusing = true
        }
        awaitHead(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) { finish() }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    private func finish() {
        headDeadline?.cancel()
        headDeadline = nil
        if let gateID {
            self.gateID = nil
            shared.gate.release(gateID)
        }
        if refusing {
            refusing = false
            shared.endRefusing()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if refusing {
            if case .head = part { answerBusy(context) }
            return
        }
        if case .head = part {
            headDeadline?.cancel()
            headDeadline = nil
            requestsInFlight += 1
            if let gateID { shared.gate.touch(gateID, now: .now) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInFlight = max(0, requestsInFlight - 1)
            if let gateID { shared.gate.touch(gateID, now: .now) }
            if requestsInFlight == 0 { awaitHead(context) }
        }
        context.write(data, promise: promise)
    }

    /// The next request's head must arrive within the header timeout.
    private func awaitHead(_ context: ChannelHandlerContext) {
        headDeadline?.cancel()
        headDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: shared.limits.headerTimeout) {
            self.headDeadline = nil
            guard self.requestsInFlight == 0 else { return }
            context.close(promise: nil)
        }
    }

    /// 503 with a JSON body a person can read, then the connection ends.
    private func answerBusy(_ context: ChannelHandlerContext) {
        headDeadline?.cancel()
        headDeadline = nil
        let body = #"{"error": {"code": "busy", "message": "genmon is serving as many connections as it can; try again in a few seconds."}}"#
        let head = HTTPResponse(status: .serviceUnavailable, headerFields: [
            .contentType: "application/json; charset=utf-8", .retryAfter: "5", .connection: "close",
            .contentLength: String(body.utf8.count), .cacheControl: "no-store",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
