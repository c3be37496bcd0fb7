import Foundation
import GenmonBasics
import Logging
import Monitor
import ServiceLifecycle

/// Tells systemd how genmon is (`Type=notify`): `READY=1` once every listener is up, `STATUS=` lines
/// that follow the generator, and `WATCHDOG=1` only while the poll loop makes progress.
public struct ServiceNotifier: Service {
    /// Where the notifications go: a `NotifySocket`, or a recorder in tests.
    public typealias Send = @Sendable (String) throws -> Void

    let send: Send
    let readiness: ReadinessGate
    let watchdog: WatchdogSettings?
    let progress: @Sendable () -> UInt64
    let snapshots: @Sendable () -> AsyncStream<GeneratorSnapshot>
    let statusRefresh: Duration
    let clock: any GenmonClock
    let logger: Logger

    public init(send: @escaping Send, readiness: ReadinessGate, watchdog: WatchdogSettings?, progress: @escaping @Sendable () -> UInt64,
                snapshots: @escaping @Sendable () -> AsyncStream<GeneratorSnapshot>, statusRefresh: Duration = .seconds(30),
                clock: any GenmonClock, logger: Logger = Logger(label: "genmon.systemd")) {
        self.send = send
        self.readiness = readiness
        self.watchdog = watchdog
        self.progress = progress
        self.snapshots = snapshots
        self.statusRefresh = statusRefresh
        self.clock = clock
        self.logger = logger
    }

    /// For a monitor: its progress and its snapshots.
    public init(send: @escaping Send, readiness: ReadinessGate, watchdog: WatchdogSettings?, monitor: GeneratorMonitor,
                clock: any GenmonClock) {
        self.init(send: send, readiness: readiness, watchdog: watchdog, progress: { monitor.pollLoopProgress },
                  snapshots: { monitor.snapshots() }, clock: clock)
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await readiness.wait()
            guard !Task.isCancelled else { return }
            notify([.ready, .status("started · listening")])
            logger.debug("told systemd genmon is ready")
            await withDiscardingTaskGroup { group in
                group.addTask { await reportStatus() }
                if let watchdog { group.addTask { await petWhileProgressing(watchdog) } }
            }
        }
        notify([.stopping, .status("stopping")])
    }

    /// `STATUS=` from each snapshot, throttled.
    func reportStatus() async {
        var throttle = StatusThrottle(refresh: statusRefresh)
        for await snapshot in snapshots() {
            if let text = throttle.offer(ServiceStatusLine(snapshot: snapshot), now: clock.now) { notify([.status(text)]) }
        }
    }

    /// `WATCHDOG=1` at each look at which the poll loop had moved since the one before.
    func petWhileProgressing(_ watchdog: WatchdogSettings) async {
        var judge = WatchdogJudge()
        var stalledSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            if judge.shouldPet(progress: progress()) {
                if let since = stalledSince {
                    logger.notice("the poll loop moves again after \(Int(since.duration(to: clock.now).seconds)) s")
                    stalledSince = nil
                }
                notify([.watchdog])
            } else if stalledSince == nil {
                stalledSince = clock.now
                logger.warning("the poll loop has not moved for \(Int(watchdog.checkInterval.seconds)) s; systemd restarts genmon if it stays stuck for \(Int(watchdog.timeout.seconds)) s")
            }
            try? await clock.sleep(for: watchdog.checkInterval)
        }
    }

    func notify(_ notifications: [ServiceNotification]) {
        do { try send(ServiceNotification.datagram(notifications)) } catch {
            logger.warning("could not notify systemd: \(error)")
        }
    }
}
