import Foundation

/// The process's own figures from Linux's /proc (nil where /proc is not there or unreadable).
struct ProcessStatistics: Sendable {
    struct Figures: Sendable, Equatable {
        var residentBytes: Double?
        var virtualBytes: Double?
        var cpuSeconds: Double?
        var startTime: Double?
        var openFiles: Double?
    }

    let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    func read() -> Figures {
        var figures = Figures()
        if let statm = Self.text("/proc/self/statm") {
            let fields = statm.split(separator: " ").compactMap { Double($0) }
            if fields.count >= 2 {
                figures.virtualBytes = fields[0] * pageSize
                figures.residentBytes = fields[1] * pageSize
            }
        }
        if let stat = Self.text("/proc/self/stat"), let parsed = Self.parseStat(stat), ticksPerSecond > 0 {
            figures.cpuSeconds = (parsed.userTicks + parsed.systemTicks) / ticksPerSecond
            if let boot = Self.bootTime() { figures.startTime = boot + parsed.startTicks / ticksPerSecond }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") { figures.openFiles = Double(entries.count) }
        return figures
    }

    /// utime, stime and starttime from a `/proc/<pid>/stat` line (fields 14, 15 and 22; the command
    /// name in parentheses may itself contain spaces and parentheses, so fields count from the last `)`).
    static func parseStat(_ line: String) -> (userTicks: Double, systemTicks: Double, startTicks: Double)? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so field n is at index n - 3.
        guard fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]), let start = Double(fields[19]) else { return nil }
        return (user, system, start)
    }

    static func bootTime() -> Double? {
        guard let stat = text("/proc/stat") else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") { return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    static func text(_ path: String) -> String? {
        // /proc files report size 0: read them as text to their end.
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
