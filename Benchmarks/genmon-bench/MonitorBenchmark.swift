import Foundation
import Generac
import ModbusTransport
import Monitor

/// The monitor against the simulator running in its own process, paced at 9600 baud like a real
/// controller: start-up times, event latency, CPU and memory while monitoring.
enum MonitorBenchmark {
    static func run() async {
        print("\n== Monitor against the simulator (separate process, 9600 baud pacing)")
        guard let genmon = siblingExecutable("genmon") else {
            print("genmon executable not found next to genmon-bench; build it first (swift build -c release)")
            return
        }
        let controlPort = 19_000 + Int(getpid() % 1000)
        guard let (simulator, device) = startSimulator(genmon, controlPort: controlPort) else { return }
        defer { simulator.terminate() }
        do {
            let control = try ControlLine(port: controlPort)
            try await fillLogs(control)
            try await measure(device: device, control: control)
        } catch {
            print("monitor benchmark failed: \(error)")
        }
    }

    /// Runs the simulated generator fast for a while so every log has entries, as a unit in service would.
    static func fillLogs(_ control: ControlLine) async throws {
        _ = try await control.send("pacing off")
        _ = try await control.send("speed 2000")
        for round in 0..<25 {
            _ = try await control.send("remote start")
            try await Task.sleep(for: .milliseconds(15))
            _ = try await control.send("remote stop")
            try await Task.sleep(for: .milliseconds(45))
            if round % 3 == 0 {
                _ = try await control.send("alarm \(["overcrank", "low-oil-pressure", "high-temperature", "overspeed"][round % 4])")
                _ = try await control.send("reset")
                _ = try await control.send("switch auto")
            }
        }
        _ = try await control.send("service a")
        _ = try await control.send("remote resetalarm")
        _ = try await control.send("speed 1")
        _ = try await control.send("pacing on")
    }

    static func measure(device: String, control: ControlLine) async throws {
        let stream = try SerialPort.stream(path: device)
        let client = ModbusClient(stream: stream)
        let monitor = GeneratorMonitor(link: client, configuration: MonitorConfiguration(siteName: "bench"))
        let monitoring = Task { await monitor.run() }
        var complete: GeneratorSnapshot?
        for await snapshot in monitor.snapshots() where snapshot.monitor.logsCompleteAfter != nil {
            complete = snapshot
            break
        }
        guard let complete, let status = complete.monitor.firstCompleteStatusAfter, let logs = complete.monitor.logsCompleteAfter else { return }
        let entries = complete.readings?.logs.logs.map { "\($0.range.kind.title) \($0.entries.count)" }.joined(separator: ", ") ?? ""
        print(String(format: "first complete status          %.2f s after start (original: 4.1 s)", status.seconds))
        print(String(format: "logs complete                  %.2f s after start (original: 14.7 s) [%@]", logs.seconds, entries))

        // Steady state: how often the status pair is read, measured from the wire.
        let before = await client.statistics
        let window = ContinuousClock.now
        try await Task.sleep(for: .seconds(10))
        let after = await client.statistics
        let seconds = window.duration(to: .now).seconds
        let transactions = Double(after.requestsSent - before.requestsSent)
        print(String(format: "transactions per second        %.1f (%.1f ms each on the wire + controller)", transactions / seconds, seconds * 1000 / max(transactions, 1)))
        print("state registers read every     0.25 s (scheduled; original: 0.46 s)")

        // Latency from a state change in the simulator to the event.
        let events = monitor.events()
        var iterator = events.makeAsyncIterator()
        var latencies: [Duration] = []
        for index in 0..<30 {
            let command = index % 2 == 0 ? "switch off" : "switch auto"
            // A random pause first: changes in the field come at any moment of the poll cycle, and a
            // command sent right after the previous event would always land just after a status read.
            try await Task.sleep(for: .milliseconds(Int64.random(in: 0...400)))
            let sent = ContinuousClock.now
            _ = try await control.send(command)
            while let event = await iterator.next() {
                if case .switchStateChanged = event.kind { break }
            }
            latencies.append(sent.duration(to: .now))
        }
        let sorted = latencies.sorted()
        print("state change → event latency   p50 \(format(percentile(sorted, 0.5))), p95 \(format(percentile(sorted, 0.95))), max \(format(sorted.last ?? .zero)) (\(sorted.count) changes)")

        // Resources over a minute of plain monitoring.
        let cpuBefore = cpuSeconds()
        let wallBefore = ContinuousClock.now
        try await Task.sleep(for: .seconds(60))
        let cpu = cpuSeconds() - cpuBefore
        let wall = wallBefore.duration(to: .now).seconds
        print(String(format: "CPU while monitoring           %.2f %% of one core over %.0f s (original: 2.1 %%)", cpu / wall * 100, wall))
        print(String(format: "resident memory                %.1f MiB now, %.1f MiB peak (original: 42 MiB)", residentMegabytes(), peakResidentMegabytes()))
        let stats = await client.statistics
        print("link: \(stats.requestsSent) requests, \(stats.failures) failures, \(stats.discardedBytes) bytes discarded")
        monitoring.cancel()
        await monitoring.value
        stream.close()
    }

    static func siblingExecutable(_ name: String) -> String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Starts `genmon simulate` (Evolution liquid-cooled, paced) in its own process and returns it
    /// with the pseudo-terminal it serves; prints why and returns nil when it cannot.
    static func startSimulator(_ genmon: String, controlPort: Int) -> (Process, String)? {
        let simulator = Process()
        simulator.executableURL = URL(fileURLWithPath: genmon)
        simulator.arguments = ["simulate", "--family", "evolution-lc", "--control-port", String(controlPort)]
        let output = Pipe()
        simulator.standardOutput = output
        do { try simulator.run() } catch {
            print("cannot start the simulator: \(error)")
            return nil
        }
        guard let device = readDevicePath(output) else {
            simulator.terminate()
            print("the simulator did not print its device path")
            return nil
        }
        return (simulator, device)
    }

    static func readDevicePath(_ pipe: Pipe) -> String? {
        var text = ""
        let handle = pipe.fileHandleForReading
        while !text.contains("\n") {
            let data = handle.availableData
            if data.isEmpty { return nil }
            text += String(decoding: data, as: UTF8.self)
        }
        return text.split(separator: " ").first { $0.hasPrefix("/dev/") }.map { String($0.prefix { !$0.isWhitespace }) }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// One TCP connection to a simulator's control channel.
final class ControlLine: Sendable {
    let stream: DescriptorStream

    init(port: Int) throws {
        var lastError: Error?
        for _ in 0..<50 {
            do {
                stream = try TCPConnection.stream(host: "127.0.0.1", port: port, connectTimeout: .seconds(1), failFast: true)
                return
            } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        throw lastError ?? TransportError.closed
    }

    func send(_ line: String) async throws -> String {
        try await stream.write(Array((line + "\n").utf8))
        var reply: [UInt8] = []
        while !reply.contains(10) {
            let bytes = try await stream.read(until: .now + .seconds(5))
            if bytes.isEmpty { break }
            reply += bytes
        }
        return String(decoding: reply, as: UTF8.self)
    }
}

func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
