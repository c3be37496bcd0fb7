import Appliance
import ArgumentParser
import Foundation
import GenmonConfig

/// `genmon install`: this binary as a systemd service, in one command (and again to upgrade).
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install genmon as a systemd service (run as root; run again with a newer binary to upgrade).",
        discussion: """
            Copies this binary to /usr/local/bin/genmon, makes the system user genmon (in dialout, and gpio
            where it exists), /etc/genmon (keeping every conf file there; a commented genmon.conf only when
            there is none), /var/lib/genmon, and the unit genmon.service; enables and starts it. Upgrading
            restarts the service; configuration and data stay.
            """
    )

    @Flag(help: "Print every file and command instead of doing anything.") var dryRun = false
    @Option(help: "Write into this staging tree instead of / (for packages; users and systemctl are left to the package).")
    var root: String?
    @Option(name: .shortAndLong, help: "A genmon.conf to install when /etc/genmon has none (its serial device is allowed in the unit).")
    var config: String?
    @Option(help: "Data directory of the service (default /var/lib/genmon, systemd's StateDirectory).") var dataDir: String?

    func validate() throws {
        if let dataDir, !dataDir.hasPrefix("/") { throw ValidationError("--data-dir must be an absolute path") }
    }

    func run() throws {
        let root = root ?? "/"
        if root == "/", !dryRun, getuid() != 0 { throw failure("genmon install needs root: sudo genmon install") }
        var situation = try InstallSurvey.survey(root: root, configPath: config)
        if let dataDir { situation.dataDirectory = dataDir }
        if let config { situation.givenConfiguration = try? String(contentsOfFile: config, encoding: .utf8) }
        let steps = InstallPlan.install(situation)
        if dryRun {
            print("genmon install would" + (root == "/" ? "" : " (into \(root))") + ":")
            for step in steps { print("  " + step.description) }
            if case let .writeFile(_, unit, _, _)? = steps.first(where: { if case let .writeFile(path, _, _, _) = $0 { path == InstallPlan.unitPath } else { false } }) {
                print("\n\(InstallPlan.unitPath):\n" + unit)
            }
            return
        }
        let executor = InstallExecutor(root: root, runCommand: SystemCommand.run, report: { print("  " + $0) })
        do { try executor.perform(steps) } catch { throw failure("\(error)") }
        if root != "/" {
            print("genmon staged in \(root): nothing was started (users and systemctl are left to the target system).")
        } else {
            print(situation.unitExists ? "genmon upgraded and restarted." : "genmon installed and started.")
        }
        if root == "/" { InstallSurvey.printNextSteps() }
    }
}

/// `genmon uninstall`: stops and removes the service and the binary; keeps configuration and data unless `--purge`.
struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove the genmon service and binary (run as root); /etc/genmon and /var/lib/genmon stay unless --purge."
    )

    @Flag(help: "Print every file and command instead of doing anything.") var dryRun = false
    @Option(help: "Remove from this staging tree instead of /.") var root: String?
    @Flag(help: "Also remove /etc/genmon, /var/lib/genmon (history, accounts) and the user genmon.") var purge = false

    func run() throws {
        let root = root ?? "/"
        if root == "/", !dryRun, getuid() != 0 { throw failure("genmon uninstall needs root: sudo genmon uninstall") }
        let steps = InstallPlan.uninstall(purge: purge)
        if dryRun {
            print("genmon uninstall would" + (root == "/" ? "" : " (in \(root))") + ":")
            for step in steps { print("  " + step.description) }
            return
        }
        // A service that is not installed is not an error: uninstall twice and nothing breaks.
        let executor = InstallExecutor(root: root, runCommand: { command in
            let result = try SystemCommand.run(command)
            return command.starts(with: ["systemctl", "disable"]) ? (0, result.output) : result
        }, report: { print("  " + $0) })
        do { try executor.perform(steps) } catch { throw failure("\(error)") }
        print(purge ? "genmon removed, with its configuration and data." : "genmon removed; configuration and data kept (--purge removes them).")
    }
}

/// What `genmon install` looks at before planning.
enum InstallSurvey {
    static func survey(root: String, configPath: String?) throws -> InstallSituation {
        let staging = root != "/"
        let prefix = staging ? (root.hasSuffix("/") ? String(root.dropLast()) : root) : ""
        guard let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw failure("cannot find the running binary (/proc/self/exe)")
        }
        let configDirectory = prefix + InstallPlan.configDirectory
        let existing = Set((try? FileManager.default.contentsOfDirectory(atPath: configDirectory)) ?? [])
        // The serial device from the genmon.conf given, else the installed one, else the default.
        var device: String? = "/dev/serial0"
        let confPath = configPath ?? configDirectory + "/genmon.conf"
        if FileManager.default.fileExists(atPath: confPath) {
            do {
                let configuration = try GenmonConfiguration(file: try IniFile(contentsOf: confPath))
                if case let .serial(path, _) = configuration.link { device = path } else { device = nil }
            } catch {
                throw failure("\(error) (fix it, or move it away to get a fresh default)")
            }
        }
        var target: String?
        if !staging, let device, let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: device) {
            target = resolved.hasPrefix("/") ? resolved : ((device as NSString).deletingLastPathComponent as NSString).appendingPathComponent(resolved)
        }
        var classes: Set<String>?
        if !staging, let devices = try? String(contentsOfFile: "/proc/devices", encoding: .utf8) {
            classes = Set(devices.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) })
        }
        return InstallSituation(
            runningExecutable: running, userExists: !staging && getpwnam(InstallPlan.user) != nil,
            gpioGroupExists: getgrnam("gpio") != nil, existingConfigFiles: existing, serialDevice: device, serialDeviceTarget: target,
            knownDeviceClasses: classes, unitExists: FileManager.default.fileExists(atPath: prefix + InstallPlan.unitPath))
    }

    static func printNextSteps() {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        print("""

            web app: http://\(name).local:8000  (or this machine's address; set in /etc/genmon/genmon.conf)
            first admin: open the link and enter the one-time setup code from
                journalctl -u genmon | grep 'setup code'
              or make one here: sudo -u genmon genmon user add --admin NAME --data-dir /var/lib/genmon
            check everything: genmon doctor      state: systemctl status genmon      log: journalctl -u genmon -f
            """)
    }
}

/// Runs a system command (useradd, systemctl) to its end; its output merged.
enum SystemCommand {
    static func run(_ command: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
