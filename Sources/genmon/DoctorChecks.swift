import Appliance
import CPosixSupport
import Foundation
import GenmonConfig
import LegacyProtocol
import ModbusTransport

/// The machine-side checks of `genmon doctor`.
enum DoctorChecks {
    /// genmon.conf and the other conf files beside it parse.
    static func configFiles(path: String?, configuration: inout GenmonConfiguration) -> [DoctorFinding] {
        guard let path else { return [.pass("config files", "no genmon.conf: the original's defaults (/dev/serial0, 9600 baud, address 9d)")] }
        do {
            configuration = try GenmonConfiguration(file: try IniFile(contentsOf: path))
        } catch {
            return [.fail("config files", "\(error)", fix: "correct that line of \(path)")]
        }
        var problems = configuration.warnings.map(\.description)
        let directory = (path as NSString).deletingLastPathComponent
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".conf") }.sorted()
        for name in names where name != (path as NSString).lastPathComponent {
            do { _ = try IniFile(contentsOf: (directory as NSString).appendingPathComponent(name)) } catch { problems.append("\(error)") }
        }
        if names.contains("mymail.conf") {
            problems += MailSettings.load(path: (directory as NSString).appendingPathComponent("mymail.conf")).problems.map(\.description)
        }
        if let switches = try? AddonSwitches(directory: directory) {
            problems += MQTTAddOns(directory: directory, switches: switches).problems
        }
        guard problems.isEmpty else {
            return [.fail("config files", problems.joined(separator: "; "), fix: "correct the lines named (file:line: key)")]
        }
        return [.pass("config files", "\(names.count) file(s) in \(directory) read without a problem")]
    }

    /// The serial device exists, genmon may open it, and nothing else holds it.
    static func serialDevice(_ link: ModbusLink, runningGenmon: Bool) -> [DoctorFinding] {
        guard case let .serial(device, _) = link else {
            return [.notApplicable("serial device", "the controller is reached over TCP (\(link.endpoint))")]
        }
        let name = "serial device"
        var info = stat()
        guard stat(device, &info) == 0 else {
            return [.fail(name, "\(device) does not exist",
                          fix: device.hasSuffix("serial0") ? "enable the UART: sudo raspi-config → Interface Options → Serial Port: login shell No, hardware Yes; then reboot"
                              : "plug the adapter in, or set port in genmon.conf (ls /dev/serial* /dev/ttyUSB* /dev/ttyACM*)")]
        }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: device)).map {
            $0.hasPrefix("/") ? $0 : ((device as NSString).deletingLastPathComponent as NSString).appendingPathComponent($0)
        }
        var findings: [DoctorFinding] = []
        let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)"
        if access(device, R_OK | W_OK) == 0 {
            findings.append(.pass(name, "\(device)\(target.map { " (\($0))" } ?? "") exists, group \(group), readable and writable here"))
        } else {
            findings.append(.fail(name, "\(device) belongs to group \(group) and this user may not open it",
                                  fix: "sudo usermod -aG \(group) $USER and log in again (the service's user genmon is in \(group) already after genmon install)"))
        }
        if getpwnam("genmon") != nil, !userIsMember("genmon", of: group), group != "genmon" {
            findings.append(.fail("service user", "the user genmon is not in group \(group)", fix: "sudo usermod -aG \(group) genmon && sudo systemctl restart genmon"))
        }
        let cmdline = (try? String(contentsOfFile: "/proc/cmdline", encoding: .utf8)) ?? ""
        if let console = SerialPortRivals.consoleOnPort(cmdline: cmdline, device: device, deviceTarget: target) {
            findings.append(.fail("serial console", "the kernel's console is on this port (\(console) in /proc/cmdline): it talks over the controller",
                                  fix: "sudo raspi-config → Interface Options → Serial Port: login shell No, hardware Yes (or remove \(console) from /boot/firmware/cmdline.txt); reboot"))
        }
        let holders = ProcessTable.holders(of: [device] + [target].compactMap { $0 }).filter { $0.pid != getpid() }
        for holder in holders {
            if holder.name == "genmon" && runningGenmon { continue }
            let fix = SerialPortRivals.knownGrabbers[holder.name] ?? "stop it (\(holder.name), pid \(holder.pid)); only one program may talk to the controller"
            findings.append(.fail("port holder", "\(holder.name) (pid \(holder.pid)) has \(device) open", fix: fix))
        }
        for rival in ProcessTable.running(named: ["ModemManager"]) where !holders.contains(where: { $0.pid == rival.pid }) {
            findings.append(.fail("port holder", "ModemManager runs and probes serial ports", fix: SerialPortRivals.knownGrabbers["ModemManager"] ?? ""))
        }
        return findings
    }

    static func userIsMember(_ user: String, of group: String) -> Bool {
        guard let entry = getgrnam(group) else { return false }
        if let account = getpwnam(user), account.pointee.pw_gid == entry.pointee.gr_gid { return true }
        var member = entry.pointee.gr_mem
        while let pointer = member?.pointee {
            if String(cString: pointer) == user { return true }
            member = member?.advanced(by: 1)
        }
        return false
    }

    /// A port is free, or held by genmon.
    static func port(_ port: Int, purpose: String, runningGenmon: Bool) -> DoctorFinding {
        let name = "port \(port) (\(purpose))"
        guard port > 0 else { return .notApplicable(name, "picked at start") }
        guard let holder = ProcessTable.listener(on: port) else {
            if LoopbackProbe.isListening(port) {
                return runningGenmon ? .pass(name, "in use, by the running genmon as far as can be seen")
                    : .fail(name, "in use by a program this user cannot see", fix: "sudo ss -ltnp 'sport = :\(port)' names it; stop it, or choose another port in genmon.conf")
            }
            return .pass(name, "free")
        }
        if holder.name == "genmon" { return .pass(name, "held by genmon (pid \(holder.pid))") }
        return .fail(name, "held by \(holder.name) (pid \(holder.pid))",
                     fix: "stop \(holder.name) (the original genmon's genserv.py uses 8000 too), or set \(purpose == "web app" ? "http_port" : "server_port") in genmon.conf")
    }

    /// The data directory can be written and has room.
    static func dataDirectory(_ directory: String) -> [DoctorFinding] {
        let name = "data directory"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return [.fail(name, "\(directory) does not exist", fix: "sudo genmon install makes it (or mkdir -p \(directory) for the user genmon runs as)")]
        }
        guard isDirectory.boolValue else { return [.fail(name, "\(directory) is not a folder", fix: "set datadirectory in genmon.conf to a folder")] }
        let probe = (directory as NSString).appendingPathComponent(".doctor-\(getpid())")
        guard FileManager.default.createFile(atPath: probe, contents: Data("x".utf8)) else {
            return [.fail(name, "\(directory) is not writable by this user",
                          fix: "run doctor as the user genmon runs as (sudo -u genmon genmon doctor), or sudo chown -R genmon:genmon \(directory)")]
        }
        try? FileManager.default.removeItem(atPath: probe)
        var fs = statvfs()
        guard statvfs(directory, &fs) == 0 else { return [.pass(name, "\(directory) is writable")] }
        let free = Int64(fs.f_bavail) * Int64(fs.f_frsize)
        let mib = free >> 20
        if mib < 100 {
            return [.fail(name, "\(directory) is writable but only \(mib) MiB are free", fix: "free space (sudo journalctl --vacuum-size=50M, sudo apt clean) or use a larger card")]
        }
        return [.pass(name, "\(directory) is writable, \(mib) MiB free")]
    }

    /// The kernel's clock is synchronised (NTP): log times, exercise times and one-time codes depend on it.
    static func clock() -> DoctorFinding {
        let synchronised = genmon_clock_synchronised()
        if synchronised < 0 { return .notApplicable("clock", "cannot ask the kernel (adjtimex)") }
        let unsynchronised = synchronised == 0
        return unsynchronised
            ? .fail("clock", "not synchronised", fix: "sudo timedatectl set-ntp true (a Pi has no battery clock: it needs the network to know the time)")
            : .pass("clock", "synchronised")
    }

    /// Mail, SMS and MQTT endpoints answer when they are configured.
    static func endpoints(_ configuration: GenmonConfiguration) async -> [DoctorFinding] {
        guard let directory = configuration.configurationDirectory else { return [] }
        var targets: [(String, String, Int)] = []
        let mymail = (directory as NSString).appendingPathComponent("mymail.conf")
        if FileManager.default.fileExists(atPath: mymail) {
            let mail = MailSettings.load(path: mymail).settings
            if !mail.isShippedExample, !mail.disableEmail {
                if !mail.disableSMTP, let server = mail.smtpServer, !server.isEmpty { targets.append(("mail (SMTP)", server, mail.smtpPort)) }
                if !mail.disableIMAP, let server = mail.imapServer, !server.isEmpty { targets.append(("mail (IMAP)", server, 993)) }
            }
        }
        if let switches = try? AddonSwitches(directory: directory) {
            let addOns = MQTTAddOns(directory: directory, switches: switches)
            if let broker = addOns.genmqtt?.broker { targets.append(("MQTT (genmqtt)", broker.host, broker.port)) }
            if let broker = addOns.homeAssistant?.broker { targets.append(("MQTT (Home Assistant)", broker.host, broker.port)) }
            let smsFile = (directory as NSString).appendingPathComponent("gensms.conf")
            if switches.isEnabled("gensms", configurationExists: FileManager.default.fileExists(atPath: smsFile)) {
                targets.append(("SMS (Twilio)", "api.twilio.com", 443))
            }
        }
        var findings: [DoctorFinding] = []
        for (name, host, port) in targets {
            if let problem = await LoopbackProbe.connect(host: host, port: port) {
                findings.append(.fail(name, "\(host):\(port) does not answer: \(problem)", fix: "check the server name and port, the network, and a firewall"))
            } else {
                findings.append(.pass(name, "\(host):\(port) answers"))
            }
        }
        return findings
    }
}
