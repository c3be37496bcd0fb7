import Foundation
import GenmonTesting
#if canImport(Glibc)
import Glibc
#endif

/// `genmon-bench lean [--minutes M] [--genmon PATH]`: the whole `genmon run` (monitor, command
/// socket, web app, store, notification engine) against `genmon simulate` on a pseudo-terminal paced
/// at 9600 baud, for M minutes (10 by default). Prints the time from start to the first complete
/// status, CPU as a share of one core over the run (after a 30 s settling), resident, anonymous and
/// proportional (PSS) memory from /proc/PID/smaps_rollup, the largest mappings, and the binary's
/// size as built and stripped. `--genmon` measures another build (an older one, for before/after);
/// the simulator then runs from the genmon beside the benchmark.
enum LeanRun {
    static func main(minutes: Double, genmonPath: String?) async -> Bool {
        guard let genmon = genmonPath.map({ URL(fileURLWithPath: $0) }) ?? GenmonExecutable.url else {
            print("genmon executable not found next to genmon-bench; build it first (swift build -c release)")
            return false
        }
        do {
            try await measure(genmon: genmon, minutes: minutes)
            return true
        } catch {
            print("lean failed: \(error)")
            return false
        }
    }

    static func measure(genmon: URL, minutes: Double) async throws {
        print("\n== Lean: \(genmon.path) run against genmon simulate (pty, 9600 baud) for \(format(minutes)) min")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-lean-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The simulator from the genmon built beside the benchmark when another is measured: pages of one
        // binary mapped by both processes would halve the measured one's PSS.
        let simulator = try await RunningProcess.start(GenmonExecutable.url ?? genmon, ["simulate", "--control-port", "0", "--baud", "9600"])
        defer { simulator.killNow() }
        let announced = try await simulator.waitForOutput("controller on ", timeout: .seconds(30))
        guard let range = announced.range(of: "controller on ") else { throw LeanFailure("no pty in: \(announced)") }
        let pty = String(announced[range.upperBound...].prefix { !$0.isWhitespace })
        try "[GenMon]\nport = \(pty)\ndatadirectory = \(directory)/data\n".write(toFile: directory + "/genmon.conf", atomically: true, encoding: .utf8)

        let started = ContinuousClock.now
        let run = try await RunningProcess.start(genmon, ["run", "--config", directory + "/genmon.conf", "--web-port", "0", "--socket-port", "0"])
        defer { run.killNow() }
        _ = try await run.waitForOutput("complete status after", timeout: .seconds(120))
        let toStatus = started.duration(to: .now)
        print("start to complete status: \(String(format: "%.2f", toStatus.seconds)) s (spawn to the line; the limit is 1.5 s)")

        try await Task.sleep(for: .seconds(30))
        let total = Duration.seconds(minutes * 60)
        let cpuStart = cpuTicks(run.pid), wallStart = ContinuousClock.now
        var peak = Memory()
        while wallStart.duration(to: .now) < total {
            try await Task.sleep(for: min(.seconds(10), total - wallStart.duration(to: .now) + .milliseconds(1)))
            let now = Memory(pid: run.pid)
            peak = Memory(resident: max(peak.resident, now.resident), anonymous: max(peak.anonymous, now.anonymous), proportional: max(peak.proportional, now.proportional))
        }
        let seconds = wallStart.duration(to: .now).seconds
        let ticks = cpuTicks(run.pid) - cpuStart
        let cpu = Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / seconds * 100
        let end = Memory(pid: run.pid)
        print(String(format: "CPU: %.3f %% of one core over %.0f s (utime+stime from /proc/PID/stat; the limit is 0.2 %%)", cpu, seconds))
        print(String(format: "memory at the end: resident %.1f MiB, anonymous %.1f MiB, proportional (PSS) %.1f MiB (smaps_rollup; the limit is 20 MiB resident)",
                     end.resident, end.anonymous, end.proportional))
        print(String(format: "memory peak:       resident %.1f MiB, anonymous %.1f MiB, proportional (PSS) %.1f MiB", peak.resident, peak.anonymous, peak.proportional))
        print("largest mappings (resident):")
        for (name, mib) in largestMappings(run.pid).prefix(10) { print(String(format: "  %6.1f MiB  %@", mib, name)) }
        try await printSizes(genmon)
        _ = await run.stop()
        _ = await simulator.stop()
    }

    struct LeanFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// utime + stime of a process, in clock ticks.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    /// MiB from /proc/PID/smaps_rollup.
    struct Memory {
        var resident = 0.0, anonymous = 0.0, proportional = 0.0

        init(resident: Double = 0, anonymous: Double = 0, proportional: Double = 0) {
            (self.resident, self.anonymous, self.proportional) = (resident, anonymous, proportional)
        }

        init(pid: Int32) {
            let text = FileHandle(forReadingAtPath: "/proc/\(pid)/smaps_rollup").map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
            func field(_ name: String) -> Double {
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
                return kilobytes / 1024
            }
            self.init(resident: field("Rss"), anonymous: field("Anonymous"), proportional: field("Pss"))
        }
    }

    /// Resident MiB per mapped file (and [heap], anonymous), largest first, from /proc/PID/smaps.
    static func largestMappings(_ pid: Int32) -> [(String, Double)] {
        // Read to the end: /proc files report a size of 0, and a one-shot read stops after a page.
        guard let data = FileHandle(forReadingAtPath: "/proc/\(pid)/smaps")?.readDataToEndOfFile() else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        var totals: [String: Double] = [:]
        var current = "anonymous"
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5 {
                current = fields.count >= 6 ? String(fields[5]) : "anonymous"
            } else if line.hasPrefix("Rss:"), fields.count > 1, let kilobytes = Double(fields[1]) {
                totals[(current as NSString).lastPathComponent, default: 0] += kilobytes / 1024
            }
        }
        return totals.sorted { $0.value > $1.value }
    }

    /// The binary's size as built and stripped (`strip` from binutils).
    static func printSizes(_ genmon: URL) async throws {
        let size = ((try? FileManager.default.attributesOfItem(atPath: genmon.path)[.size]) as? Int) ?? 0
        let stripped = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-stripped-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: stripped) }
        let (output, status) = try await ProcessRunner.run("strip", ["-o", stripped, genmon.path])
        let strippedSize = ((try? FileManager.default.attributesOfItem(atPath: stripped)[.size]) as? Int) ?? 0
        print(String(format: "binary: %.1f MiB as built, %@", Double(size) / 1_048_576,
                     status == 0 ? String(format: "%.1f MiB stripped", Double(strippedSize) / 1_048_576) : "strip failed: \(output)"))
        let (libraries, _) = try await ProcessRunner.run("ldd", [genmon.path])
        let swiftLibraries = libraries.split(separator: "\n").filter { $0.contains("swift") || $0.contains("Foundation") || $0.contains("ICU") }
        print("Swift libraries loaded at run time: " + (swiftLibraries.isEmpty ? "none (static standard library)" : "\(swiftLibraries.count)"))
    }
}
