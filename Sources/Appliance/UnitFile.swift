/// The systemd unit `genmon install` writes: `Type=notify` with a watchdog, restarted on failure,
/// and confined (`systemd-analyze security genmon.service` rates it 1.6, "OK", with systemd 252).
///
/// `RestrictAddressFamilies=` adds AF_NETLINK to the three: without it getifaddrs() fails and
/// the web app would not know this machine's own addresses (requests by IP would be refused).
/// Left out on purpose: `SystemCallFilter=~@resources` (genmon raises its open-files limit with
/// setrlimit) and `ProcSubset=pid` (the platform statistics read /proc/stat and /proc/meminfo).
public struct UnitFile: Sendable, Equatable {
    /// The binary systemd starts.
    public var executable = "/usr/local/bin/genmon"
    public var configFile = "/etc/genmon/genmon.conf"
    public var configDirectory = "/etc/genmon"
    public var dataDirectory = "/var/lib/genmon"
    public var user = "genmon"
    /// dialout for the serial ports, gpio for the pins where the group exists.
    public var supplementaryGroups = ["dialout"]
    /// Device nodes genmon may open besides the standard ones (`/dev/null`, …): the serial device.
    public var devices: [String] = []
    /// Device classes from /proc/devices (`char-ttyAMA`, `char-gpiochip`) for adapters plugged in later.
    public var deviceClasses = UnitFile.standardDeviceClasses
    public var watchdog: Duration = .seconds(60)
    /// A safety net: genmon runs in about 20-45 MiB.
    public var memoryMaximumMiB = 256

    /// Serial ports (on-board UART, mini UART, USB adapters) and GPIO chips.
    public static let standardDeviceClasses = ["char-ttyAMA", "char-ttyS", "char-ttyUSB", "char-ttyACM", "char-gpiochip"]

    public init() {}

    /// The unit's text.
    public var text: String {
        var lines = [
            "# genmon: written by `genmon install` (run it again to upgrade; `genmon uninstall` removes it).",
            "# Local changes belong in `systemctl edit genmon`, which keeps them across upgrades.",
            "[Unit]",
            "Description=genmon generator monitor",
            "Documentation=man:systemd.exec(5)",
            "After=network-online.target time-sync.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            "Type=notify",
            "NotifyAccess=main",
            "ExecStart=\(executable) run --config \(configFile) --data-dir \(dataDirectory) --quiet",
            "User=\(user)",
            "Group=\(user)",
        ]
        if !supplementaryGroups.isEmpty { lines.append("SupplementaryGroups=" + supplementaryGroups.joined(separator: " ")) }
        lines += [
            "Restart=on-failure",
            "RestartSec=5s",
            "WatchdogSec=\(Int(watchdog.components.seconds))s",
            "TimeoutStartSec=90s",
            "TimeoutStopSec=30s",
            "LimitNOFILE=4096",
            "MemoryMax=\(memoryMaximumMiB)M",
            "StateDirectory=genmon",
            "StateDirectoryMode=0700",
            "ConfigurationDirectory=genmon",
            "ConfigurationDirectoryMode=0750",
            "# genmon records the detected rating and fuel in genmon.conf, as the original does.",
            "ReadWritePaths=\(configDirectory)" + (dataDirectory == "/var/lib/genmon" ? "" : " " + dataDirectory),
            "UMask=0077",
            "",
            "# Confinement",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "DevicePolicy=closed",
        ]
        lines += devices.map { "DeviceAllow=\($0) rw" }
        lines += deviceClasses.map { "DeviceAllow=\($0) rw" }
        lines += [
            "# AF_NETLINK: getifaddrs() asks the kernel over netlink for this machine's addresses (the web app's host check).",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
            "CapabilityBoundingSet=",
            "AmbientCapabilities=",
            "SystemCallFilter=@system-service",
            "SystemCallFilter=~@privileged",
            "SystemCallErrorNumber=EPERM",
            "SystemCallArchitectures=native",
            "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes",
            "ProtectKernelLogs=yes",
            "ProtectControlGroups=yes",
            "ProtectClock=yes",
            "ProtectHostname=yes",
            "ProtectProc=invisible",
            "PrivateIPC=yes",
            "PrivateMounts=yes",
            "RestrictNamespaces=yes",
            "RestrictRealtime=yes",
            "RestrictSUIDSGID=yes",
            "LockPersonality=yes",
            "MemoryDenyWriteExecute=yes",
            "RemoveIPC=yes",
            "KeyringMode=private",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
