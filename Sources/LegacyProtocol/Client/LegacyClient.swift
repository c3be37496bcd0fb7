import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Why a request over the command socket did not get its reply.
public enum LegacyClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing listens there, or the host cannot be reached.
    case connectionFailed(String)
    /// Connected, but the monitor sent nothing (no greeting, no reply) in time.
    case timedOut
    /// The monitor closed the connection.
    case closed

    public var description: String {
        switch self {
        case let .connectionFailed(reason): "cannot connect to the generator monitor: \(reason)"
        case .timedOut: "the generator monitor did not answer in time"
        case .closed: "the generator monitor closed the connection"
        }
    }
}

/// A client of the command socket, speaking like the original's add-ons: connect, take the
/// greeting, then send one request at a time and read until `EndOfMessage`.
public final class LegacyClient: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<ReplyCollector>
    /// The line the monitor sent on connect (`OK : Auto, Off - Ready`...).
    public let greeting: String

    private init(channel: any Channel, handler: NIOLoopBound<ReplyCollector>, greeting: String) {
        self.channel = channel
        self.handler = handler
        self.greeting = greeting
    }

    /// Connects and reads the greeting (the first bytes the monitor sends).
    public static func connect(host: String, port: Int, connectTimeout: Duration = .seconds(5),
                               greetingTimeout: Duration = .seconds(8),
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(LegacyClientError) -> LegacyClient {
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ReplyCollector()) }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            throw .connectionFailed("\(host):\(port): " + describe(error, timeout: connectTimeout))
        }
        let handler: NIOLoopBound<ReplyCollector>
        do {
            handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ReplyCollector.self), eventLoop: channel.eventLoop)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw .closed
        }
        let greeting: [UInt8]
        do throws(LegacyClientError) {
            greeting = try await wait(handler: handler, timeout: greetingTimeout) { $0.isEmpty ? nil : $0.count }
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return LegacyClient(channel: channel, handler: handler, greeting: String(decoding: greeting, as: UTF8.self))
    }

    /// A short reason for a failed connect ("Connection refused", "no answer within 5 seconds").
    static func describe(_ error: any Error, timeout: Duration) -> String {
        if let connection = error as? NIOConnectionError {
            if let io = connection.connectionErrors.first?.error as? IOError { return String(cString: strerror(io.errnoCode)) }
            if let dns = connection.dnsAAAAError ?? connection.dnsAError { return "cannot resolve the host name (\(dns))" }
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "no answer within \(timeout)" }
        return "\(error)"
    }

    /// Sends `text` exactly as given and returns the reply without its `EndOfMessage`.
    /// (`Retry, System Initializing`, which the monitor sends without a terminator, is returned as is.)
    public func request(_ text: String, timeout: Duration = .seconds(60)) async throws(LegacyClientError) -> String {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        do {
            try await channel.writeAndFlush(buffer).get()
        } catch {
            throw .closed
        }
        let marker = Array("EndOfMessage".utf8), retry = Array(LegacyText.initializing.utf8)
        let reply = try await Self.wait(handler: handler, timeout: timeout) { bytes in
            if let end = bytes.firstRange(of: marker) { return end.upperBound }
            if bytes.count >= retry.count, Array(bytes.prefix(retry.count)) == retry { return bytes.count }
            return nil
        }
        var text = String(decoding: reply, as: UTF8.self)
        if text.hasSuffix("EndOfMessage") { text.removeLast("EndOfMessage".count) }
        return text
    }

    /// `generator: <command>`; `text` may already carry the prefix (any case).
    public func command(_ text: String, timeout: Duration = .seconds(60)) async throws(LegacyClientError) -> String {
        try await request(Self.prefixed(text), timeout: timeout)
    }

    /// Adds `generator: ` unless the text already starts with it.
    public static func prefixed(_ text: String) -> String {
        let trimmed = text.drop { $0 == " " }
        return trimmed.lowercased().hasPrefix("generator:") ? String(trimmed) : "generator: " + trimmed
    }

    public func close() async {
        try? await channel.close()
    }

    /// Waits on the event loop until `complete` says how many buffered bytes form the answer.
    private static func wait(handler: NIOLoopBound<ReplyCollector>, timeout: Duration,
                             complete: @escaping @Sendable ([UInt8]) -> Int?) async throws(LegacyClientError) -> [UInt8] {
        let eventLoop = handler.eventLoop
        let future = eventLoop.flatSubmit { handler.value.wait(timeout: TimeAmount(timeout), complete: complete, eventLoop: eventLoop) }
        do {
            return try await future.get()
        } catch let error as LegacyClientError {
            throw error
        } catch {
            throw .closed
        }
    }
}

/// Collects what the monitor sends and completes one waiter at a time.
final class ReplyCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var buffer: [UInt8] = []
    /// The monitor closed its side of the connection.
    private(set) var isClosed = false
    private var waiter: (complete: @Sendable ([UInt8]) -> Int?, promise: EventLoopPromise<[UInt8]>, timer: Scheduled<Void>)?

    func wait(timeout: TimeAmount, complete: @escaping @Sendable ([UInt8]) -> Int?, eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]> {
        let promise = eventLoop.makePromise(of: [UInt8].self)
        if let count = complete(buffer) {
            let answer = Array(buffer.prefix(count))
            buffer.removeFirst(count)
            promise.succeed(answer)
            return promise.futureResult
        }
        if isClosed {
            promise.fail(LegacyClientError.closed)
            return promise.futureResult
        }
        let timer = eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.waiter = nil
            promise.fail(LegacyClientError.timedOut)
        }
        waiter = (complete, promise, timer)
        return promise.futureResult
    }

    private func check() {
        guard let current = waiter, let count = current.complete(buffer) else { return }
        waiter = nil
        current.timer.cancel()
        let answer = Array(buffer.prefix(count))
        buffer.removeFirst(count)
        current.promise.succeed(answer)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if let read = bytes.readBytes(length: bytes.readableBytes) { buffer += read }
        check()
    }

    func channelInactive(context: ChannelHandlerContext) {
        endOfInput()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            endOfInput()
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// The monitor will send nothing more: a waiter gets what completes it, or a `closed` error.
    private func endOfInput() {
        isClosed = true
        check()
        if let current = waiter {
            waiter = nil
            current.timer.cancel()
            current.promise.fail(LegacyClientError.closed)
        }
    }
}
