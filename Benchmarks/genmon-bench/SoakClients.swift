import Foundation
import GenmonTesting
import LegacyProtocol
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Tells the soak's clients to stop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}

/// When the simulator's utility went off and on: what a published utility voltage is checked against.
final class UtilityTimeline: Sendable {
    private let changes = Mutex<[(at: ContinuousClock.Instant, on: Bool)]>([(.now, true)])

    func record(on: Bool) { changes.withLock { $0.append((.now, on)) } }

    /// Whether the utility was on (or off) at some moment between `from` and `to`.
    func was(on: Bool, between from: ContinuousClock.Instant, and to: ContinuousClock.Instant) -> Bool {
        changes.withLock { changes in
            let before = changes.last { $0.at <= from }?.on ?? true
            return before == on || changes.contains { $0.at > from && $0.at <= to && $0.on == on }
        }
    }
}

/// What the soak's clients saw, counted from every thread.
final class SoakCounters: Sendable {
    let statusMessages = Atomic<Int>(0)
    let eventMessages = Atomic<Int>(0)
    /// A value shown without its stale mark though older than three refreshes, or health OK while
    /// a value is marked stale.
    let staleWithoutMark = Atomic<Int>(0)
    /// A utility voltage the simulator did not have at any moment its age allows.
    let wrongValues = Atomic<Int>(0)
    let badMessages = Atomic<Int>(0)
    let streamReconnects = Atomic<Int>(0)
    let socketAnswers = Atomic<Int>(0)
    let socketErrors = Atomic<Int>(0)
    let floodAnswered = Atomic<Int>(0)
    let floodReconnects = Atomic<Int>(0)
    let idleReopened = Atomic<Int>(0)
    let idleOpen = Atomic<Int>(0)
    let examples = Mutex<[String]>([])

    func note(_ text: String) { examples.withLock { if $0.count < 5 { $0.append(text) } } }
}

/// A live-stream client over a raw HTTP/1.1 connection: reads the chunked server-sent events and
/// checks every status message's freshness marks. Reconnects (after 3 s, as EventSource does)
/// until told to stop.
final class LiveStreamClient: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var buffer: [UInt8] = []
    private var headerDone = false
    private var chunk: [UInt8] = []
    private var pending = ""
    let counters: SoakCounters
    let timeline: UtilityTimeline

    init(counters: SoakCounters, timeline: UtilityTimeline) {
        self.counters = counters
        self.timeline = timeline
    }

    static func run(port: Int, token: String, counters: SoakCounters, timeline: UtilityTimeline, stop: StopFlag) async {
        while !stop.isSet {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LiveStreamClient(counters: counters, timeline: timeline)) }
                    }
                    .connect(host: "127.0.0.1", port: port).get()
                let request = "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n\r\n"
                try await channel.writeAndFlush(channel.allocator.buffer(string: request))
                while channel.isActive, !stop.isSet { try await Task.sleep(for: .milliseconds(500)) }
                try? await channel.close()
            } catch {}
            guard !stop.isSet else { return }
            counters.streamReconnects.add(1, ordering: .relaxed)
            try? await Task.sleep(for: .seconds(3))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        if !headerDone {
            guard let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
            let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
            guard head.hasPrefix("HTTP/1.1 200") else {
                counters.note("stream answered: \(head.prefix { $0 != "\r" })")
                context.close(promise: nil)
                return
            }
            headerDone = true
            buffer.removeSubrange(..<end.upperBound)
        }
        // Chunked transfer coding: size line, data, CRLF.
        while let line = buffer.firstRange(of: [0x0D, 0x0A]) {
            guard let size = Int(String(decoding: buffer[..<line.lowerBound], as: UTF8.self).split(separator: ";").first ?? "", radix: 16) else {
                counters.badMessages.add(1, ordering: .relaxed)
                context.close(promise: nil)
                return
            }
            guard buffer.count >= line.upperBound + size + 2 else { return }
            pending += String(decoding: buffer[line.upperBound..<(line.upperBound + size)], as: UTF8.self)
            buffer.removeSubrange(..<(line.upperBound + size + 2))
            while let end = pending.range(of: "\n\n") {
                consume(String(pending[..<end.lowerBound]))
                pending.removeSubrange(..<end.upperBound)
            }
        }
    }

    private func consume(_ message: String) {
        var name = "", data = ""
        for line in message.split(separator: "\n") {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
        }
        switch name {
        case "status":
            counters.statusMessages.add(1, ordering: .relaxed)
            check(status: data)
        case "event": counters.eventMessages.add(1, ordering: .relaxed)
        default: break
        }
    }

    /// Every value not marked stale is at most three refreshes old; health is not OK while one is.
    private func check(status data: String) {
        guard let status = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else {
            counters.badMessages.add(1, ordering: .relaxed)
            return
        }
        guard status["initialized"] as? Bool == true, let readings = status["readings"] as? [String: [String: Any]] else { return }
        var anyStale = false
        for (name, reading) in readings {
            let stale = reading["stale"] as? Bool ?? false
            anyStale = anyStale || stale
            let age = reading["age"] as? Double ?? 0, refresh = reading["expectedRefresh"] as? Double ?? 1
            if !stale, age > refresh * 3 + 0.15 {
                counters.staleWithoutMark.add(1, ordering: .relaxed)
                counters.note("\(name) \(age) s old without its mark")
            }
        }
        if anyStale, status["controllerAnswering"] as? Bool == true, status["health"] as? String == "OK" {
            counters.staleWithoutMark.add(1, ordering: .relaxed)
            counters.note("health OK with stale values")
        }
        // Not wrong: the utility voltage shown is what the simulator had at some moment within the
        // value's age (plus 2 s for the stream's own delay).
        if let utility = ((status["utility"] as? [String: Any])?["voltage"] as? [String: Any])?["value"] as? Double,
           let age = readings["utilityVoltage"]?["age"] as? Double, readings["utilityVoltage"]?["stale"] as? Bool == false {
            let now = ContinuousClock.now
            let from = now - .seconds(age + 2)
            let wrong = utility < 100 ? !timeline.was(on: false, between: from, and: now)
                : utility > 200 ? !timeline.was(on: true, between: from, and: now) : false
            if wrong {
                counters.wrongValues.add(1, ordering: .relaxed)
                counters.note("utility \(utility) V shown, \(age) s old, against the simulator's timeline")
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// The soak's other clients: socket pollers, the refused flood, idle connections.
enum SoakLoad {
    /// A client of the original's tools: `status_json` and `gethealth` every 2 s over one connection.
    static func poll(port: Int, counters: SoakCounters, stop: StopFlag) async {
        try? await Task.sleep(for: .milliseconds(Int64.random(in: 0...2000)))
        var client: LegacyClient?
        while !stop.isSet {
            do {
                if client == nil { client = try await LegacyClient.connect(host: "127.0.0.1", port: port, connectTimeout: .seconds(5)) }
                let json = try await client!.command("status_json")
                let health = try await client!.command("gethealth")
                if json.hasPrefix("{"), !health.isEmpty { counters.socketAnswers.add(1, ordering: .relaxed) } else { counters.socketErrors.add(1, ordering: .relaxed) }
            } catch {
                counters.socketErrors.add(1, ordering: .relaxed)
                await client?.close()
                client = nil
            }
            try? await Task.sleep(for: .seconds(2))
        }
        await client?.close()
    }

    /// A stranger looping a command it may not send, on its own thread.
    static func flood(pid: Int32?, from address: String, port: Int, counters: SoakCounters, stop: StopFlag) {
        while !stop.isSet {
            guard let fd = try? PrivateNetwork.connectBlocking(pid: pid, source: address, host: address, port: port, timeout: .seconds(40)),
                  let client = try? BlockingCommandClient(fd: fd) else {
                counters.floodReconnects.add(1, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            while !stop.isSet, let reply = try? client.command("setremote=start") {
                if reply.contains("refused") { counters.floodAnswered.add(1, ordering: .relaxed) } else { counters.note("flood answered: \(reply.prefix(60))") }
            }
            counters.floodReconnects.add(1, ordering: .relaxed)
        }
    }

    /// Keeps `count` idle connections to `port` from each address (reopening those genmon closes).
    static func idle(pid: Int32?, from addresses: [String], port: Int, count: Int, counters: SoakCounters, stop: StopFlag) {
        var open: [(address: String, fd: Int32)] = []
        func connect(_ address: String) -> Int32? {
            try? PrivateNetwork.connectBlocking(pid: pid, source: address, host: address, port: port, timeout: .seconds(2))
        }
        for address in addresses {
            for _ in 0..<count {
                if let fd = connect(address) {
                    open.append((address, fd))
                    counters.idleOpen.add(1, ordering: .relaxed)
                }
            }
        }
        var scratch = [UInt8](repeating: 0, count: 4096)
        while !stop.isSet {
            Thread.sleep(forTimeInterval: 2)
            for index in open.indices {
                if open[index].fd >= 0 {
                    let got = recv(open[index].fd, &scratch, scratch.count, Int32(MSG_DONTWAIT))
                    guard got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) else { continue }
                    close(open[index].fd)
                    open[index].fd = -1
                }
                if let fd = connect(open[index].address) {
                    open[index].fd = fd
                    counters.idleReopened.add(1, ordering: .relaxed)
                }
            }
        }
        for (_, fd) in open where fd >= 0 { close(fd) }
    }
}
