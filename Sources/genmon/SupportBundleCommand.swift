import Appliance
import ArgumentParser
import Foundation
import Generac
import GenmonConfig
import LegacyProtocol
import Monitor
import ModbusTransport
import Store

/// `genmon support-bundle`: one .tar.gz for a forum post. Versions, platform, config files with
/// secrets masked, a register dump the simulator replays, communication statistics, the last
/// events and log lines. Nothing is sent anywhere.
struct SupportBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support-bundle",
        abstract: "Write a .tar.gz with what a helper needs (passwords and tokens masked) for a forum post or an issue.",
        discussion: """
            While genmon runs, the registers and statistics come from it; otherwise this reads the controller
            itself for up to --controller-seconds. The register dump (registers.json) replays with
            `genmon simulate --dump registers.json`.
            """
    )

    @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).") var config: String?
    @Option(help: "Data directory (default /var/lib/genmon, or datadirectory in genmon.conf).") var dataDir: String?
    @Option(name: .shortAndLong, help: "Where to write the bundle (default ./genmon-support-DATE.tar.gz).") var output: String?
    @Option(help: "When genmon is not running: how long to read the controller, in seconds (0: not at all).")
    var controllerSeconds = 90

    func run() async throws {
        let path = config ?? (FileManager.default.fileExists(atPath: "/etc/genmon/genmon.conf") ? "/etc/genmon/genmon.conf" : nil)
        var configuration = GenmonConfiguration()
        if let path { configuration = (try? GenmonConfiguration(file: try IniFile(contentsOf: path))) ?? configuration }
        if let dataDir { configuration.dataDirectory = dataDir }
        let stamp = Self.stamp(Date())
        let target = output ?? "genmon-support-\(stamp).tar.gz"
        let folder = "genmon-support-\(stamp)/"
        var archive = TarArchive()
        var secrets: [String] = []

        try archive.add(folder + "README.txt", text: """
            genmon support bundle, written \(ISO8601DateFormatter().string(from: Date())).
            Secrets in the config files (passwords, tokens, keys) are replaced by \(SecretMask.mask).
            registers.json replays the controller: genmon simulate --dump registers.json

            """)
        try archive.add(folder + "versions.txt", text: PlatformReport.text())
        // The config files, masked.
        if let path {
            let directory = (path as NSString).deletingLastPathComponent
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".conf") }.sorted()
            for name in names {
                guard let text = try? String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8) else { continue }
                secrets += SecretMask.secretValues(inINI: text)
                try archive.add(folder + "config/" + name, text: SecretMask.maskINI(String(text.prefix(1 << 20))))
            }
        }
        // The controller: from the running genmon, or read here.
        let reports = await ControllerReports.collect(configuration: configuration, waitSeconds: controllerSeconds)
        for (name, text) in reports.files { try archive.add(folder + name, text: SecretMask.scrub(text, secrets: secrets)) }
        if let dump = reports.dump { try archive.add(folder + "registers.json", text: dump.json) }
        // The last events from the database, and the journal.
        try archive.add(folder + "events.txt", text: await Self.lastEvents(dataDirectory: configuration.dataDirectory))
        try archive.add(folder + "journal.txt", text: SecretMask.scrub(Self.journal(), secrets: secrets))

        let bytes = try archive.gzipped()
        let created = FileManager.default.createFile(atPath: target, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        guard created else { throw failure("cannot write \(target)") }
        print("wrote \(target) (\(bytes.count / 1024 + 1) KiB): \(reports.note)")
        print("look inside before you share it: tar tzf \(target)")
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    /// The newest 200 events, oldest first.
    static func lastEvents(dataDirectory: String) async -> String {
        let path = (dataDirectory as NSString).appendingPathComponent("genmon.sqlite")
        guard FileManager.default.fileExists(atPath: path) else { return "no database at \(path)\n" }
        do {
            let database = try GenmonDatabase(path: path)
            let events = try await database.events(limit: 200)
            let formatter = ISO8601DateFormatter()
            return events.reversed().map { formatter.string(from: $0.record.time) + "  " + $0.record.summary }.joined(separator: "\n") + "\n"
        } catch {
            return "cannot read \(path): \(error)\n"
        }
    }

    /// genmon's last 1000 journal lines, when systemd keeps them.
    static func journal() -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl"),
              let result = try? SystemCommand.run(["journalctl", "--unit", "genmon.service", "--lines", "1000", "--no-pager", "--output", "short-iso"])
        else { return "no journal (journalctl not found)\n" }
        return result.output
    }
}

/// Versions and platform, for versions.txt.
enum PlatformReport {
    static func text() -> String {
        var lines = ["genmon \(GenmonVersion.current)"]
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String { withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) } }
        lines.append("kernel: \(field(name.sysname)) \(field(name.release)) \(field(name.machine))")
        if let model = try? String(contentsOfFile: "/proc/device-tree/model", encoding: .utf8) {
            lines.append("board: " + model.trimmingCharacters(in: CharacterSet(charactersIn: "\0\n")))
        }
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let pretty = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            lines.append("system: " + pretty.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        if let memory = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8), let total = memory.split(separator: "\n").first {
            lines.append(String(total))
        }
        lines.append("uptime: " + ((try? String(contentsOfFile: "/proc/uptime", encoding: .utf8))?.split(separator: " ").first.map { "\($0) s" } ?? "?"))
        return lines.joined(separator: "\n") + "\n"
    }
}
