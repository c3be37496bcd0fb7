import Appliance
import Foundation
import Testing

@Suite("genmon install and uninstall as plans")
struct InstallPlanTests {
    static let fresh = InstallSituation(runningExecutable: "/home/pi/genmon")

    @Test("a fresh install: binary, user in dialout, /etc/genmon with a default genmon.conf, /var/lib/genmon, the unit, enable and start")
    func freshInstall() {
        let steps = InstallPlan.install(Self.fresh)
        #expect(steps.first == .copyExecutable(from: "/home/pi/genmon", to: "/usr/local/bin/genmon"))
        #expect(steps.contains { if case let .run(command, _) = $0 { command.first == "useradd" && command.last == "genmon" } else { false } })
        #expect(steps.contains(.run(["usermod", "--append", "--groups", "dialout", "genmon"], purpose: "serial ports")))
        #expect(steps.contains(.writeFile(path: "/etc/genmon/genmon.conf", contents: DefaultConfiguration.genmonConf, mode: 0o640, owner: "genmon")))
        #expect(steps.contains(.createDirectory(path: "/var/lib/genmon", mode: 0o700, owner: "genmon")))
        let commands = steps.compactMap { if case let .run(command, _) = $0 { command } else { nil } }
        #expect(Array(commands.suffix(3)) == [["systemctl", "daemon-reload"], ["systemctl", "enable", "genmon.service"], ["systemctl", "restart", "genmon.service"]])
    }

    @Test("an upgrade keeps genmon.conf and every other conf file, makes no user, adds gpio where it exists, and restarts")
    func upgrade() {
        var situation = Self.fresh
        situation.userExists = true
        situation.gpioGroupExists = true
        situation.unitExists = true
        situation.existingConfigFiles = ["genmon.conf", "mymail.conf", "genmqtt.conf", "notes.txt"]
        let steps = InstallPlan.install(situation)
        #expect(!steps.contains { if case .writeFile(let path, _, _, _) = $0 { path.hasPrefix("/etc/genmon/") } else { false } })
        #expect(steps.contains(.keep(path: "/etc/genmon/genmon.conf", reason: "your settings stay")))
        #expect(steps.contains(.keep(path: "/etc/genmon/mymail.conf", reason: "kept as it is")))
        #expect(steps.contains(.keep(path: "/etc/genmon/genmqtt.conf", reason: "kept as it is")))
        #expect(!steps.contains { if case let .run(command, _) = $0 { command.first == "useradd" } else { false } })
        #expect(steps.contains(.run(["usermod", "--append", "--groups", "dialout,gpio", "genmon"], purpose: "serial ports and GPIO pins")))
        #expect(steps.contains { if case let .run(command, purpose) = $0 { command.last == "genmon.service" && purpose.contains("data and config stay") } else { false } })
        #expect(InstallPlan.unit(for: situation).text.contains("SupplementaryGroups=dialout gpio\n"))
    }

    @Test("the unit: Type=notify, watchdog, restart on failure, the hardening the issue asks for, and the serial device allowed")
    func unit() {
        var situation = Self.fresh
        situation.serialDeviceTarget = "/dev/ttyAMA0"
        situation.knownDeviceClasses = ["ttyAMA", "ttyS", "gpiochip"]
        let text = InstallPlan.unit(for: situation).text
        for line in ["Type=notify", "WatchdogSec=60s", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "StateDirectory=genmon", "ConfigurationDirectory=genmon", "DevicePolicy=closed",
                     "DeviceAllow=/dev/serial0 rw", "DeviceAllow=/dev/ttyAMA0 rw", "DeviceAllow=char-gpiochip rw", "DeviceAllow=char-ttyAMA rw",
                     "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK", "CapabilityBoundingSet=", "SystemCallFilter=@system-service",
                     "MemoryMax=256M", "User=genmon", "ExecStart=/usr/local/bin/genmon run --config /etc/genmon/genmon.conf --data-dir /var/lib/genmon --quiet"] {
            #expect(text.split(separator: "\n").contains(Substring(line)), "missing: \(line)")
        }
        // Classes this kernel does not know would make systemd warn at each start.
        #expect(!text.contains("char-ttyUSB"))
        // genmon raises its open-files limit and reads /proc/stat: neither may be forbidden.
        #expect(!text.contains("@resources") && !text.contains("ProcSubset"))
    }

    @Test("uninstall keeps configuration and data unless purged")
    func uninstall() {
        let keep = InstallPlan.uninstall(purge: false)
        #expect(keep.contains(.remove(path: "/etc/systemd/system/genmon.service")))
        #expect(keep.contains(.remove(path: "/usr/local/bin/genmon")))
        #expect(!keep.contains { if case .removeTree = $0 { true } else { false } })
        let purge = InstallPlan.uninstall(purge: true)
        #expect(purge.contains(.removeTree(path: "/var/lib/genmon")) && purge.contains(.removeTree(path: "/etc/genmon")))
        #expect(purge.contains(.run(["userdel", "genmon"], purpose: "the system user")))
    }

    @Test("into a staging tree: files land under the root, commands are listed and not run, and a second run keeps genmon.conf")
    func staging() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = root + "-binary"
        try "#!/bin/sh\n".write(toFile: binary, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: binary) }
        var reported: [String] = []
        var ran: [[String]] = []
        let executor = InstallExecutor(root: root, runCommand: { ran.append($0); return (0, "") }, report: { reported.append($0) })
        try executor.perform(InstallPlan.install(InstallSituation(runningExecutable: binary)))
        #expect(ran.isEmpty)
        #expect(reported.contains { $0.hasPrefix("skipped in a staging tree: systemctl restart") })
        #expect(FileManager.default.isExecutableFile(atPath: root + "/usr/local/bin/genmon"))
        #expect(try String(contentsOfFile: root + "/etc/genmon/genmon.conf", encoding: .utf8) == DefaultConfiguration.genmonConf)
        #expect(try String(contentsOfFile: root + "/etc/systemd/system/genmon.service", encoding: .utf8).contains("Type=notify"))
        let attributes = try FileManager.default.attributesOfItem(atPath: root + "/var/lib/genmon")
        #expect((attributes[.posixPermissions] as? Int) == 0o700)

        try "[GenMon]\nsitename = Mine\n".write(toFile: root + "/etc/genmon/genmon.conf", atomically: true, encoding: .utf8)
        let again = InstallPlan.install(InstallSituation(runningExecutable: binary, existingConfigFiles: ["genmon.conf"], unitExists: true))
        try executor.perform(again)
        #expect(try String(contentsOfFile: root + "/etc/genmon/genmon.conf", encoding: .utf8) == "[GenMon]\nsitename = Mine\n")

        try executor.perform(InstallPlan.uninstall(purge: false))
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/local/bin/genmon"))
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/systemd/system/genmon.service"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/genmon/genmon.conf"))
    }

    @Test("a failing command stops the install with the step and the reason")
    func failingCommand() throws {
        let executor = InstallExecutor(root: "/", runCommand: { _ in (9, "no such user\n") }, report: { _ in })
        #expect(throws: InstallExecutor.Failure.self) { try executor.perform([.run(["usermod", "x"], purpose: "p")]) }
        do { try executor.perform([.run(["usermod", "x"], purpose: "p")]) } catch {
            #expect(error.description == "usermod x    # p: exit status 9: no such user")
        }
    }
}
