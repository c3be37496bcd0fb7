import Foundation
import ModbusTransport

/// Who has what open, from /proc (only processes this user may look into).
enum ProcessTable {
    struct Holder: Equatable {
        let pid: Int32
        let name: String
    }

    static func processIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func name(of pid: Int32) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Processes with an open descriptor whose target is one of `paths` (a device) or `socket:[inode]`.
    static func holders(of targets: [String]) -> [Holder] {
        let wanted = Set(targets)
        var found: [Holder] = []
        for pid in processIDs() {
            let directory = "/proc/\(pid)/fd"
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for descriptor in descriptors {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + descriptor), wanted.contains(target) {
                    found.append(Holder(pid: pid, name: name(of: pid)))
                    break
                }
            }
        }
        return found
    }

    static func running(named names: Set<String>) -> [Holder] {
        processIDs().compactMap { pid in
            let name = name(of: pid)
            return names.contains(name) ? Holder(pid: pid, name: name) : nil
        }
    }

    /// The process listening on TCP `port` (IPv4 or IPv6), when it can be seen.
    static func listener(on port: Int) -> Holder? {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // local_address is HEXADDR:HEXPORT; state 0A is LISTEN; the inode is the tenth field.
                guard fields.count > 9, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                      Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port else { continue }
                inodes.insert("socket:[\(fields[9])]")
            }
        }
        guard !inodes.isEmpty else { return nil }
        return holders(of: Array(inodes)).first
    }
}

/// TCP reachability, bounded by a timeout.
enum LoopbackProbe {
    /// Something accepts connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        guard let stream = try? TCPConnection.stream(host: "127.0.0.1", port: port, connectTimeout: .seconds(2), failFast: true) else { return false }
        stream.close()
        return true
    }

    /// nil when `host:port` accepts a connection within 5 s, else why not.
    static func connect(host: String, port: Int) async -> String? {
        do {
            let stream = try TCPConnection.stream(host: host, port: port, connectTimeout: .seconds(5), failFast: true)
            stream.close()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
