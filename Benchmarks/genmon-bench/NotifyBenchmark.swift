import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import MailProtocol
import MailTransport
import ModbusTransport
import Monitor
import Notify
import Store
import Synchronization
import Logging

/// The outbox under load: 10,000 queued e-mails to a slow SMTP server (every reply 50 ms late, in
/// its own process) while the monitor polls the simulator (its own process, 9600-baud pacing).
/// Prints how often the state registers were read, idle and under load, resident memory idle and
/// at its peak under load, and how fast the queue drained.
enum NotifyBenchmark {
    static let messages = 10_000
    static let recipients = 10

    static func run() async {
        print("\n== Notifications: 10,000 queued e-mails to a slow SMTP server while the monitor polls")
        guard let genmon = MonitorBenchmark.siblingExecutable("genmon") else {
            print("genmon executable not found next to genmon-bench; build it first (swift build -c release)")
            return
        }
        let controlPort = 19_500 + Int(getpid() % 400)
        guard let (simulator, device) = MonitorBenchmark.startSimulator(genmon, controlPort: controlPort) else { return }
        defer { simulator.terminate() }
        guard let (server, smtpPort, counted) = await startSlowServer(replyDelay: 0.05) else { return }
        defer { server.terminate() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-notify-bench-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try await measure(device: device, smtpPort: smtpPort, folder: folder, serverCount: counted)
        } catch {
            print("notify benchmark failed: \(error)")
        }
    }

    static func measure(device: String, smtpPort: Int, folder: String, serverCount: @escaping @Sendable () -> Int) async throws {
        let stream = try SerialPort.stream(path: device)
        let link = TimedLink(ModbusClient(stream: stream))
        let monitor = GeneratorMonitor(link: link, configuration: MonitorConfiguration(siteName: "bench"))
        let monitoring = Task { await monitor.run() }
        for await snapshot in monitor.snapshots() where snapshot.monitor.logsCompleteAfter != nil { break }

        let database = try GenmonDatabase(path: folder + "/genmon.sqlite")
        var mail = MailSettings()
        mail.path = "bench"
        mail.smtpServer = "127.0.0.1"
        mail.smtpPort = smtpPort
        mail.tlsDisable = true
        mail.smtpAuthDisable = true
        mail.sender = try EmailAddress("genmon@example.org")
        var quiet = Logger(label: "bench")
        quiet.logLevel = .critical
        guard let channel = EmailChannel(mail: mail, notify: NotifySettings(), logger: quiet) else { return }
        let lanes = (0..<recipients).map { OutboxLane(channel: "email", recipient: "r\($0)@example.org") }
        let routing = NotificationRouting(["email": lanes.map { ChannelRecipient(id: $0.recipient) }])
        let signal = DeliverySignal()
        let composer = MessageComposer(reportContext: ReportContext(), siteName: "bench")
        let engine = NotificationEngine(service: monitor, database: database, planner: NotificationPlanner.Settings(siteName: "bench"),
                                        composer: composer, routing: routing, channels: [channel], signal: signal, announceStartup: false,
                                        logger: quiet)
        let worker = DeliveryWorker(database: database, channels: [channel], signal: signal, logger: quiet)
        let services = [Task { await engine.run() }, Task { await worker.run() }]

        // Warm up every path once (rendering, SMTP, the outbox queries), then measure idle.
        for index in 0..<20 { await engine.message(title: "warm-up \(index)", body: "warming up", category: .info) }
        while try await database.outboxSummary().count(.pending) > 0 { try await Task.sleep(for: .milliseconds(200)) }
        let idle = try await window(seconds: 30, link: link)

        // 10,000 messages with the full status report, each rendered once as the engine does, committed
        // 100 to a transaction (so this benchmark does not hold them all in memory itself), spread
        // over the recipients. The worker is woken once, at the end.
        let content = composer.compose(NotificationDraft(category: .warn, subject: "Load test", headline: "A queued message.",
                                                         source: "bench", time: Date()), snapshot: await monitor.snapshot(), now: Date())
        let started = ContinuousClock.now
        var payloadBytes = 0
        for chunk in stride(from: 0, to: messages, by: 100) {
            var batch: [OutboxMessage] = []
            for index in chunk..<min(chunk + 100, messages) {
                let lane = lanes[index % recipients]
                let payload = try channel.render(content, for: [lane.recipient], at: Date())
                payloadBytes += payload.bytes.count
                batch.append(OutboxMessage(created: Date(), category: "warn", subject: "Load test \(index)", body: content.text, source: "bench",
                                           messageID: payload.messageID, payloads: ["email": payload.bytes], lanes: [lane]))
            }
            _ = try await database.enqueue(batch: batch)
        }
        let queuedIn = started.duration(to: .now)
        signal.notify()
        let sentBefore = serverCount()
        let load = try await window(seconds: 60, link: link)
        let delivered = serverCount() - sentBefore
        let summary = try await database.outboxSummary()

        print(String(format: "queued %d messages (%.1f KiB each as e-mail, rendered once) in %.2f s", messages,
                     Double(payloadBytes) / Double(messages) / 1024, queuedIn.seconds))
        print("state register reads, idle:    \(idle.intervals)")
        print("state register reads, loaded:  \(load.intervals)")
        print(String(format: "resident memory idle           %.1f MiB (median of %d samples)", idle.medianMemory, idle.samples))
        print(String(format: "resident memory under load     %.1f MiB peak, %.1f MiB median (%+.1f MiB over idle at the peak)",
                     load.peakMemory, load.medianMemory, load.peakMemory - idle.medianMemory))
        print(String(format: "delivered under load           %d messages in 60 s (%.1f/s; at most %d in flight, peak %d), %d still queued",
                     delivered, Double(delivered) / 60, DeliveryWorker.Policy().maximumConcurrent, worker.peakConcurrency, summary.count(.pending)))
        print("resident memory every 5 s, idle: \(idle.memoryTrace) MiB; loaded: \(load.memoryTrace) MiB")
        print(String(format: "CPU under load                 %.1f %% of one core", load.cpuPercent))
        for service in services { service.cancel() }
        for service in services { await service.value }
        monitoring.cancel()
        await monitoring.value
        stream.close()
    }

    struct Window {
        var memoryTrace: String
        var intervals: String
        var samples: Int
        var medianMemory: Double
        var peakMemory: Double
        var cpuPercent: Double
    }

    /// Watches the state-register reads and resident memory for `seconds`.
    static func window(seconds: Int, link: TimedLink) async throws -> Window {
        let from = ContinuousClock.now
        let cpuBefore = MonitorBenchmark.cpuSeconds()
        var memory: [Double] = []
        for _ in 0..<seconds {
            try await Task.sleep(for: .seconds(1))
            memory.append(residentMegabytes())
        }
        let cpu = MonitorBenchmark.cpuSeconds() - cpuBefore
        let reads = link.statusReads(since: from)
        let gaps = zip(reads.dropFirst(), reads).map { later, earlier in earlier.duration(to: later) }.sorted()
        let text = gaps.isEmpty ? "none" : "every \(format(percentile(gaps, 0.5))) (p50), \(format(percentile(gaps, 0.95))) (p95), "
            + "\(format(percentile(gaps, 0.99))) (p99), \(format(gaps.last ?? .zero)) (max); \(reads.count) reads"
        let sorted = memory.sorted()
        let trace = stride(from: 4, to: memory.count, by: 5).map { String(format: "%.1f", memory[$0]) }.joined(separator: " ")
        return Window(memoryTrace: trace, intervals: text, samples: memory.count, medianMemory: sorted[sorted.count / 2], peakMemory: sorted.last ?? 0,
                      cpuPercent: cpu / Double(seconds) * 100)
    }

    /// A slow SMTP server in its own Python process: every reply 50 ms late. Counts accepted messages.
    static func startSlowServer(replyDelay: Double) async -> (Process, Int, @Sendable () -> Int)? {
        let script = """
            import asyncio, sys
            delay = float(sys.argv[1])
            count = 0
            async def handle(reader, writer):
                global count
                async def reply(text):
                    await asyncio.sleep(delay)
                    writer.write((text + "\\r\\n").encode())
                    await writer.drain()
                try:
                    await reply("220 slow.example ESMTP")
                    while True:
                        line = await reader.readline()
                        if not line:
                            break
                        command = line.decode(errors="replace").strip().upper()
                        if command.startswith("EHLO") or command.startswith("HELO"):
                            await reply("250-slow.example\\r\\n250 8BITMIME")
                        elif command == "DATA":
                            await reply("354 go ahead")
                            while True:
                                data = await reader.readline()
                                if not data or data == b".\\r\\n":
                                    break
                            count += 1
                            await reply("250 2.0.0 queued")
                        elif command == "QUIT":
                            await reply("221 bye")
                            break
                        else:
                            await reply("250 ok")
                except Exception:
                    pass
                finally:
                    writer.close()
            async def report():
                while True:
                    await asyncio.sleep(0.5)
                    try:
                        print("COUNT %d" % count, flush=True)
                    except BrokenPipeError:
                        sys.exit(0)
            async def main():
                server = await asyncio.start_server(handle, "127.0.0.1", 0)
                print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
                await report()
            asyncio.run(main())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(replyDelay)]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch {
            print("cannot start the slow SMTP server (python3): \(error)")
            return nil
        }
        let state = Mutex((port: 0, count: 0))
        Thread {
            var text = ""
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
                while let newline = text.firstIndex(of: "\n") {
                    let line = text[..<newline]
                    if line.hasPrefix("READY "), let port = Int(line.dropFirst(6)) { state.withLock { $0.port = port } }
                    if line.hasPrefix("COUNT "), let count = Int(line.dropFirst(6)) { state.withLock { $0.count = count } }
                    text.removeSubrange(...newline)
                }
            }
        }.start()
        for _ in 0..<200 where state.withLock({ $0.port }) == 0 { try? await Task.sleep(for: .milliseconds(100)) }
        let port = state.withLock { $0.port }
        guard port != 0 else {
            process.terminate()
            print("the slow SMTP server did not start")
            return nil
        }
        return (process, port, { state.withLock { $0.count } })
    }
}

/// The monitor's link, noting when the state registers are read.
final class TimedLink: ControllerLink {
    let base: ModbusClient
    private let statusReadTimes = Mutex<[ContinuousClock.Instant]>([])

    init(_ base: ModbusClient) { self.base = base }

    var kind: LinkKind { base.kind }
    var endpoint: String { base.endpoint }
    var communicationStatistics: CommunicationStatistics { base.communicationStatistics }

    func readRegisters(address: UInt16, count: UInt16, urgent: Bool) async throws(ModbusClientError) -> [UInt16] {
        if address == 1 { statusReadTimes.withLock { $0.append(.now) } }
        return try await base.readRegisters(address: address, count: count, urgent: urgent)
    }

    func writeRegisters(_ blocks: [(address: UInt16, values: [UInt16])]) async throws(ModbusClientError) {
        try await base.writeRegisters(blocks)
    }

    func close() { base.close() }

    func statusReads(since: ContinuousClock.Instant) -> [ContinuousClock.Instant] { statusReadTimes.withLock { $0.filter { $0 >= since } } }
}
