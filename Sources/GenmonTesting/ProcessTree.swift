import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about processes: who descends from whom, and who is still alive.
enum ProcessTree {
    /// A process's parent and state letter, from /proc/<pid>/stat (nil once it is gone).
    static func status(of pid: pid_t) -> (parent: pid_t, state: Character)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (name)": the state, then the parent's pid.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
        return (parent, state)
    }

    /// Every living descendant of `root`, children before their own children.
    static func descendants(of root: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var children: [pid_t: [pid_t]] = [:]
        for entry in entries {
            guard let pid = pid_t(entry), let status = status(of: pid), isAlive(status.state) else { continue }
            children[status.parent, default: []].append(pid)
        }
        var found: [pid_t] = []
        var generation = children[root] ?? []
        while !generation.isEmpty, found.count < 10_000 {
            found += generation
            generation = generation.flatMap { children[$0] ?? [] }
        }
        return found
    }

    /// Whether `pid` still runs (a zombie has ended: its descriptors are closed, its ports free).
    static func isRunning(_ pid: pid_t) -> Bool {
        status(of: pid).map { isAlive($0.state) } ?? false
    }

    private static func isAlive(_ state: Character) -> Bool { state != "Z" && state != "X" && state != "x" }
}
