import Appliance
import CPosixSupport
import Foundation
import GenmonBasics
import GenmonConfig
import Logging
import Monitor
import ServiceLifecycle
import Store

/// A long-running part with the name genmon uses for it when it fails ("web app", "command socket"),
/// so the one line a failure leaves says which part stopped and why.
struct NamedService: Service, CustomStringConvertible {
    let name: String
    let service: any Service
    /// What to check, added to a failure's line ("is another genmon running?").
    var hint: String?

    var description: String { name }

    func run() async throws {
        do {
            try await service.run()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PartFailure(part: name, reason: "\(error)" + (hint.map { " (\($0))" } ?? ""))
        }
    }
}

/// A part of genmon stopped with an error: the process ends non-zero with this line.
struct PartFailure: Error, CustomStringConvertible {
    let part: String
    let reason: String
    var description: String { "\(part) failed: \(reason)" }
}

/// Rolls history up and drops what has expired: once at start, then hourly.
struct DatabaseUpkeep: Service {
    let database: GenmonDatabase
    let clock: any GenmonClock
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await database.maintain(now: clock.date)
                    try await database.pruneDataLogs(now: clock.date)
                } catch {
                    logger.error("database upkeep failed: \(error)")
                }
                try? await clock.sleep(for: .seconds(3600))
            }
        }
    }
}

/// The original's `synctime` (set the controller clock once the monitor is up, then hourly) and
/// `syncdst` (set it when daylight-saving time starts or ends). Commands go through the same door
/// as everyone's, from the scheduler, and are audited.
struct ControllerClockKeeper: Service {
    let monitor: GeneratorMonitor
    let syncTime: Bool
    let syncDST: Bool
    let timeZone: TimeZone
    let clock: any GenmonClock

    func run() async {
        if syncTime || syncDST { await cancelWhenGracefulShutdown { await keep() } }
        await idleUntilShutdown()
    }

    func keep() async {
        let origin = CommandOrigin(interface: .scheduler, principal: syncTime ? "synctime" : "syncdst", mayControl: true)
        for await snapshot in monitor.snapshots() where snapshot.isInitialized { break }
        guard !Task.isCancelled else { return }
        _ = await monitor.execute(.generac(.setTime), origin: origin)
        var lastSync = clock.now
        var daylightSaving = timeZone.isDaylightSavingTime(for: clock.date)
        while !Task.isCancelled {
            try? await clock.sleep(for: .seconds(60))
            let dstNow = timeZone.isDaylightSavingTime(for: clock.date)
            let dstChanged = syncDST && dstNow != daylightSaving
            daylightSaving = dstNow
            if dstChanged || (syncTime && lastSync.duration(to: clock.now) >= .seconds(3600)) {
                _ = await monitor.execute(.generac(.setTime), origin: origin)
                lastSync = clock.now
            }
        }
    }
}

/// Prints the monitor's events for a person at a terminal (`genmon run`, `genmon demo`), and once
/// the first complete status with its timings. Logs go to standard error; this is standard output.
struct ConsolePrinter: Service {
    let monitor: GeneratorMonitor
    let clock: any GenmonClock
    /// The status line follows the lines that say where the socket and the web app listen (tools and
    /// people read them in that order), however fast the controller answers.
    let readiness: ReadinessGate

    func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await announceStartup() }
                for await event in monitor.events() { print(timestamp(event.time) + "  " + event.summary) }
            }
        }
    }

    /// Says once when the first complete status is in, with the one-line status and timings.
    func announceStartup() async {
        await readiness.wait()
        var announcedStatus = false
        for await snapshot in monitor.snapshots() {
            if !announcedStatus, let readings = snapshot.readings, let after = snapshot.monitor.firstCompleteStatusAfter {
                announcedStatus = true
                print(timestamp(clock.date) + "  " + readings.identity.detectedName + ": " + readings.status.oneLine
                      + String(format: "  (complete status after %.1f s)", after.seconds))
            }
            if announcedStatus, let logs = snapshot.monitor.logsCompleteAfter {
                print(timestamp(clock.date) + String(format: "  logs read after %.1f s", logs.seconds))
                return
            }
        }
    }

    func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}

/// Keeps resident memory to what genmon uses. Every `interval`, while the resident size is more than
/// 16 MiB above the smallest seen, freed heap memory is given back (after a burst: thousands of
/// connections opened and closed). Once start-up is over, and then every `codeReleaseInterval`,
/// the pages of program code are let go: most of a Swift program's resident memory is mapped code,
/// much of it run only at start (config, migrations, routes), and what is still in use comes back
/// from the page cache at its next use. On a Pi with 512 MiB that memory goes to others.
struct MemoryUpkeep: Service {
    let interval: Duration
    let clock: any GenmonClock
    let logger: Logger
    var codeReleaseAfterStart: Duration = .seconds(20)
    var codeReleaseInterval: Duration = .seconds(600)

    func run() async {
        await cancelWhenGracefulShutdown {
            var baseline = Int.max
            let started = clock.now
            var nextCodeRelease = started + codeReleaseAfterStart
            while !Task.isCancelled {
                try? await clock.sleep(until: min(clock.now + interval, nextCodeRelease))
                if clock.now >= nextCodeRelease {
                    nextCodeRelease = clock.now + codeReleaseInterval
                    releaseCodePages()
                }
                let now = Self.residentBytes()
                baseline = min(baseline, now)
                guard now > baseline + 16 << 20 else { continue }
                genmon_release_free_memory()
                let after = Self.residentBytes()
                if now - after > 1 << 20 { logger.debug("gave memory back: resident \(now >> 20) MiB → \(after >> 20) MiB") }
            }
        }
    }

    func releaseCodePages() {
        let before = Self.residentBytes()
        let released = genmon_release_code_pages()
        guard released >= 0 else { return }
        logger.debug("let go of code pages: resident \(before >> 20) MiB → \(Self.residentBytes() >> 20) MiB")
    }

    /// Resident memory from /proc/self/statm (0 where there is none).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Records what the monitor detected (fuel type, rating, speed, frequency) in genmon.conf once the
/// controller is read, as the original does, so its web server's settings page shows them. A file
/// genmon may not write is left alone, with one notice.
struct DetectedSettingsRecorder: Service {
    let monitor: GeneratorMonitor
    let path: String
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            for await snapshot in monitor.snapshots() {
                guard snapshot.isInitialized, let readings = snapshot.readings else { continue }
                do {
                    let keys = try DetectedSettings.record(readings, inFileAt: path)
                    if !keys.isEmpty { logger.info("recorded the detected \(keys.joined(separator: ", ")) in \(path)") }
                } catch {
                    logger.notice("could not record the detected settings in \(path): \(error)")
                }
                break
            }
        }
        await idleUntilShutdown()
    }
}

/// A part whose work is done waits here for the shutdown: swift-service-lifecycle takes a part that
/// ends on its own while the group is shutting down for a failure (exit status 1), however its end
/// is configured.
func idleUntilShutdown() async {
    try? await gracefulShutdown()
}
