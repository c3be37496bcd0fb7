import Appliance
import Foundation
import GenmonBasics
import Testing

@Suite("sd_notify messages and addresses")
struct NotificationTests {
    @Test("notifications are systemd's lines; a status is one line")
    func lines() {
        #expect(ServiceNotification.ready.line == "READY=1")
        #expect(ServiceNotification.watchdog.line == "WATCHDOG=1")
        #expect(ServiceNotification.stopping.line == "STOPPING=1")
        #expect(ServiceNotification.status("Off - Ready\nsecond").line == "STATUS=Off - Ready second")
        #expect(ServiceNotification.datagram([.ready, .status("x")]) == "READY=1\nSTATUS=x")
    }

    @Test("NOTIFY_SOCKET: a path, an @abstract name; anything else is refused")
    func addresses() throws {
        #expect(try NotifySocketAddress("/run/systemd/notify").pathBytes == Array("/run/systemd/notify".utf8))
        let abstract = try NotifySocketAddress("@/org/freedesktop/systemd1/notify/1")
        #expect(abstract.isAbstract)
        #expect(abstract.pathBytes == [0] + Array("/org/freedesktop/systemd1/notify/1".utf8))
        #expect(throws: NotifySocketAddress.Problem.empty) { try NotifySocketAddress("") }
        #expect(throws: NotifySocketAddress.Problem.unsupported("@")) { try NotifySocketAddress("@") }
        #expect(throws: NotifySocketAddress.Problem.unsupported("vsock:2:1")) { try NotifySocketAddress("vsock:2:1") }
        #expect(throws: NotifySocketAddress.Problem.unsupported("relative")) { try NotifySocketAddress("relative") }
        #expect(throws: NotifySocketAddress.Problem.tooLong(109)) { try NotifySocketAddress("/" + String(repeating: "a", count: 108)) }
        #expect(throws: NotifySocketAddress.Problem.unsupported("/a\u{0}b")) { try NotifySocketAddress("/a\u{0}b") }
    }

    @Test("the watchdog comes from WATCHDOG_USEC, for this process only")
    func watchdogSettings() {
        #expect(WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "60000000"], processID: 7)?.timeout == .seconds(60))
        #expect(WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "7"], processID: 7)?.checkInterval == .seconds(20))
        #expect(WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "8"], processID: 7) == nil)
        #expect(WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "0"], processID: 7) == nil)
        #expect(WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "soon"], processID: 7) == nil)
        #expect(WatchdogSettings.fromEnvironment([:], processID: 7) == nil)
    }

    @Test("the judge pets only when the progress counter moved since its last look")
    func judge() {
        var judge = WatchdogJudge()
        var looks: [Bool] = []
        for progress: UInt64 in [0, 0, 1, 9, 9] { looks.append(judge.shouldPet(progress: progress)) }
        #expect(looks == [true, false, true, true, false])
    }
}
