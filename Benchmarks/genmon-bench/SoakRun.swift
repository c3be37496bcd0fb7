import Foundation
import GenmonTesting
import LegacyProtocol
import Monitor
import Simulator
import Store
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `genmon-bench soak [--minutes M]`: `genmon run` for M minutes (10 by default) against the
/// simulator's outage and alarm scenario at speed 10, while 200 live-stream clients, 50 socket
/// clients polling every 2 s, a stranger flooding refused commands and 2,000 idle connections
/// from strangers hit it. Afterwards every outage, alarm and command audit the scenario caused
/// must be in genmon's database (counted against the scenario's own log), no status message may
/// show an old value without its mark, and genmon must have stayed up with bounded memory and
/// descriptors. Runs itself in a private network namespace (strangers have TEST-NET addresses).
enum SoakRun {
    static func main(minutes: Double, arguments: [String]) async -> Bool {
        if !arguments.contains("--inside") {
            if let reason = PrivateNetwork.unavailableReason {
                print("soak: no private network (\(reason)); the strangers' flood and idle connections come from loopback aliases instead")
            } else {
                return reexecInPrivateNetwork(arguments)
            }
        }
        do {
            return try await soak(minutes: minutes, privateNetwork: arguments.contains("--inside"))
        } catch {
            print("soak failed: \(error)")
            return false
        }
    }

    static func reexecInPrivateNetwork(_ arguments: [String]) -> Bool {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let (unshare, wrapped) = PrivateNetwork.wrap(me, arguments + ["--inside"], shellPrefix: "ulimit -n 20000 2>/dev/null;")
        let process = Process()
        process.executableURL = unshare
        process.arguments = wrapped
        do { try process.run() } catch {
            print("soak: cannot start in a private network: \(error)")
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// What the scenario did, in order, as the simulator confirmed it.
    struct ScenarioLog {
        var outagesEnded = 0
        var outagesStarted = 0
        var alarms = 0
        var lines: [String] = []
    }

    static func soak(minutes: Double, privateNetwork: Bool) async throws -> Bool {
        guard let genmonURL = GenmonExecutable.url else {
            print("genmon executable not found next to genmon-bench; build it first (swift build -c release)")
            return false
        }
        let duration = Duration.seconds(minutes * 60)
        print("\n== Soak: genmon run for \(format(minutes)) min; simulator outage/alarm scenario at speed 10; 200 live streams, 50 socket pollers, a refused flood, 2,000 idle connections")
        // The controller: in this process, on a pseudo-terminal, paced like a 9600-baud line.
        let start = Date()
        let clock = ScaledClock(start: start)
        clock.setSpeed(10)
        let controller = SimulatedController(simulation: Simulation(model: GeneratorModel(profile: .standard(.evolutionLiquidCooled, start: start), start: start)),
                                             clock: clock, faults: FaultInjector(pacing: WirePacing()))
        let simulator = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-soak-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            [GenMon]
            port = \(simulator.address)
            datadirectory = \(directory)/data
            genmon_server_address = 0.0.0.0
            flask_listen_ip_address = 0.0.0.0
            """.write(toFile: directory + "/genmon.conf", atomically: true, encoding: .utf8)
        let genmon = try await RunningProcess.start(genmonURL, ["run", "--config", directory + "/genmon.conf", "--web-port", "0", "--socket-port", "0"])
        let printed = try await genmon.waitForOutput("complete status after", timeout: .seconds(60))
        func port(_ label: String) -> Int? {
            guard let range = printed.range(of: label) else { return nil }
            return Int(printed[range.upperBound...].prefix { $0.isNumber })
        }
        guard let webPort = port("web app on http://127.0.0.1:"), let socketPort = port("command socket on 0.0.0.0:") else {
            print("soak: could not read genmon's ports from:\n\(printed)")
            return false
        }
        let tokenRun = try await GenmonExecutable.run(["token", "add", "--data-dir", directory + "/data", "--admin", "soak"])
        let token = String(tokenRun.output.split(separator: "\n").last ?? "")
        for _ in 0..<600 where !(await controllerInitialized(port: socketPort)) { try await Task.sleep(for: .milliseconds(100)) }

        let counters = SoakCounters()
        let timeline = UtilityTimeline()
        let stop = StopFlag()
        let pid = privateNetwork ? genmon.pid : nil
        let stranger = PrivateNetwork.strangerAddress, strangers = PrivateNetwork.moreStrangers
        var threads: [Thread] = []
        // Strangers need addresses that are not loopback (loopback may start the engine).
        if privateNetwork {
            for _ in 0..<2 { threads.append(Thread { SoakLoad.flood(pid: pid, from: stranger, port: socketPort, counters: counters, stop: stop) }) }
            threads.append(Thread { SoakLoad.idle(pid: pid, from: strangers, port: webPort, count: 50, counters: counters, stop: stop) })
            threads.append(Thread { SoakLoad.idle(pid: pid, from: strangers, port: socketPort, count: 50, counters: counters, stop: stop) })
        } else {
            print("soak: without a private network there is no refused flood and no idle strangers")
        }
        threads.forEach { $0.start() }
        let clients = Task {
            await withDiscardingTaskGroup { group in
                for _ in 0..<200 { group.addTask { await LiveStreamClient.run(port: webPort, token: token, counters: counters, timeline: timeline, stop: stop) } }
                for _ in 0..<50 { group.addTask { await SoakLoad.poll(port: socketPort, counters: counters, stop: stop) } }
            }
        }
        // The scenario, and a command from this machine every minute; resources every 5 s.
        var log = ScenarioLog()
        var commands = 0
        var peakResident = 0, peakDescriptors = 0, samples: [String] = []
        var alive = true
        let startedAt = ContinuousClock.now
        let end = startedAt + duration
        var nextCommand = startedAt + .seconds(30), nextSample = startedAt
        var step = 0
        while ContinuousClock.now < end, alive {
            let now = ContinuousClock.now
            if now >= nextSample {
                nextSample = now + .seconds(5)
                let resident = Self.resident(genmon.pid), descriptors = Self.descriptors(genmon.pid)
                peakResident = max(peakResident, resident)
                peakDescriptors = max(peakDescriptors, descriptors)
                if samples.count < 1000 { samples.append("\(Int(startedAt.duration(to: now).seconds)) s: \(resident >> 20) MiB, \(descriptors) fds") }
                alive = genmon.termination == nil
            }
            if now >= nextCommand {
                nextCommand = now + .seconds(60)
                if let client = try? await LegacyClient.connect(host: "127.0.0.1", port: socketPort) {
                    if (try? await client.command(commands % 2 == 0 ? "setquiet=on" : "setquiet=off")) != nil { commands += 1 }
                    await client.close()
                }
            }
            try await runScenarioStep(step, controller: controller, timeline: timeline, log: &log)
            step += 1
        }
        let elapsed = startedAt.duration(to: .now)
        // Let an outage in progress finish so the counts compare.
        if log.outagesStarted > log.outagesEnded {
            log.lines.append(await controller.perform(line: "utility on"))
            timeline.record(on: true)
            log.outagesEnded += 1
            try await Task.sleep(for: .seconds(8))
        }
        stop.set()
        await clients.value
        try await Task.sleep(for: .seconds(3))
        genmon.signal(SIGTERM)
        let exit = await genmon.waitForExit(timeout: .seconds(30))
        await simulator.shutdown()

        let database = try GenmonDatabase(path: directory + "/data/genmon.sqlite")
        let outages = try await database.outagePage(limit: 10_000).count
        let events = try await database.events(limit: 10_000).map(\.record)
        let audits = try await database.audits(limit: 10_000).map(\.record)
        let alarmEvents = events.filter { if case .alarmRaised(_, _, false) = $0.kind { true } else { false } }.count
        let outageStarts = events.filter { $0.name == "outage_started" }.count, outageEnds = events.filter { $0.name == "outage_ended" }.count
        let commandAudits = audits.filter { $0.command.hasPrefix("setquiet=") && $0.origin.principal == "127.0.0.1" }.count
        let refusalRows = audits.filter { $0.origin.principal == stranger }
        let refusalsStored = refusalRows.map { Self.refusalCount($0.message) }.reduce(0, +)
        let flood = counters.floodAnswered.load(ordering: .relaxed)

        print(String(format: "ran %.1f min; genmon exited %@", elapsed.seconds / 60, exit.map { "\($0.status)" } ?? "not at all"))
        print("scenario (simulator's log): \(log.outagesEnded) outages, \(log.alarms) alarms; genmon stored \(outages) outages "
              + "(\(outageStarts) started / \(outageEnds) ended events), \(alarmEvents) alarm events")
        print("commands from this machine: \(commands) sent, \(commandAudits) audited")
        print("refused flood: \(flood) answered (\(String(format: "%.1f", Double(flood) / elapsed.seconds))/s after slowing), \(refusalsStored) counted in \(refusalRows.count) audit rows, \(counters.floodReconnects.load(ordering: .relaxed)) reconnects")
        print("live streams: \(counters.statusMessages.load(ordering: .relaxed)) status and \(counters.eventMessages.load(ordering: .relaxed)) event messages, "
              + "\(counters.streamReconnects.load(ordering: .relaxed)) reconnects, \(counters.badMessages.load(ordering: .relaxed)) unreadable; "
              + "values shown old without their mark: \(counters.staleWithoutMark.load(ordering: .relaxed)), utility voltages the simulator never had: \(counters.wrongValues.load(ordering: .relaxed))")
        print("socket pollers: \(counters.socketAnswers.load(ordering: .relaxed)) answered, \(counters.socketErrors.load(ordering: .relaxed)) errors")
        print("idle connections: \(counters.idleOpen.load(ordering: .relaxed)) opened at first, \(counters.idleReopened.load(ordering: .relaxed)) reopened after genmon closed them")
        print("genmon peak resident \(peakResident >> 20) MiB, peak descriptors \(peakDescriptors); samples: \(samples.first ?? "") … \(samples.last ?? "")")
        for example in counters.examples.withLock({ $0 }) { print("  note: \(example)") }
        let passed = alive && exit?.status == 0 && outages == log.outagesEnded && outageStarts == log.outagesStarted
            && outageEnds == log.outagesEnded && alarmEvents == log.alarms && commandAudits == commands
            && refusalsStored == flood && counters.staleWithoutMark.load(ordering: .relaxed) == 0 && counters.wrongValues.load(ordering: .relaxed) == 0
            && counters.badMessages.load(ordering: .relaxed) == 0 && peakResident < 256 << 20 && peakDescriptors < 3000
        print(passed ? "soak: PASSED" : "soak: FAILED")
        return passed
    }

    /// One step of the outage and alarm story (real seconds at speed 10): utility off 6 s (60 s of
    /// simulated time), back 9 s, an overcrank alarm, reset, auto again. Each step waits for itself.
    static func runScenarioStep(_ step: Int, controller: SimulatedController, timeline: UtilityTimeline, log: inout ScenarioLog) async throws {
        let plan: [(line: String, thenWait: Duration)] = [
            ("utility off", .seconds(6)), ("utility on", .seconds(9)), ("alarm overcrank", .seconds(3)),
            ("reset", .seconds(2)), ("switch auto", .seconds(4)),
        ]
        let (line, wait) = plan[step % plan.count]
        let reply = await controller.perform(line: line)
        log.lines.append(line + ": " + reply)
        if reply.hasPrefix("ok") {
            switch line {
            case "utility off":
                log.outagesStarted += 1
                timeline.record(on: false)
            case "utility on":
                log.outagesEnded += 1
                timeline.record(on: true)
            case "alarm overcrank": log.alarms += 1
            default: break
            }
        }
        try await Task.sleep(for: wait)
    }

    static func controllerInitialized(port: Int) async -> Bool {
        guard let client = try? await LegacyClient.connect(host: "127.0.0.1", port: port) else { return false }
        defer { Task { await client.close() } }
        return !client.greeting.contains("Initializing")
    }

    static func refusalCount(_ message: String) -> Int {
        guard message.hasPrefix("refused "), let end = message.firstIndex(of: "×") else { return 1 }
        return Int(message.dropFirst("refused ".count)[..<end].filter(\.isNumber)) ?? 0
    }

    static func resident(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    static func descriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }
}
