import Appliance
import Foundation
import GenmonBasics
import GenmonTesting
import Monitor
import ServiceLifecycle
import Synchronization
import Testing

/// What the notifier sends, in order.
final class SentNotifications: Sendable {
    private let sent = Mutex<[String]>([])
    var datagrams: [String] { sent.withLock { $0 } }
    var lines: [String] { datagrams.flatMap { $0.split(separator: "\n").map(String.init) } }
    func count(_ line: String) -> Int { lines.filter { $0 == line }.count }
    func record(_ text: String) { sent.withLock { $0.append(text) } }
}

@Suite("The systemd notifier against a monitor on a manual clock")
struct ServiceNotifierTests {
    /// A notifier for `rig`'s monitor with a 3 s watchdog (a look each second), sending to `sent`.
    static func notifier(_ rig: ClockedMonitorRig, readiness: ReadinessGate, sent: SentNotifications) -> ServiceNotifier {
        ServiceNotifier(send: { sent.record($0) }, readiness: readiness, watchdog: WatchdogSettings(timeout: .seconds(3)),
                        progress: { rig.monitor.pollLoopProgress }, snapshots: { rig.monitor.snapshots() }, statusRefresh: .seconds(30),
                        clock: rig.clock)
    }

    /// Runs until a snapshot satisfies `condition` with the monitor and the watchdog loop both asleep at each step.
    static func run(_ rig: ClockedMonitorRig, until limit: Duration, _ condition: (GeneratorSnapshot) -> Bool) async -> Bool {
        let end = rig.clock.now + limit
        while rig.clock.now < end {
            if condition(rig.monitor.snapshot()) { return true }
            await rig.clock.run(for: .milliseconds(250), sleepers: 2)
        }
        return condition(rig.monitor.snapshot())
    }

    @Test("nothing before every listener is up; then READY=1, STATUS lines that follow the generator, WATCHDOG=1 while polling, none once the loop stalls")
    func lifecycle() async throws {
        let rig = ClockedMonitorRig()
        let sent = SentNotifications()
        let readiness = ReadinessGate(waitingFor: ["command socket", "web app"])
        let notifier = Task { await Self.notifier(rig, readiness: readiness, sent: sent).run() }
        await rig.run(for: .seconds(5))
        #expect(sent.datagrams.isEmpty, "nothing may be sent before the listeners are up: \(sent.datagrams)")
        readiness.ready("command socket")
        await rig.run(for: .seconds(2))
        #expect(sent.datagrams.isEmpty)
        readiness.ready("web app")
        // The watchdog loop sleeps on the clock too from now on.
        #expect(await Self.run(rig, until: .seconds(60)) { $0.isInitialized })
        await rig.clock.run(for: .seconds(10), sleepers: 2)
        #expect(sent.lines.first == "READY=1")
        #expect(sent.count("READY=1") == 1)
        #expect(sent.count("WATCHDOG=1") >= 8, "one a second while the loop turns: \(sent.lines)")
        let status = try #require(sent.lines.last { $0.hasPrefix("STATUS=") })
        #expect(status.hasPrefix("STATUS=Off - Ready · Auto · link ok "), "\(status)")
        #expect(status.hasSuffix(" tx/s"))

        // The generator changes: the status follows at once, not at the next refresh.
        await rig.sim("utility off")
        #expect(await Self.run(rig, until: .seconds(60)) { $0.outage.inOutage })
        await rig.clock.run(for: .seconds(1), sleepers: 2)
        let outage = try #require(sent.lines.last { $0.hasPrefix("STATUS=") })
        #expect(outage.contains("utility outage"), "\(outage)")

        // A stalled loop: no more WATCHDOG=1 (systemd would restart genmon after 3 s).
        rig.monitor.stallPollLoop()
        await rig.clock.run(for: .seconds(2), sleepers: 2)
        let petsAtStall = sent.count("WATCHDOG=1")
        await rig.clock.run(for: .seconds(10), sleepers: 2)
        #expect(sent.count("WATCHDOG=1") == petsAtStall, "WATCHDOG=1 went on while the loop was stuck")
        notifier.cancel()
        await notifier.value
        await rig.stop()
    }

    @Test("a silent controller is not a hung loop: WATCHDOG=1 keeps coming while every read times out")
    func silentController() async {
        let rig = ClockedMonitorRig()
        let sent = SentNotifications()
        let readiness = ReadinessGate(waitingFor: [])
        let notifier = Task { await Self.notifier(rig, readiness: readiness, sent: sent).run() }
        #expect(await Self.run(rig, until: .seconds(60)) { $0.isInitialized })
        rig.link.setSilent(true)
        await rig.clock.run(for: .seconds(60), sleepers: 2)
        let before = sent.count("WATCHDOG=1")
        await rig.clock.run(for: .seconds(30), sleepers: 2)
        #expect(sent.count("WATCHDOG=1") >= before + 8, "only \(sent.count("WATCHDOG=1") - before) in 30 s of silence")
        let status = sent.lines.last { $0.hasPrefix("STATUS=") } ?? ""
        #expect(status.contains("no answer from the controller"), "\(status)")
        notifier.cancel()
        await notifier.value
        await rig.stop()
    }

    @Test("the status of a quiet generator is sent again at most once per refresh")
    func throttle() {
        var throttle = StatusThrottle(refresh: .seconds(30))
        let start = ContinuousClock.now
        let snapshot = GeneratorSnapshot(communication: .init(statistics: CommunicationStatistics(since: start), transport: .tcp, endpoint: "x"),
                                         monitor: .init(siteName: "s", version: "v", startedAt: Date()), updatedAt: Date())
        let line = ServiceStatusLine(snapshot: snapshot)
        #expect(line.text == "starting · detecting the controller · link ok 0 tx/s")
        #expect(throttle.offer(line, now: start) == line.text)
        #expect(throttle.offer(line, now: start + .seconds(1)) == nil)
        var silent = snapshot
        silent.communication.isReceiving = false
        let lost = ServiceStatusLine(snapshot: silent)
        #expect(throttle.offer(lost, now: start + .seconds(2)) == "starting · detecting the controller · no answer from the controller at x")
        #expect(throttle.offer(lost, now: start + .seconds(100)) == nil, "same text: nothing new to say")
    }

    @Test("the readiness gate opens once every part is ready, and a cancelled waiter returns")
    func gate() async {
        let gate = ReadinessGate(waitingFor: ["a", "b"])
        let waiter = Task { await gate.wait(); return gate.isOpen }
        gate.ready("a")
        gate.ready("unknown")
        #expect(!gate.isOpen)
        #expect(gate.pending == ["b"])
        gate.ready("b")
        #expect(await waiter.value)
        await gate.wait()
        let closed = ReadinessGate(waitingFor: ["never"])
        let cancelled = Task { await closed.wait() }
        cancelled.cancel()
        await cancelled.value
    }

    @Test("a real datagram socket receives what NotifySocket sends, abstract and path")
    func realSocket() async throws {
        let abstract = try NotifySocketRecorder()
        let socket = try NotifySocket(address: NotifySocketAddress(abstract.address))
        try socket.send("READY=1\nSTATUS=hello")
        #expect(await abstract.waitForLine(timeout: .seconds(5)) { $0 == "STATUS=hello" } != nil)
        #expect(abstract.lines == ["READY=1", "STATUS=hello"])
        abstract.stop()

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)").path
        defer { unlink(path) }
        let byPath = try NotifySocketRecorder(path: path)
        try NotifySocket(address: NotifySocketAddress(path)).send("WATCHDOG=1")
        #expect(await byPath.waitForLine(timeout: .seconds(5)) { $0 == "WATCHDOG=1" } != nil)
        byPath.stop()
        // Nobody listening: a clear error, no trap, no hang.
        #expect(throws: NotifySocket.Failure.self) { try NotifySocket(address: NotifySocketAddress("@genmon-nobody-\(UUID().uuidString)")).send("READY=1") }
    }
}
