/// One thing `genmon install` or `genmon uninstall` does. Paths are the system's; a staging tree
/// (`--root`) is prefixed when the step is carried out.
public enum InstallStep: Sendable, Equatable, CustomStringConvertible {
    /// Copies the running binary into place (a new file renamed over the old, so a running genmon keeps its own).
    case copyExecutable(from: String, to: String)
    case createDirectory(path: String, mode: Int, owner: String?)
    /// Writes a file that does not exist yet (or replaces the unit, which genmon owns).
    case writeFile(path: String, contents: String, mode: Int, owner: String?)
    /// Makes existing files and folders belong to genmon's user (config files genmon records detected settings in).
    case own(path: String, owner: String, recursive: Bool)
    /// Leaves an existing file alone, saying why.
    case keep(path: String, reason: String)
    /// Runs a command; in a staging tree it is printed, not run (a package's scripts do it).
    case run([String], purpose: String)
    case remove(path: String)
    /// Removes a folder and everything in it (`--purge` only).
    case removeTree(path: String)

    public var description: String {
        switch self {
        case let .copyExecutable(from, to): "install \(from) -> \(to) (mode 0755)"
        case let .createDirectory(path, mode, owner): "mkdir \(path) (mode \(octal(mode))\(owner.map { ", owner \($0)" } ?? ""))"
        case let .writeFile(path, contents, mode, owner):
            "write \(path) (mode \(octal(mode))\(owner.map { ", owner \($0)" } ?? ""), \(contents.utf8.count) bytes)"
        case let .own(path, owner, recursive): "chown \(recursive ? "-R " : "")\(owner):\(owner) \(path)"
        case let .keep(path, reason): "keep \(path) (\(reason))"
        case let .run(command, purpose): command.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ") + "    # " + purpose
        case let .remove(path): "rm \(path)"
        case let .removeTree(path): "rm -r \(path)"
        }
    }
}

private func octal(_ mode: Int) -> String { "0" + String(mode, radix: 8) }

/// What the machine looks like before installing: read by the command, so the plan stays a pure function.
public struct InstallSituation: Sendable, Equatable {
    /// The binary running now (`/proc/self/exe`).
    public var runningExecutable: String
    public var userExists: Bool
    public var gpioGroupExists: Bool
    /// Files in the configuration folder already (names only).
    public var existingConfigFiles: Set<String>
    /// The serial device genmon.conf names (or the default), if it is a local device.
    public var serialDevice: String?
    /// Where a symbolic link such as /dev/serial0 points (`/dev/ttyAMA0`), when it exists.
    public var serialDeviceTarget: String?
    /// The device classes this kernel knows (from /proc/devices), or nil to allow the standard set.
    public var knownDeviceClasses: Set<String>?
    /// A unit is installed already: this is an upgrade.
    public var unitExists: Bool
    /// Where the service keeps its data (`--data-dir`): systemd's StateDirectory unless another is given.
    public var dataDirectory = InstallPlan.dataDirectory
    /// The genmon.conf given with `--config`, written to /etc/genmon when there is none there yet.
    public var givenConfiguration: String?

    public init(runningExecutable: String, userExists: Bool = false, gpioGroupExists: Bool = false, existingConfigFiles: Set<String> = [],
                serialDevice: String? = "/dev/serial0", serialDeviceTarget: String? = nil, knownDeviceClasses: Set<String>? = nil,
                unitExists: Bool = false) {
        self.runningExecutable = runningExecutable
        self.userExists = userExists
        self.gpioGroupExists = gpioGroupExists
        self.existingConfigFiles = existingConfigFiles
        self.serialDevice = serialDevice
        self.serialDeviceTarget = serialDeviceTarget
        self.knownDeviceClasses = knownDeviceClasses
        self.unitExists = unitExists
    }
}

/// The steps of `genmon install` and `genmon uninstall`, in order.
public enum InstallPlan {
    public static let executable = "/usr/local/bin/genmon"
    public static let configDirectory = "/etc/genmon"
    public static let dataDirectory = "/var/lib/genmon"
    public static let unitPath = "/etc/systemd/system/genmon.service"
    public static let user = "genmon"

    /// The unit for this machine: its groups and its serial device.
    public static func unit(for situation: InstallSituation) -> UnitFile {
        var unit = UnitFile()
        unit.supplementaryGroups = situation.gpioGroupExists ? ["dialout", "gpio"] : ["dialout"]
        unit.dataDirectory = situation.dataDirectory
        unit.devices = [situation.serialDevice, situation.serialDeviceTarget].compactMap { $0 }.filter { $0.hasPrefix("/dev/") }
        if let known = situation.knownDeviceClasses {
            // A class the kernel does not know makes systemd log a warning at every start.
            unit.deviceClasses = UnitFile.standardDeviceClasses.filter { known.contains(String($0.dropFirst("char-".count))) }
        }
        return unit
    }

    public static func install(_ situation: InstallSituation) -> [InstallStep] {
        var steps: [InstallStep] = [.copyExecutable(from: situation.runningExecutable, to: executable)]
        if !situation.userExists {
            steps.append(.run(["useradd", "--system", "--user-group", "--home-dir", dataDirectory, "--no-create-home",
                               "--shell", "/usr/sbin/nologin", "--comment", "genmon generator monitor", user],
                              purpose: "the system user genmon runs as"))
        }
        steps.append(.run(["usermod", "--append", "--groups", situation.gpioGroupExists ? "dialout,gpio" : "dialout", user],
                          purpose: situation.gpioGroupExists ? "serial ports and GPIO pins" : "serial ports"))
        steps.append(.createDirectory(path: configDirectory, mode: 0o750, owner: user))
        if situation.existingConfigFiles.contains("genmon.conf") {
            steps.append(.keep(path: configDirectory + "/genmon.conf", reason: "your settings stay"))
        } else {
            steps.append(.writeFile(path: configDirectory + "/genmon.conf", contents: situation.givenConfiguration ?? DefaultConfiguration.genmonConf,
                                    mode: 0o640, owner: user))
        }
        for name in situation.existingConfigFiles.sorted() where name != "genmon.conf" && name.hasSuffix(".conf") {
            steps.append(.keep(path: configDirectory + "/" + name, reason: "kept as it is"))
        }
        steps.append(.own(path: configDirectory, owner: user, recursive: true))
        steps.append(.createDirectory(path: situation.dataDirectory, mode: 0o700, owner: user))
        steps.append(.writeFile(path: unitPath, contents: unit(for: situation).text, mode: 0o644, owner: nil))
        steps.append(.run(["systemctl", "daemon-reload"], purpose: "systemd reads the unit"))
        steps.append(.run(["systemctl", "enable", "genmon.service"], purpose: "start at boot"))
        steps.append(.run(["systemctl", "restart", "genmon.service"],
                          purpose: situation.unitExists ? "the new binary takes over; data and config stay" : "start now"))
        return steps
    }

    /// Removes the service and the binary; the configuration, the data and the user stay unless `purge`.
    public static func uninstall(purge: Bool) -> [InstallStep] {
        var steps: [InstallStep] = [
            .run(["systemctl", "disable", "--now", "genmon.service"], purpose: "stop and no longer start at boot"),
            .remove(path: unitPath),
            .run(["systemctl", "daemon-reload"], purpose: "systemd forgets the unit"),
            .remove(path: executable),
        ]
        if purge {
            steps += [.removeTree(path: configDirectory), .removeTree(path: dataDirectory),
                      .run(["userdel", user], purpose: "the system user")]
        } else {
            steps += [.keep(path: configDirectory, reason: "your settings; --purge removes them"),
                      .keep(path: dataDirectory, reason: "history, events, accounts; --purge removes them")]
        }
        return steps
    }
}
